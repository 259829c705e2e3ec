"""学习导师轮值 and 青年政治理论学习日: the monthly rhythms of the theory study groups."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.query import run


def mentor_turns(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Every group × month of the period up to the as-of month, with the mentor (None if missed)."""
    return run(
        con,
        """
        WITH months AS (
            SELECT CAST(m AS DATE) AS month
            FROM range(date_trunc('month', CAST($start AS DATE)),
                       CAST($end AS DATE) + INTERVAL 1 DAY, INTERVAL 1 MONTH) AS t(m)
        ),
        groups AS (
            SELECT DISTINCT study_group FROM scoped_cadres($group, $division)
            WHERE study_group IS NOT NULL AND in_post(join_date, leave_date, $start, $end)
        )
        SELECT g.study_group, m.month, gm.mentor_name
        FROM groups AS g
        CROSS JOIN months AS m
        LEFT JOIN group_mentors AS gm ON gm.study_group = g.study_group AND gm.month = m.month
        ORDER BY g.study_group, m.month
        """,
        f,
    )


def study_days(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: 青年政治理论学习日 held in the period, months elapsed, and the number due."""
    frame = run(
        con,
        """
        SELECT
            count(*) AS held,
            count(DISTINCT date_trunc('month', date)) AS months_with,
            date_diff('month', CAST($start AS DATE), CAST($end AS DATE)) + 1 AS months
        FROM activities
        WHERE form = '理论学习日' AND date BETWEEN $start AND $end
        """,
        f,
    )
    return frame
