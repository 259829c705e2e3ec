"""Participation: who was expected at which activity, and who came."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.query import run

# The rule the pages state, next to the code that applies it.
EXPECTED_RULE = (
    "应参加人次：全体活动计入活动当日在岗的全部青年干部；小组活动计入该小组在岗成员；"
    "指定活动（列席、座谈交流、选派等）计入名单上的人员。参与率 = 出席人次 ÷ 应参加人次；"
    "请假与缺席分列，均不计为出席；应参加而无记录的计为“未登记”。"
)


def participation_summary(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: expected, attended, on leave, absent, unrecorded, rate and hours credited."""
    return run(
        con,
        """
        SELECT
            count(*) AS expected,
            count(*) FILTER (WHERE e.status = '出席') AS attended,
            count(*) FILTER (WHERE e.status = '请假') AS on_leave,
            count(*) FILTER (WHERE e.status = '缺席') AS absent,
            count(*) FILTER (WHERE e.status = '未登记') AS unrecorded,
            coalesce(sum(e.credited_hours), 0) AS hours,
            CASE WHEN count(*) = 0 THEN NULL
                 ELSE count(*) FILTER (WHERE e.status = '出席') / count(*) END AS rate
        FROM scoped_expected($group, $division, $start, $end) AS e
        """,
        f,
    )


def participation_by_month(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per month of the period: activities held (in scope), expected, attended and rate."""
    return run(
        con,
        """
        WITH months AS (
            SELECT CAST(m AS DATE) AS month
            FROM range(date_trunc('month', CAST($start AS DATE)),
                       CAST($end AS DATE) + INTERVAL 1 DAY, INTERVAL 1 MONTH) AS t(m)
        ),
        rows_in_scope AS (
            SELECT e.*, date_trunc('month', e.date) AS month
            FROM scoped_expected($group, $division, $start, $end) AS e
        ),
        final AS (
            SELECT
                m.month,
                count(DISTINCT r.activity_id) AS activities,
                count(r.cadre_id) AS expected,
                count(r.cadre_id) FILTER (WHERE r.status = '出席') AS attended
            FROM months AS m
            LEFT JOIN rows_in_scope AS r ON r.month = m.month
            GROUP BY m.month
        )
        SELECT month, activities, expected, attended,
               CASE WHEN expected = 0 THEN NULL ELSE attended / expected END AS rate
        FROM final
        ORDER BY month
        """,
        f,
    )


def participation_by_group(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per study group: expected, attended, on leave, absent (incl. unrecorded), rate, hours."""
    return run(
        con,
        """
        SELECT
            e.study_group,
            count(*) AS expected,
            count(*) FILTER (WHERE e.status = '出席') AS attended,
            count(*) FILTER (WHERE e.status = '请假') AS on_leave,
            count(*) FILTER (WHERE e.status IN ('缺席', '未登记')) AS absent,
            count(*) FILTER (WHERE e.status = '出席') / count(*) AS rate,
            sum(e.credited_hours) AS hours
        FROM scoped_expected($group, $division, $start, $end) AS e
        WHERE e.study_group IS NOT NULL
        GROUP BY e.study_group
        """,
        f,
    )


def participation_by_cadre(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cadre with anything expected in the period: expected, attended, rate, last attended."""
    return run(
        con,
        """
        WITH per_cadre AS (
            SELECT
                e.cadre_id,
                count(*) AS expected,
                count(*) FILTER (WHERE e.status = '出席') AS attended,
                count(*) FILTER (WHERE e.status = '请假') AS on_leave,
                count(*) FILTER (WHERE e.status IN ('缺席', '未登记')) AS absent,
                count(*) FILTER (WHERE e.status = '出席') / count(*) AS rate,
                max(e.date) FILTER (WHERE e.status = '出席') AS last_attended
            FROM scoped_expected($group, $division, $start, $end) AS e
            GROUP BY e.cadre_id
        )
        SELECT c.cadre_id, c.name, c.study_group, c.division,
               p.expected, p.attended, p.on_leave, p.absent, p.rate, p.last_attended
        FROM per_cadre AS p
        JOIN cadres AS c USING (cadre_id)
        ORDER BY p.rate, c.cadre_id
        """,
        f,
    )
