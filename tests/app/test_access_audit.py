"""Audited writes through the pages: target and weighting changes are 管理员-only, each writes
an audit row in the same transaction, and a failed audit write leaves the data unchanged."""

from __future__ import annotations

import json

import duckdb
import pytest

import analytics.access.audit
from analytics.access.auth import Role
from tests.app.conftest import CADRE_CSV, OFFICE_ADMIN, number_input, open_page, query

ROTATION = "跨处室轮岗、专项工作占比（%）"
SAVE_TARGETS = "FormSubmitter:quotas_targets_2025-保存目标"


def rotation_target(path):
    return query(path, "SELECT value FROM targets WHERE year = 2025 AND metric = 'rotation_share'")


def as_role(role, page):
    at = open_page()
    if role is not Role.ADMIN:
        at.selectbox(key="demo_role").set_value(role).run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_a_target_change_is_audited_with_who_what_and_filters(own_db):
    at = as_role(Role.ADMIN, "pages/quotas.py")
    number_input(at, ROTATION).set_value(25)
    at.button(key=SAVE_TARGETS).click().run()
    assert not at.exception and not at.error
    assert rotation_target(own_db) == [(0.25,)]
    rows = query(own_db, "SELECT actor, role, action, target, row_count, filters, detail "
                         "FROM audit_log WHERE action = 'targets_change'")  # fmt: skip
    assert len(rows) == 1
    actor, role, action, target, count, filters, detail = rows[0]
    assert (actor, role, target, count) == ("演示:管理员", "管理员", "targets:2025", 8)
    assert json.loads(filters)["year"] == 2025
    assert json.loads(detail)["rotation_share"] == 25


def test_a_failed_audit_write_saves_nothing(own_db, monkeypatch):
    def broken(*args, **kwargs):
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(analytics.access.audit, "record", broken)
    at = as_role(Role.ADMIN, "pages/quotas.py")
    number_input(at, ROTATION).set_value(25)
    at.button(key=SAVE_TARGETS).click().run()
    assert not at.exception
    assert any("disk full" in e.value for e in at.error)
    assert rotation_target(own_db) == [(0.3,)]
    assert query(own_db, "SELECT count(*) FROM audit_log") == [(0,)]


@pytest.mark.parametrize("role", [Role.LEADER, Role.MENTOR])
def test_only_admins_see_the_targets_editor(role):
    at = as_role(role, "pages/quotas.py")
    assert not [n for n in at.number_input if n.label == ROTATION]
    assert not [b for b in at.button if "保存目标" in (b.label or "")]


@pytest.mark.parametrize("role", [Role.LEADER, Role.MENTOR])
def test_the_weighting_is_read_only_for_others(role):
    at = as_role(role, "pages/awards.py")
    weights = [n for n in at.number_input if n.key and n.key.startswith("awards_weight_")]
    assert weights and all(n.disabled for n in weights)
    (save,) = [b for b in at.button if b.label == "保存权重"]
    assert save.disabled


def test_a_weighting_change_is_audited(own_db):
    at = as_role(Role.ADMIN, "pages/awards.py")
    weights = [n for n in at.number_input if n.key and n.key.startswith("awards_weight_")]
    weights[0].set_value(weights[0].value + 1)
    (save,) = [b for b in at.button if b.label == "保存权重"]
    save.click().run()
    assert not at.exception and not at.error
    rows = query(own_db, "SELECT actor, target, row_count FROM audit_log "
                         "WHERE action = 'targets_change'")  # fmt: skip
    assert rows == [("演示:管理员", "points_weighting:2025", len(weights))]


# ----- 干部档案: every opening is audited, and only the role's own cadres open -----
def profile_rows(path, cadre_id):
    return query(path, "SELECT actor FROM audit_log WHERE action = 'view_profile' AND target = ?",
                 [cadre_id])  # fmt: skip


def ids_of_group(path, group):
    return [r[0] for r in query(path, "SELECT cadre_id FROM cadres WHERE study_group = ? "
                                      "ORDER BY cadre_id", [group])]  # fmt: skip


def test_each_opening_of_a_profile_is_audited_once(own_db):
    first, second = ids_of_group(own_db, "第一学习小组")[:2]
    at = open_page("pages/profile.py", cadre=first)
    assert not at.exception and at.header
    at.run()  # a rerun of the same opening (a widget, a chart click) is not a new one
    assert profile_rows(own_db, first) == [("演示:管理员",)]
    at.text_input(key="profile_query").input(second).run()
    at.selectbox(key="profile_cadre").set_value(second).run()
    assert profile_rows(own_db, second) == [("演示:管理员",)]
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/profile.py").run()
    at.text_input(key="profile_query").input(second).run()
    at.selectbox(key="profile_cadre").set_value(second).run()  # coming back opens it again
    assert len(profile_rows(own_db, second)) == 2


