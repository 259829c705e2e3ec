"""调研成果 and 竞赛获奖 counted for the filtered period (through authors and winners)."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.common.filters import Filters
from analytics.store.query import run

# The rules the pages state beside the figures (总览's cards), next to the SQL below.
REPORTS_RULE = (
    "调研成果：期间内提交的全部成果，含调研报告、调研文章、心得体会、改革建议和征文"
    "（工作总结所说的“调研报告”只是其中一类，分类数见调研成果页）；"
    "按学习小组或处室筛选时，计入至少有一名作者（执笔人或参与人）属于该范围的成果。"
)
AWARDS_RULE = (
    "竞赛获奖：获奖日期在期间内的奖项，一个奖项计 1 项（团队获奖不按人数重复计）；"
    "按学习小组或处室筛选时，计入至少有一名获奖人属于该范围的奖项。"
)


def reports_in_scope(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Reports submitted in the period with at least one author in the group/division filter."""
    return run(
        con,
        """
        SELECT r.*
        FROM reports AS r
        WHERE r.submit_date BETWEEN $start AND $end
          AND EXISTS (SELECT 1 FROM report_authors AS ra
                      JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
                      WHERE ra.report_id = r.report_id)
        ORDER BY r.submit_date, r.report_id
        """,
        f,
    )


def awards_in_scope(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Awards won in the period with at least one winner in the group/division filter."""
    return run(
        con,
        """
        SELECT w.*
        FROM awards AS w
        WHERE w.date BETWEEN $start AND $end
          AND EXISTS (SELECT 1 FROM award_winners AS aw
                      JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
                      WHERE aw.award_id = w.award_id)
        ORDER BY w.date, w.award_id
        """,
        f,
    )
