import duckdb
import pytest

from analytics.store.db import create_schema, natural_key
from tests.factories import D, activity, cadre, database


def test_schema_creation_is_idempotent_and_keeps_rows():
    con = database([cadre("A1")])
    create_schema(con)
    create_schema(con)
    assert con.execute("SELECT count(*) FROM cadres").fetchone()[0] == 1
    assert con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0] == "0"


def test_every_entity_has_a_table():
    con = duckdb.connect()
    create_schema(con)
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {
        "cadres", "activities", "attendance", "reports", "report_authors", "awards",
        "award_winners", "assessments", "assignments", "training", "mentorships",
        "group_mentors", "targets", "expected_attendance",
    } <= tables  # fmt: skip


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "INSERT INTO activities VALUES ('X', 't', '文体活动', '导师领学', NULL, NULL, NULL, '全体', "
            "DATE '2025-01-01', 1, NULL)",
            "CHECK",
        ),
        (
            "INSERT INTO activities VALUES ('X', 't', '理论学习', '导师领学', NULL, NULL, NULL, '小组', "
            "DATE '2025-01-01', 1, NULL)",
            "CHECK",
        ),
        ("INSERT INTO attendance VALUES ('X', 'A1', '参加', '迟到', 1)", "CHECK"),
        ("INSERT INTO targets VALUES ('happiness', 2025, 1)", "CHECK"),
        ("INSERT INTO assessments VALUES ('A1', '2025Q5', '季度考核', '优秀', 90)", "CHECK"),
        (
            "INSERT INTO cadres VALUES ('A1', 'x', '男', NULL, 'd', NULL, NULL, NULL, "
            "DATE '2025-01-01', NULL)",
            "PRIMARY KEY|Duplicate key",
        ),
    ],
)
def test_constraints_refuse_values_the_pages_cannot_count(sql, message):
    con = database([cadre("A1")])
    with pytest.raises(duckdb.Error, match=message):
        con.execute(sql)


def test_expected_attendance_follows_scope_and_marks_unrecorded():
    con = database(
        [
            cadre("A1", group="一组"),
            cadre("A2", group="二组"),
            cadre("A3", group="一组", leave_date=D(2025, 1, 31)),
            activity("H1", D(2025, 3, 1), scope="全体"),
            activity("H2", D(2025, 3, 2), scope="小组", organizer_group="一组"),
        ]
    )
    rows = con.execute(
        "SELECT activity_id, cadre_id, status FROM expected_attendance ORDER BY ALL"
    ).fetchall()
    assert rows == [("H1", "A1", "未登记"), ("H1", "A2", "未登记"), ("H2", "A1", "未登记")]


def test_groups_sort_by_their_numbers():
    names = ["第十学习小组", "第二学习小组", "第一学习小组", "第三学习小组"]
    assert sorted(names, key=natural_key) == [
        "第一学习小组",
        "第二学习小组",
        "第三学习小组",
        "第十学习小组",
    ]


def test_a_shared_sql_part_is_included_where_it_is_named_and_kept_once():
    from analytics.store.query import SQL_DIR, sql_text

    whole = sql_text("quota_by_cadre")
    assert "-- include:" not in whole
    assert sql_text("quota_people") in whole
    assert "$rotation_types" not in (SQL_DIR / "quota_by_cadre.sql").read_text(encoding="utf-8")
