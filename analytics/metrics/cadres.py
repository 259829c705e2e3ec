"""Head counts of youth cadres in the filtered group/division."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.common.filters import Filters
from analytics.store.query import run

# The rule the pages state beside the figure (总览's card), next to the SQL below.
HEADCOUNT_RULE = (
    "在岗青年干部：所选期间最后一天（不晚于数据截至日期）在岗的青年干部人数，"
    "按所选学习小组、处室筛选；期间内调离的不计，入职的计入。"
)


def headcount(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: in post at the period's end, in post at any time in it, joined, left."""
    return run(
        con,
        """
        SELECT
            count(*) FILTER (WHERE in_post(join_date, leave_date, $end, $end)) AS at_end,
            count(*) FILTER (WHERE in_post(join_date, leave_date, $start, $end)) AS during,
            count(*) FILTER (WHERE join_date BETWEEN $start AND $end) AS joined,
            count(*) FILTER (WHERE leave_date BETWEEN $start AND $end) AS left_post
        FROM scoped_cadres($group, $division)
        """,
        f,
    )
