"""Quota compliance against the year's targets (read from the targets table, never from code)."""

from __future__ import annotations

from typing import Literal

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.query import run

Status = Literal["green", "amber", "red", "none"]

ROTATION_TYPES: list[str] = ["跨处室轮岗", "专项工作"]
SECONDMENT_TYPES: list[str] = ["挂职"]

DENOMINATOR_RULE = (
    "年度指标按“年初至期末”计算。比例类指标的分母为该期间内任一时间在岗的青年干部"
    "（含年中入职、调离人员）；分子为其中有任职经历与该期间重叠的人数（跨年任职计入其经历的每个年度，"
    "一人多段只计一次）。学时按在岗天数折算：应完成学时 = 年度目标 × 期间内在岗天数 ÷ 全年天数。"
)
RAG_RULE = (
    "进度目标 = 年度目标 × 已过天数 ÷ 全年天数。达到进度目标为绿色；"
    "达到进度目标的 90% 为黄色；低于 90% 为红色。"
)
AMBER_RATIO = 0.9


def targets_for_year(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, float]:
    """Every target stored for `year`, by metric key."""
    rows = con.execute("SELECT metric, value FROM targets WHERE year = ?", [year]).fetchall()
    return {metric: float(value) for metric, value in rows}


def rag_status(actual: float | None, expected: float | None) -> Status:
    """Red/amber/green against the pro-rata expectation (rule in RAG_RULE)."""
    if actual is None or expected is None:
        return "none"
    if actual >= expected:
        return "green"
    if actual >= AMBER_RATIO * expected:
        return "amber"
    return "red"


def training_hours_by_cadre(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cadre in post during the period: hours completed and hours expected pro rata."""
    target = targets_for_year(con, f.year).get("training_hours_per_cadre")
    return run(
        con,
        """
        WITH people AS (
            SELECT c.cadre_id, c.name, c.study_group, c.division,
                   greatest(c.join_date, CAST($start AS DATE)) AS s,
                   least(coalesce(c.leave_date, CAST($end AS DATE)), CAST($end AS DATE)) AS e
            FROM scoped_cadres($group, $division) AS c
            WHERE in_post(c.join_date, c.leave_date, $start, $end)
        ),
        done AS (
            SELECT cadre_id, sum(hours) AS hours
            FROM training
            WHERE completion_date BETWEEN $start AND $end
            GROUP BY cadre_id
        )
        SELECT p.cadre_id, p.name, p.study_group, p.division,
               coalesce(d.hours, 0) AS hours,
               CAST($target AS DOUBLE) * (date_diff('day', p.s, p.e) + 1) / $days_in_year
                   AS expected
        FROM people AS p
        LEFT JOIN done AS d USING (cadre_id)
        ORDER BY p.cadre_id
        """,
        f,
        target=target,
    )


def assignment_share(con: duckdb.DuckDBPyConnection, f: Filters, types: list[str]) -> pd.DataFrame:
    """One row: cadres in post during the period, how many had a stint of `types`, the share."""
    return run(
        con,
        """
        WITH people AS (
            SELECT c.cadre_id FROM scoped_cadres($group, $division) AS c
            WHERE in_post(c.join_date, c.leave_date, $start, $end)
        ),
        stints AS (
            SELECT DISTINCT cadre_id FROM assignments
            WHERE list_contains($types, type)
              AND start_date <= $end AND coalesce(end_date, $end) >= $start
        )
        SELECT count(*) AS cadres, count(s.cadre_id) AS with_stint,
               CASE WHEN count(*) = 0 THEN NULL ELSE count(s.cadre_id) / count(*) END AS share
        FROM people AS p
        LEFT JOIN stints AS s USING (cadre_id)
        """,
        f,
        types=types,
    )