def test_a_profile_that_cannot_be_audited_is_not_shown(own_db, monkeypatch):
    def broken(*args, **kwargs):
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(analytics.access.audit, "record", broken)
    cadre = ids_of_group(own_db, "第一学习小组")[0]
    at = open_page("pages/profile.py", cadre=cadre)
    assert not at.exception
    assert [e.value for e in at.error] == ["无法写入审计日志，本次操作未执行。请联系管理员。"]
    assert not at.header and not at.dataframe


def test_a_mentor_opens_only_their_own_groups_profiles(own_db):
    own, other = ids_of_group(own_db, "第二学习小组")[0], ids_of_group(own_db, "第一学习小组")[0]
    for cadre, shown in ((other, False), (own, True)):
        at = open_page()
        at.selectbox(key="demo_role").set_value(Role.MENTOR).run()
        at.selectbox(key="demo_group").set_value("第二学习小组").run()
        at.query_params["cadre"] = cadre
        at.switch_page("pages/profile.py").run()
        assert not at.exception
        assert bool(at.header) is shown, cadre
        assert bool(profile_rows(own_db, cadre)) is shown
        if not shown:
            assert any(cadre in w.value for w in at.warning)


# ----- downloads: audited when clicked, stamped, personal fields only for 管理员 -----
def test_a_table_download_is_audited_on_click_and_carries_who_and_when(own_db, offered):
    import io

    import openpyxl

    cadre = ids_of_group(own_db, "第一学习小组")[0]
    at = open_page()
    at.selectbox(key="demo_role").set_value(Role.LEADER).run()
    at.query_params["cadre"] = cadre
    at.switch_page("pages/profile.py").run()
    assert not at.exception
    before = query(own_db, "SELECT count(*) FROM audit_log WHERE action = 'export'")
    assert before == [(0,)]  # drawing a button exports nothing
    name, data = offered["profile_assessments_xlsx"]
    assert "_演示-领导_" in name and name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data()))
    (table,) = [ws for ws in book.worksheets if ws.title != "导出信息"]
    headers = [c.value for c in table[1]]
    assert "期间" in headers and "结果" not in headers and "分数" not in headers
    info = {r[0]: r[1] for r in book["导出信息"].iter_rows(min_row=2, values_only=True)}
    assert info["导出人"] == "演示用户·领导（演示:领导）"
    assert info["按权限未导出的个人信息字段"] == "结果、分数"
    rows = query(own_db, "SELECT actor, role, target FROM audit_log WHERE action = 'export'")
    assert rows == [("演示:领导", "领导", f"{name.split('_演示')[0]}.xlsx")]


def test_an_admin_exports_personal_fields(own_db, offered):
    import io

    import openpyxl

    cadre = ids_of_group(own_db, "第一学习小组")[0]
    open_page("pages/profile.py", cadre=cadre)
    _, data = offered["profile_assessments_xlsx"]
    book = openpyxl.load_workbook(io.BytesIO(data()))
    assert {"结果", "分数"} <= {c.value for c in book.worksheets[0][1]}


def test_generated_files_are_audited_on_click(own_db, offered):
    open_page("pages/data.py")
    name, data = offered["data_backup"]
    assert "_演示-管理员_" in name
    assert data()[:2] == b"PK"  # an xlsx
    open_page("pages/forum.py")
    _, data = offered["forum_xlsx"]
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data()))
    assert "导出信息" in book.sheetnames
    targets = [r[0] for r in query(own_db, "SELECT target FROM audit_log WHERE action = 'export' "
                                           "ORDER BY id")]  # fmt: skip
    assert len(targets) == 2 and targets[1].endswith(".xlsx")


# ----- imports -----
def upload(at):
    at.file_uploader(key="data_upload").set_value(
        [("新干部.csv", CADRE_CSV.encode("utf-8"), "text/csv")]
    ).run()
    at.button(key="data_commit").click().run()
    assert not at.exception


def test_an_import_is_audited_in_its_transaction(office_db):
    at = open_page("pages/data.py", user=OFFICE_ADMIN)
    upload(at)
    rows = query(
        office_db, "SELECT actor, target, row_count FROM audit_log WHERE action = 'import'"
    )
    assert rows == [("wang", "新干部.csv", 1)]


def test_an_import_that_cannot_be_audited_writes_nothing(office_db, monkeypatch):
    own_db = office_db

    def broken(*args, **kwargs):
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(analytics.access.audit, "record", broken)
    at = open_page("pages/data.py", user=OFFICE_ADMIN)
    upload(at)
    assert any("disk full" in e.value for e in at.error)
    assert query(own_db, "SELECT count(*) FROM cadres WHERE cadre_id = 'Q9001'") == [(0,)]
    assert query(own_db, "SELECT count(*) FROM import_log") == [(0,)]
