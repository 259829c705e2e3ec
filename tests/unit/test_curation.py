"""Fixing records without re-uploading a workbook: edit, delete, merge two 工号, undo.

Each change is checked against the whole database before and after: exactly the expected rows
of exactly the expected tables differ, with its audit row and journal rows; refused changes
(bad values, dependents not confirmed, 领导 and 小组导师, the demo) change nothing at all.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analytics.access.auth import NotPermittedError, Role, User
from analytics.curation.change import RecordError
from analytics.curation.remove import (
    delete_record,
    dependent_counts,
    dependents,
    merge_cadres,
    merge_plan,
)
from analytics.curation.undo import undo_change, undo_import, undo_refusal
from analytics.dataio.cli import main
from analytics.dataio.edit import StaleRecordError, edit_record, find_record, form_values
from analytics.metrics.targets import save_targets
from analytics.store import journal
from analytics.store.db import connect
from analytics.store.provenance import DemoDatabaseError
from tests.curation_support import (
    ADMIN,
    BOOKKEEPING,
    CADRE_HEADERS,
    LEADER,
    MENTOR,
    build_office,
    changed,
    file_snapshot,
    import_csv,
    snapshot,
)

D = dt.date
RECORD_TABLES = {"cadres", "attendance", "reports", "report_authors", "awards", "award_winners",
                 "assessments", "assignments", "training", "mentorships", "activities"}  # fmt: skip


@pytest.fixture
def con(tmp_path):
    connection = connect(build_office(tmp_path / "office.duckdb"))
    yield connection
    connection.close()


def edited(con, table, key, **values):
    """Save the form of one record with some fields changed (field name → form value)."""
    view = find_record(con, table, key)
    entered = {**form_values(view), **values}
    return edit_record(con, view, entered, ADMIN, today=D(2025, 12, 1))


def audit_rows(con, action):
    return con.execute(
        "SELECT actor, role, action, target, row_count, detail FROM audit_log WHERE action = ?",
        [action],
    ).fetchall()


# ----- edit -----------------------------------------------------------------------------------


def test_an_edit_changes_exactly_that_row_and_audits_every_field_old_and_new(con):
    before = snapshot(con)
    result = edited(con, "cadres", ("Q103",), name="李四光", rank="一级科员")
    assert result.problems == [] and result.change_id is not None
    assert result.changed == [("姓名", "李四", "李四光"), ("职级", "", "一级科员")]
    diff = changed(before, snapshot(con))
    assert set(diff) == {"cadres"} | BOOKKEEPING  # the name is not in the derived tables
    old, new = diff["cadres"]
    assert [r[:3] for r in old] == [("Q103", "李四", "男")]
    assert [(r[0], r[1], r[6]) for r in new] == [("Q103", "李四光", "一级科员")]
    assert diff["audit_log"][0] == []  # appended, nothing rewritten
    [(actor, role, action, target, rows, detail)] = audit_rows(con, "record_edit")
    assert (actor, role, target, rows) == ("wang", "管理员", "青年干部 Q103", 1)
    fields = json.loads(detail)["fields"]
    assert list(fields) == ["工号", "姓名", "性别", "出生日期", "处室", "学习小组", "职级",
                            "政治面貌", "入职日期", "调离日期"]  # fmt: skip
    assert fields["姓名"] == {"old": "李四", "new": "李四光"}
    assert fields["入职日期"] == {"old": "2020-01-01", "new": "2020-01-01"}
    [(tbl, key, was, now)] = journal.rows_of(con, result.change_id).itertuples(index=False)
    assert (tbl, key) == ("cadres", '["Q103"]')
    assert json.loads(was)["name"] == "李四" and json.loads(now)["name"] == "李四光"


def test_an_edit_moving_a_cadre_to_another_group_updates_the_derived_facts_at_once(con):
    result = edited(con, "cadres", ("Q103",), study_group="一组")
    assert result.change_id is not None
    groups = con.execute("SELECT DISTINCT study_group FROM expected_attendance_facts "
                         "WHERE cadre_id = 'Q103'").fetchall()  # fmt: skip
    assert groups == [("一组",)]


def test_an_edit_is_checked_like_an_import_and_a_refused_one_writes_nothing(con):
    before = snapshot(con)
    result = edited(con, "cadres", ("Q101",), birth_date="2019-06-01", gender="男性?")
    messages = [(p.column, p.message) for p in result.problems]
    assert ("性别", "不是可选值，应为：男、女。") in messages
    result = edited(con, "cadres", ("Q101",), birth_date="2019-06-01")
    [problem] = result.problems
    assert problem.column == "出生日期、入职日期"
    assert problem.value == "出生日期 2019-06-01，入职日期 2020-01-01"
    result = edited(con, "attendance", ("HD1", "Q103"), credited_hours="3")  # 请假 credits 0
    assert "计入学时应为 0" in result.problems[0].message
    result = edited(con, "reports", ("R1",), co_authors="Q103、Q999")
    assert [(p.column, p.value, p.message) for p in result.problems] == [
        ("参与人工号", "Q999", "工号不存在：数据库和本次上传的“青年干部”表中都没有这个工号。")
    ]
    result = edited(con, "cadres", ("Q101",), name="")
    assert [(p.column, p.message) for p in result.problems] == [("姓名", "必填项为空。")]
    assert snapshot(con) == before


def test_an_emptied_field_clears_it_and_dates_take_the_office_spellings(con):
    result = edited(con, "cadres", ("Q101",), birth_date="", leave_date="2025年12月1日")
    assert result.changed == [("出生日期", "1995-05-01", ""), ("调离日期", "", "2025-12-01")]
    row = con.execute("SELECT birth_date, leave_date FROM cadres WHERE cadre_id = 'Q101'")
    assert row.fetchall() == [(None, D(2025, 12, 1))]


def test_an_edit_of_a_list_field_rewrites_the_child_rows_exactly(con):
    before = snapshot(con)
    result = edited(con, "reports", ("R2",), co_authors="Q101")
    assert result.changed == [("参与人工号", "Q101、Q102", "Q101")]
    diff = changed(before, snapshot(con))
    assert set(diff) == {"report_authors"} | BOOKKEEPING
    assert diff["report_authors"] == ([("R2", "Q102", "参与")], [])


def test_saving_unchanged_values_writes_nothing(con):
    before = snapshot(con)
    result = edited(con, "activities", ("HD1",))
    assert result.problems == [] and result.change_id is None and result.changed == []
    assert snapshot(con) == before


def test_a_record_changed_since_the_form_opened_is_not_overwritten(con):
    view = find_record(con, "cadres", ("Q103",))
    edited(con, "cadres", ("Q103",), rank="二级科员")
    before = snapshot(con)
    with pytest.raises(StaleRecordError, match="在您打开后已被修改"):
        edit_record(con, view, {**form_values(view), "name": "王五"}, ADMIN)
    assert snapshot(con) == before


# ----- delete ---------------------------------------------------------------------------------


def test_dependents_are_shown_with_their_counts_before_a_delete(con):
    found = dependents(con, "cadres", ("Q102",))
    assert [(r.table, r.what, r.rows) for r in found.itertuples()] == [
        ("awards", "awards_alone", 1),
        ("award_winners", "award_winners", 2),
        ("report_authors", "report_authors", 3),  # R1's two authors, and R2's 参与
        ("reports", "reports_led", 1),
        ("attendance", "attendance", 2),
        ("assessments", "assessments", 1),
        ("assignments", "assignments", 1),
        ("training", "training", 1),
        ("mentorships", "mentorships", 1),
        ("cadres", "record", 1),
    ]


def test_a_delete_is_refused_while_dependents_exist_unless_their_counts_are_confirmed(con):
    before = snapshot(con)
    counts = dependent_counts(dependents(con, "cadres", ("Q102",)))
    with pytest.raises(RecordError, match="出勤记录 2 行"):
        delete_record(con, "cadres", ("Q102",), ADMIN)
    with pytest.raises(RecordError):
        delete_record(con, "cadres", ("Q102",), ADMIN, confirm={**counts, "attendance": 1})
    assert snapshot(con) == before
    change_id = delete_record(con, "cadres", ("Q102",), ADMIN, confirm=counts)
    after = snapshot(con)
    diff = changed(before, after)
    assert set(diff) == {"cadres", "attendance", "reports", "report_authors", "awards",
                         "award_winners", "assessments", "assignments", "training",
                         "mentorships", "expected_attendance_facts"} | BOOKKEEPING  # fmt: skip
    for table in ("cadres", "attendance", "report_authors", "award_winners", "assessments",
                  "assignments", "training", "mentorships"):  # fmt: skip
        assert diff[table][1] == [], table  # nothing added
    assert not any("Q102" in map(str, row) for table in RECORD_TABLES for row in after[table])
    assert [r[0] for r in after["reports"]] == ["R2"]  # R1 (Q102 wrote it) went whole
    assert [r[0] for r in after["awards"]] == ["W2"]  # W1 (Q102 alone) went; W2 keeps Q103
    assert after["award_winners"] == [("W2", "Q103")]
    assert sorted(after["report_authors"]) == [("R2", "Q101", "参与"), ("R2", "Q103", "执笔")]
    facts = [r for r in after["expected_attendance_facts"] if r[1] == "Q102"]
    assert facts == []
    [(_, _, _, target, rows, detail)] = audit_rows(con, "record_delete")
    assert target == "青年干部 Q102" and rows == 14
    assert json.loads(detail)["change"] == change_id
    # Every deleted row is in the journal as it was.
    gone = journal.rows_of(con, change_id)
    assert gone["after"].isna().all() and len(gone) == 14


def test_a_deleted_record_comes_back_exactly_with_everything_that_went_with_it(con):
    before = snapshot(con)
    counts = dependent_counts(dependents(con, "cadres", ("Q102",)))
    change_id = delete_record(con, "cadres", ("Q102",), ADMIN, confirm=counts)
    undo_change(con, change_id, ADMIN)
    diff = changed(before, snapshot(con))
    assert set(diff) == BOOKKEEPING  # every record and derived row as before
    assert [r[0] for r in diff["change_log"][1]] == [change_id, change_id + 1]


def test_a_record_with_nothing_depending_on_it_is_deleted_with_its_own_lists(con):
    before = snapshot(con)
    delete_record(con, "awards", ("W2",), ADMIN)
    diff = changed(before, snapshot(con))
    assert set(diff) == {"awards", "award_winners"} | BOOKKEEPING
    assert diff["award_winners"] == ([("W2", "Q102"), ("W2", "Q103")], [])


# ----- merge ----------------------------------------------------------------------------------


def test_a_merge_moves_every_row_to_the_kept_id_and_lists_the_duplicates_first(con):
    plan = merge_plan(con, "Q101", "Q102")
    assert plan.moved == {"attendance": 1, "report_authors": 1, "reports": 1,
                          "award_winners": 2, "assignments": 1, "training": 1,
                          "mentorships": 1}  # fmt: skip
    assert plan.discarded == {"attendance": 1, "report_authors": 1, "assessments": 1}
    before = snapshot(con)
    change_id = merge_cadres(con, "Q101", "Q102", ADMIN, confirm=plan)
    after = snapshot(con)
    assert not any("Q102" in map(str, row) for table in RECORD_TABLES for row in after[table])
    assert [r[0] for r in after["cadres"]] == ["Q101", "Q103"]
    assert after["attendance"] == sorted([
        ("HD1", "Q101", "参加", "出席", 2.0), ("HD1", "Q103", "参加", "请假", 0.0),
        ("HD2", "Q101", "参加", "出席", 2.0)], key=repr)  # fmt: skip
    assert sorted(after["report_authors"]) == [
        ("R1", "Q101", "执笔"), ("R1", "Q103", "参与"), ("R2", "Q101", "参与"),
        ("R2", "Q103", "执笔"),
    ]  # fmt: skip
    assert [r[6] for r in after["reports"] if r[0] == "R1"] == ["Q101"]  # the lead moved
    assert sorted(after["award_winners"]) == [("W1", "Q101"), ("W2", "Q101"), ("W2", "Q103")]
    assert after["assessments"] == [("Q101", "2025Q1", "政治能力提升报告", "未提交", None)]
    diff = changed(before, after)
    assert set(diff) == {"cadres", "attendance", "reports", "report_authors", "award_winners",
                         "assessments", "assignments", "training", "mentorships",
                         "expected_attendance_facts"} | BOOKKEEPING  # fmt: skip
    [(_, _, _, target, _, detail)] = audit_rows(con, "cadre_merge")
    assert target == "Q101" and json.loads(detail)["drop"] == "Q102"
    undo_change(con, change_id, ADMIN)
    assert set(changed(before, snapshot(con))) == BOOKKEEPING


def test_a_merge_is_refused_for_unknown_or_equal_ids_and_when_the_rows_changed(con):
    with pytest.raises(RecordError, match="工号 Q999 不存在"):
        merge_plan(con, "Q101", "Q999")
    with pytest.raises(RecordError, match="两个工号相同"):
        merge_plan(con, "Q101", "Q101")
    plan = merge_plan(con, "Q101", "Q102")
    edited(con, "attendance", ("HD2", "Q102"), status="缺席", credited_hours="0")
    con.execute("DELETE FROM training WHERE cadre_id = 'Q102'")  # the preview is now wrong
    before = snapshot(con)
    with pytest.raises(RecordError, match="预览之后数据已有变化"):
        merge_cadres(con, "Q101", "Q102", ADMIN, confirm=plan)
    assert snapshot(con) == before


# ----- undo -----------------------------------------------------------------------------------

NEW_CADRE = CADRE_HEADERS + "Q201,新人,女,1998-01-01,秘书二处,二组,,,2025-10-01,\n"
CHANGED_CADRE = CADRE_HEADERS + "Q103,李四,男,,秘书一处,一组,二级科员,,2020-01-01,\n"


def test_undoing_an_import_restores_exactly_the_state_before_it(con):
    before = snapshot(con)
    first = import_csv(con, "新人.csv", NEW_CADRE + CHANGED_CADRE.split("\n", 1)[1])
    imported = snapshot(con)
    assert imported["cadres"] != before["cadres"]
    assert imported["expected_attendance_facts"] != before["expected_attendance_facts"]
    undo_import(con, first, ADMIN)
    diff = changed(before, snapshot(con))
    assert set(diff) == BOOKKEEPING | {"import_log"}  # the import stays in the history
    [(_, _, _, target, rows, _)] = audit_rows(con, "undo")
    assert target == "第 1 次导入" and rows == 2


def test_an_earlier_import_is_undone_only_when_no_later_change_touched_its_rows(con):
    first = import_csv(con, "改李四.csv", CHANGED_CADRE)
    second = import_csv(con, "新人.csv", NEW_CADRE)  # other rows: the first may still go
    assert undo_refusal(con, journal.change_of_import(con, first)) is None
    edited(con, "cadres", ("Q103",), rank="三级主任科员")  # now a later write touches Q103
    before = snapshot(con)
    with pytest.raises(RecordError) as refused:
        undo_import(con, first, ADMIN)
    message = str(refused.value)
    assert message.startswith(
        "不能撤销第 1 次导入：之后的第 3 号变更（修改 青年干部 Q103）由王某（wang）于 "
    )
    assert message.endswith(" 改动了其中 1 行。撤销会覆盖这些改动。请先撤销之后的变更"
                            "（从最近的一次开始），或直接修改这些记录。")  # fmt: skip
    assert snapshot(con) == before
    latest = journal.history(con)["change_id"].max()
    undo_change(con, int(latest), ADMIN)  # the edit undone: the first import may go again
    undo_import(con, first, ADMIN)
    row = con.execute("SELECT study_group, rank FROM cadres WHERE cadre_id = 'Q103'").fetchall()
    assert row == [("二组", None)]
    assert con.execute("SELECT count(*) FROM cadres WHERE cadre_id = 'Q201'").fetchone() == (1,)
    with pytest.raises(RecordError, match="已经撤销过了"):
        undo_import(con, first, ADMIN)
    undo_import(con, second, ADMIN)
    undos = journal.history(con).query("kind == 'undo'")
    with pytest.raises(RecordError, match="本身是撤销操作"):
        undo_change(con, int(undos["change_id"].max()), ADMIN)


def test_a_row_changed_outside_the_journal_stops_an_undo(con):
    first = import_csv(con, "改李四.csv", CHANGED_CADRE)
    con.execute("UPDATE cadres SET name = '手改' WHERE cadre_id = 'Q103'")
    assert "1 行在此之后被改动过" in undo_refusal(con, journal.change_of_import(con, first))


def test_a_targets_edit_after_an_import_of_the_same_targets_blocks_its_undo(con):
    first = import_csv(con, "目标.csv", "指标,年度,目标值\nrotation_share,2025,0.4\n")
    assert save_targets(con, 2025, {"rotation_share": 50}, actor="王某（wang）") == []
    message = undo_refusal(con, journal.change_of_import(con, first))
    assert "修改目标值（1 项）" in message and "王某（wang）" in message


def test_an_import_from_before_the_journal_cannot_be_undone_and_says_so(con):
    con.execute("INSERT INTO import_log (imported_at, imported_by, file_name, sha256, counts) "
                "VALUES (now(), '旧', 'a.csv', 'x', '{}')")  # fmt: skip
    with pytest.raises(RecordError, match="早于变更记录功能"):
        undo_import(con, 1, ADMIN)
    with pytest.raises(RecordError, match="没有第 9 次导入"):
        undo_import(con, 9, ADMIN)


def test_the_command_line_undoes_an_import_by_its_number(tmp_path, capsys):
    path = build_office(tmp_path / "office.duckdb")
    before = file_snapshot(path)
    sheet = tmp_path / "新人.csv"
    sheet.write_text(NEW_CADRE, encoding="utf-8")
    assert main([str(sheet), "--db", str(path)]) == 0
    assert main(["--undo", "1", "--db", str(path)]) == 0
    assert "已撤销第 1 次导入" in capsys.readouterr().out
    after = file_snapshot(path)
    assert set(changed(before, after)) == BOOKKEEPING | {"import_log"}
    assert after["audit_log"][0][2].startswith("cli:")
    assert main(["--undo", "1", "--db", str(path)]) == 1
    assert "已经撤销过了" in capsys.readouterr().err
    assert file_snapshot(path) == after


# ----- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "user", [LEADER, MENTOR, User("x", "无角色", None)], ids=["领导", "小组导师", "无角色"]
)
def test_only_an_admin_may_edit_delete_merge_or_undo(con, user):
    first = import_csv(con, "新人.csv", NEW_CADRE)
    view = find_record(con, "cadres", ("Q103",))
    plan = merge_plan(con, "Q101", "Q102")
    before = snapshot(con)
    attempts = [
        lambda: edit_record(con, view, {**form_values(view), "name": "改"}, user),
        lambda: delete_record(con, "awards", ("W2",), user),
        lambda: merge_cadres(con, "Q101", "Q102", user, confirm=plan),
        lambda: undo_import(con, first, user),
    ]
    for attempt in attempts:
        with pytest.raises(NotPermittedError, match="仅限管理员"):
            attempt()
    assert snapshot(con) == before


def test_the_demo_takes_no_edits(demo_db, tmp_path):
    import shutil

    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    con = connect(path)
    cid = con.execute("SELECT min(cadre_id) FROM cadres").fetchone()[0]
    view = find_record(con, "cadres", (cid,))
    with pytest.raises(DemoDatabaseError):
        edit_record(con, view, {**form_values(view), "name": "改"}, ADMIN)
    with pytest.raises(DemoDatabaseError):
        delete_record(con, "cadres", (cid,), ADMIN)
    con.close()


def test_a_cli_user_is_an_admin():
    from analytics.access.auth import cli_user

    assert cli_user().role is Role.ADMIN and cli_user().name.startswith("cli:")
