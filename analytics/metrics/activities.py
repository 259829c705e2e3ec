"""Activities held: counts by 三课 category and 形式."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.common.filters import Filters
from analytics.store.query import run

CATEGORIES: tuple[str, ...] = ("理论学习", "党性教育", "实践锻炼")
CATEGORY_NAMES = {"理论学习": "理论学习“基础课”", "党性教育": "党性教育“终身课”",
                  "实践锻炼": "实践锻炼“必修课”"}  # fmt: skip


# The rule the pages state beside the figure (总览's cards), next to the SQL below.
ACTIVITIES_RULE = (
    "活动场次：期间内举办的活动，按理论学习、党性教育、实践锻炼三课分类。"
    "按学习小组或处室筛选时，计入该范围内有人应参加的活动：全体活动计入每个小组（处室），"
    "小组活动只计入组织小组，指定活动计入名单上有人的小组（处室）；因此各小组场次之和大于全办场次。"
)


def activities_in_scope(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Activities in the period that any cadre in the group/division filter was expected at."""
    if f.group is None and f.division is None:  # every activity counts: no need to look
        return run(
            con,
            "SELECT a.* FROM activities AS a WHERE a.date BETWEEN $start AND $end "
            "ORDER BY a.date, a.activity_id",
            f,
        )
    return run(
        con,
        """
        SELECT a.*
        FROM activities AS a
        WHERE a.date BETWEEN $start AND $end
          AND a.activity_id IN (
                SELECT e.activity_id FROM scoped_expected($group, $division, $start, $end) AS e)
        ORDER BY a.date, a.activity_id
        """,
        f,
    )


def activities_by_category(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per 三课 category (all three, zero when none): category, activities, hours."""
    held = activities_in_scope(con, f)
    counts = held.groupby("category").agg(
        activities=("activity_id", "size"), hours=("hours", "sum")
    )
    frame = counts.reindex(list(CATEGORIES), fill_value=0).rename_axis("category").reset_index()
    return frame.astype({"activities": "int64", "hours": "float64"})
