"""Row-level restriction in the analytics layer, the audit table, and audited exports."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from analytics.access import audit
from analytics.access.auth import Role, User
from analytics.dataio.export import audited_export, export_file_stem
from analytics.metrics.participation import participation_by_cadre, participation_by_group
from analytics.semantic.scope import awards_in_scope, reports_in_scope
from analytics.store.query import run
from tests.factories import D, activity, award, cadre, database, filters, present, report

MENTOR = User("zhang", "张老师", Role.MENTOR, "一组")
LEADER = User("li", "李主任", Role.LEADER)


def office() -> duckdb.DuckDBPyConnection:
    return database([
        cadre("A1", "一组", birth_date=D(1990, 1, 1)), cadre("A2", "一组"),
        cadre("B1", "二组"), cadre("B2", "二组", division="秘书二处"),
        activity("X", D(2025, 3, 3)),
        present("X", "A1"), present("X", "B1"), present("X", "B2", status="缺席"),
        report("R1", D(2025, 4, 1), "B1"), report("R2", D(2025, 5, 1), "A1"),
        award("W1", D(2025, 6, 1), ["B1", "B2"]), award("W2", D(2025, 6, 2), ["A2", "B1"]),
    ])  # fmt: skip


def test_visible_group_restricts_every_cadre_read_even_when_the_group_filter_is_widened():
    con = office()
    mentor = filters(group="一组", visible_group="一组")
    widened = mentor.model_copy(update={"group": None, "division": None})
    for f in (mentor, widened, widened.year_earlier(), widened.year_to_date()):
        assert set(participation_by_cadre(con, f)["cadre_id"]) <= {"A1", "A2"}
        assert set(participation_by_group(con, f)["study_group"]) <= {"一组"}
    assert list(participation_by_cadre(con, widened)["cadre_id"]) == ["A2", "A1"]
    assert list(reports_in_scope(con, widened)["report_id"]) == ["R2"]
    assert list(awards_in_scope(con, widened)["award_id"]) == ["W2"]


def test_a_restricted_cursor_is_lifted_only_by_unrestricted_filters():
    con = office()
    sql = "SELECT cadre_id FROM scoped_cadres(NULL, NULL) ORDER BY 1"
    assert list(run(con, sql, filters(visible_group="二组"))["cadre_id"]) == ["B1", "B2"]
    # Without filters the cursor keeps the restriction it was given …
    assert list(run(con, sql)["cadre_id"]) == ["B1", "B2"]
    # … and another cursor never sees it (a DuckDB variable belongs to its connection).
    assert list(run(con.cursor(), sql)["cadre_id"]) == ["A1", "A2", "B1", "B2"]
    assert list(run(con, sql, filters())["cadre_id"]) == ["A1", "A2", "B1", "B2"]


def test_visible_group_is_part_of_the_cache_key():
    assert filters(group="一组").model_dump_json() != (
        filters(group="一组", visible_group="一组").model_dump_json()
    )
    assert filters(visible_group="一组").params()["visible_group"] == "一组"


def test_audit_rows_record_who_when_what_filters_and_rows():
    con = database([])
    at = dt.datetime(2025, 11, 30, 10, 5)
    f = filters(group="一组")
    first = audit.record(con, "zhang", audit.Action.VIEW_PROFILE, role="小组导师", target="A1",
                         filters=f, row_count=3, at=at)  # fmt: skip
    second = audit.record(con, "li", "export", target="参与.csv", row_count=10, at=at)
    assert second == first + 1
    rows = audit.entries(con)
    assert list(rows["action"]) == ["export", "view_profile"]  # newest first
    assert rows.iloc[1]["filters"] == f.model_dump_json()
    assert rows.iloc[1]["row_count"] == 3 and rows.iloc[1]["logged_at"] == pd.Timestamp(at)
    assert list(audit.entries(con, actor="zhang")["id"]) == [first]
    assert list(audit.entries(con, actions=["export"])["id"]) == [second]
    assert list(audit.entries(con, target="参与")["id"]) == [second]
    assert audit.entries(con, start=D(2025, 12, 1)).empty
    with pytest.raises(ValueError):
        audit.record(con, "li", "delete_everything")
    with pytest.raises(ValueError):
        audit.record(con, "", "export")


def test_the_audit_module_offers_no_way_to_change_or_remove_rows():
    public = {name for name in dir(audit) if not name.startswith("_")}
    assert not {n for n in public if any(w in n for w in ("update", "delete", "clear", "purge"))}
    source = Path(audit.__file__).read_text(encoding="utf-8").upper()
    assert "UPDATE AUDIT_LOG" not in source and "DELETE FROM" not in source


def test_audited_transaction_keeps_both_or_neither():
    con = database([cadre("A1")])
    with audit.audited(con, "li", "targets_change", target="targets") as entry:
        con.execute("UPDATE cadres SET name = '改' WHERE cadre_id = 'A1'")
        entry["row_count"] = 1
    assert audit.entries(con)["row_count"].tolist() == [1]
    with pytest.raises(ValueError), audit.audited(con, "li", "not_an_action"):
        con.execute("UPDATE cadres SET name = '再改' WHERE cadre_id = 'A1'")
    assert con.execute("SELECT name FROM cadres").fetchone()[0] == "改"  # rolled back


def test_an_export_is_audited_and_carries_who_and_when():
    con = database([])
    frame = pd.DataFrame({"工号": ["A1", "A2"], "参与率": [0.5, 1.0]})
    when = dt.datetime(2025, 11, 30, 14, 30, 5)
    f = filters(group="一组", visible_group="一组")
    data = audited_export(con, MENTOR, "xlsx", "参与明细", frame, f, ["出生日期"], now=when)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["参与明细", "导出信息"]
    info = {row[0]: row[1] for row in book["导出信息"].iter_rows(min_row=2, values_only=True)}
    assert info["导出人"] == "张老师（zhang）" and info["角色"] == "小组导师"
    assert info["导出时间"] == "2025-11-30 14:30:05" and info["行数"] == "2"
    assert info["筛选条件"] == "2025年 · 一组"
    assert info["按权限未导出的个人信息字段"] == "出生日期"
    row = audit.entries(con).iloc[0]
    assert (row["actor"], row["action"], row["target"], row["row_count"]) == (
        "zhang", "export", "参与明细.xlsx", 2,
    )  # fmt: skip
    assert row["filters"] == f.model_dump_json()
    csv = audited_export(con, LEADER, "csv", "参与明细", frame, None, now=when)
    assert csv.decode("utf-8-sig").splitlines()[0] == "工号,参与率"
    assert len(audit.entries(con)) == 2
    assert export_file_stem("参与 明细/1", MENTOR, when) == "参与-明细-1_zhang_20251130-1430"


def test_an_export_whose_audit_row_cannot_be_written_produces_no_file():
    con = database([])
    con.execute("DROP TABLE audit_log")
    with pytest.raises(duckdb.Error):
        audited_export(con, LEADER, "csv", "x", pd.DataFrame({"a": [1]}))


def test_every_access_label_used_exists():
    import re

    from analytics.common.labels import LABELS

    root = Path(__file__).resolve().parents[2]
    used: set[str] = set()
    for path in ("ui/auth.py", "ui/sidebar.py", "ui/widgets.py", "pages/audit.py", "app.py",
                 "analytics/dataio/export.py"):  # fmt: skip
        used |= set(re.findall(r"""t\(\s*["'](access\.[^"'{}]+)["']""", (root / path).read_text()))
    used |= {f"access.action.{a.value}" for a in audit.Action}
    used |= {f"access.audit.col.{c}" for c in audit.COLUMNS}
    assert len(used) > 40
    assert sorted(used - LABELS.keys()) == []


def test_analytics_reads_cadres_only_through_scoped_cadres():
    """A direct read of `cadres` would bypass a 小组导师's row restriction. The exceptions are
    listed, each with why it is safe; a new one fails here until it is looked at."""
    import re

    allowed = {
        ("db.py", "dimension_values"),  # group and division names for the sidebar, no people
        ("auth.py", "_known_groups"),  # the CLI's hint about group names
        ("awards.py", "award_list"),  # LEFT JOIN for unknown ids, filtered by scoped_cadres
        # the stored copy of expected_attendance holds everyone; it is read only through
        # scoped_expected, which applies visible_group as scoped_cadres does
        ("db.py", "refresh_derived"),
        ("citygen.py", None),  # the benchmark's generator builds a database; it shows no one
        # merging two 工号 is a 管理员's (ensure_can), who sees every group: the preview checks
        # both exist, the merge deletes the dropped one
        ("remove.py", "merge_plan"),
        ("remove.py", "merge_cadres"),
    }
    root = Path(__file__).resolve().parents[2] / "analytics"
    found = set()
    queries = [p for p in (root / "store" / "sql").glob("*.sql") if p.name != "schema.sql"]
    for path in [*root.rglob("*.py"), *queries]:
        current = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"def (\w+)\(", line):
                current = m.group(1)
            if re.search(r"\b(FROM|JOIN)\s+cadres\b", line, re.IGNORECASE):
                found.add((path.name, current))
    assert found == allowed


def test_next_quarters_actions_for_a_mentor_count_only_their_group(demo_con):
    """next_quarter_actions widens the period to the whole year; the widened filters must keep
    the reader's restriction, so a 小组导师 sees their group's counts, not the office's."""
    from analytics.briefing.figures import next_quarter_actions
    from analytics.generators.demo import AS_OF

    group = "第三学习小组"
    restricted = next_quarter_actions(
        demo_con.cursor(), filters(2025, AS_OF, quarter=3, visible_group=group)
    )
    grouped = next_quarter_actions(demo_con.cursor(), filters(2025, AS_OF, quarter=3, group=group))
    office = next_quarter_actions(demo_con.cursor(), filters(2025, AS_OF, quarter=3))
    assert not restricted.empty
    pd.testing.assert_frame_equal(restricted, grouped)
    assert not restricted.equals(office)
