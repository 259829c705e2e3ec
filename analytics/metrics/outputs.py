"""调研成果 and 竞赛获奖 counted for the filtered period (through authors and winners)."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.common.filters import Filters
from analytics.store.query import run


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
