"""The stored copy of expected_attendance follows every write path and equals the rule."""

from __future__ import annotations

import pandas as pd

from analytics.store.db import (
    bump_data_version,
    connect,
    insert_rows,
    refresh_derived,
    rows_by_table,
)
from tests.factories import D, activity, cadre, database, present, stint

COPY_MINUS_RULE = """
WITH copy AS (SELECT * EXCLUDE (study_group, division) FROM expected_attendance_facts)
SELECT count(*) FROM (
    (SELECT * FROM copy EXCEPT ALL SELECT * FROM expected_attendance_rule)
    UNION ALL
    (SELECT * FROM expected_attendance_rule EXCEPT ALL SELECT * FROM copy))
"""


def _office():
    return [
        cadre("A1", group="一组", division="甲处"),
        cadre("A2", group="二组", division="乙处"),
        cadre("A3", group="一组", leave_date=D(2025, 1, 31)),
        activity("H1", D(2025, 3, 1), scope="全体"),
        activity("H2", D(2025, 3, 2), scope="小组", organizer_group="一组"),
        activity("H3", D(2025, 3, 3), scope="指定"),
        present("H1", "A1"),
        present("H2", "A2", status="请假"),  # not in the group, but has a row: expected too
        present("H3", "A3", role="列席"),  # left already; a row still counts
    ]


def test_the_copy_equals_the_rule_with_the_cadres_group_and_division():
    con = database(_office())
    assert con.execute(COPY_MINUS_RULE).fetchone()[0] == 0
    rows = con.execute(
        "SELECT activity_id, cadre_id, status, study_group, division "
        "FROM expected_attendance_facts ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("H1", "A1", "出席", "一组", "甲处"),
        ("H1", "A2", "未登记", "二组", "乙处"),
        ("H2", "A1", "未登记", "一组", "甲处"),
        ("H2", "A2", "请假", "二组", "乙处"),
        ("H3", "A3", "出席", "一组", "秘书一处"),
    ]


def test_a_plain_sql_write_is_picked_up_by_bump_data_version():
    con = database(_office())
    con.execute("UPDATE attendance SET status = '缺席', credited_hours = 0 WHERE cadre_id = 'A1'")
    con.execute("UPDATE cadres SET study_group = '二组' WHERE cadre_id = 'A2'")
    stale = con.execute("SELECT status FROM expected_attendance WHERE cadre_id = 'A1'").fetchone()
    assert stale == ("出席",)  # the copy lags until the writer bumps the version …
    bump_data_version(con)
    assert con.execute(COPY_MINUS_RULE).fetchone()[0] == 0  # … then it is the rule again
    assert con.execute(
        "SELECT status FROM expected_attendance WHERE cadre_id = 'A1'"
    ).fetchone() == ("缺席",)
    assert not refresh_derived(con)  # nothing changed since: no rebuild


def test_opening_a_file_rebuilds_a_copy_that_is_out_of_date(tmp_path):
    path = tmp_path / "office.duckdb"
    con = connect(path)
    insert_rows(con, rows_by_table(_office()))
    con.execute("DELETE FROM expected_attendance_facts")  # e.g. written by an older version
    con.execute("DELETE FROM meta WHERE key = 'derived_state'")
    con.close()
    con = connect(path)
    assert con.execute("SELECT count(*) FROM expected_attendance").fetchone()[0] == 5
    assert con.execute(COPY_MINUS_RULE).fetchone()[0] == 0


def test_training_hours_by_cadre_agrees_with_the_quota_fact_sheet(demo_con):
    """training_hours_by_cadre reads the pro-rating rule's parts of quota_by_cadre.sql on its
    own (for speed); both must give the same hours and expected hours for every cadre."""
    from analytics.metrics.quotas import quota_by_cadre, training_hours_by_cadre
    from tests.factories import filters

    con = demo_con
    as_of = D(2025, 11, 30)
    for f in (
        filters(2025, as_of),
        filters(2025, as_of, quarter=2),
        filters(2024, as_of),
        filters(2025, as_of, group="第三学习小组"),
        filters(2025, as_of, division="秘书一处"),
    ):
        lean = training_hours_by_cadre(con, f)
        sheet = quota_by_cadre(con, f)[
            ["cadre_id", "name", "study_group", "division", "hours", "hours_expected"]
        ].rename(columns={"hours_expected": "expected"})
        assert len(lean) > 0
        pd.testing.assert_frame_equal(lean, sheet)


def test_a_cadre_away_on_a_stint_is_not_expected_at_home_activities():
    """挂职 and 三线历练 days take a cadre out of 全体/小组 activities (kept apart as on_stint);
    a roster still names them, one who came anyway counts, and a rotation at home excuses no one."""
    con = database(
        [
            cadre("A1"),
            cadre("A2"),
            cadre("A3"),
            cadre("A4"),
            stint("A1", "挂职", D(2025, 3, 1), None),
            stint("A2", "三线历练", D(2025, 3, 1), D(2025, 3, 31)),
            stint("A3", "跨处室轮岗", D(2025, 3, 1), None),
            stint("A4", "挂职", D(2025, 3, 1), None),
            activity("H1", D(2025, 3, 10), scope="全体"),
            activity("H2", D(2025, 3, 11), scope="小组", organizer_group="一组"),
            activity("H3", D(2025, 3, 12), scope="指定"),
            activity("H4", D(2025, 4, 10), scope="全体"),
            present("H1", "A1", status="请假"),
            present("H1", "A4"),  # came in from the secondment: counted as present
            present("H3", "A1", status="请假"),  # named on a roster: still expected
        ]
    )
    assert con.execute(COPY_MINUS_RULE).fetchone()[0] == 0
    away = con.execute(
        "SELECT activity_id, cadre_id, status FROM expected_attendance_facts WHERE on_stint "
        "ORDER BY ALL"
    ).fetchall()
    assert away == [
        ("H1", "A1", "请假"), ("H1", "A2", "未登记"), ("H2", "A1", "未登记"),
        ("H2", "A2", "未登记"), ("H2", "A4", "未登记"), ("H4", "A1", "未登记"),
        ("H4", "A4", "未登记"),
    ]  # fmt: skip
    expected = con.execute(
        "SELECT activity_id, cadre_id FROM expected_attendance ORDER BY ALL"
    ).fetchall()
    assert expected == [
        ("H1", "A3"), ("H1", "A4"), ("H2", "A3"), ("H3", "A1"), ("H4", "A2"), ("H4", "A3"),
    ]  # fmt: skip


def test_a_stint_written_by_plain_sql_is_picked_up_by_bump_data_version():
    """The copy's fingerprint covers assignments: a new 挂职 changes who is expected."""
    con = database(_office())
    count = "SELECT count(*) FROM expected_attendance WHERE cadre_id = 'A2'"
    assert con.execute(count).fetchone() == (2,)  # H1 (未登记) and H2 (请假)
    con.execute("INSERT INTO assignments VALUES ('A2', '挂职', '某街道', DATE '2025-01-01', NULL)")
    bump_data_version(con)
    assert con.execute(count).fetchone() == (0,)
    assert con.execute(COPY_MINUS_RULE).fetchone()[0] == 0
