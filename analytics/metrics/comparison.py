"""同比: whether an earlier period can be compared with at all. A period before the office's
data began holds no records, and its figures are not zeros but nothing (无同期数据).
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

from analytics.common.filters import Filters
from analytics.store.query import run

YOY_RULE = (
    "同比为上年同期（截至上年同日）同一口径的数值。上年同期没有任何记录（活动、调研成果、获奖、"
    "专业培训均无）时显示“无同期数据”；人均专业培训学时另需上年同期有专业培训记录。"
)

# What a page shows for every figure of a period it cannot compare with: None (无同期数据).
NO_PREVIOUS: dict[str, None] = defaultdict(lambda: None)


def records_in_period(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, bool]:
    """Whether the office holds any record dated in the period ("any") and any training record
    ("training"), whatever the filters: a period before the data began has no 同比 (YOY_RULE)."""
    row = run(
        con,
        """
        SELECT
            EXISTS (SELECT 1 FROM training WHERE completion_date BETWEEN $start AND $end)
                AS training,
            EXISTS (SELECT 1 FROM activities WHERE date BETWEEN $start AND $end)
            OR EXISTS (SELECT 1 FROM reports WHERE submit_date BETWEEN $start AND $end)
            OR EXISTS (SELECT 1 FROM awards WHERE date BETWEEN $start AND $end) AS other
        """,
        f,
    ).iloc[0]
    return {"any": bool(row["training"] or row["other"]), "training": bool(row["training"])}


def comparable(
    figures: dict[str, float | None], records: dict[str, bool]
) -> dict[str, float | None]:
    """An earlier period's figures with None where it has no data to compare with (YOY_RULE)."""
    return {
        key: None
        if not records["any"] or (key == "training_hours" and not records["training"])
        else value
        for key, value in figures.items()
    }
