"""Checks of the 自助分析 semantic layer that hold on any database: every measure by every
dimension it offers runs and gives sensible numbers, and where a measure is additive over a
dimension the parts add up to the office total. They take a connection and filters, so the
same checks run on the demo, the tiny city and (once they land) the generated offices:

    from tests.semantic_checks import every_pair, additive_totals
    assert every_pair(con, f) == [] and additive_totals(con, f) == []
"""

from __future__ import annotations

import math

import duckdb

from analytics.common.filters import Filters
from analytics.semantic.answer import answer, answer_total
from analytics.semantic.catalogue import MEASURES
from analytics.semantic.question import Question
from analytics.store.query import memo

BOUNDED = {"share"}  # a share lies in [0, 1]


def _problems(m_key: str, dims: tuple[str, ...], values: list[float]) -> list[str]:
    unit = MEASURES[m_key].unit
    found = []
    for v in values:
        if math.isnan(v):
            continue  # a rate with nothing to count: shown as —
        if v < 0 or (unit in BOUNDED and v > 1 + 1e-9):
            found.append(f"{m_key} by {dims}: {v}")
    return found


def every_pair(con: duckdb.DuckDBPyConnection, f: Filters) -> list[str]:
    """Every measure alone, by each dimension it offers, and by its first two together:
    problems found (an error, a negative value, a share above 100 %, a total but no parts)."""
    problems: list[str] = []
    for m in MEASURES.values():
        with memo():  # the scope a fact reads (reports and awards in scope) once per measure
            problems += _measure_problems(con, f, m.key)
    return problems


def _measure_problems(con: duckdb.DuckDBPyConnection, f: Filters, key: str) -> list[str]:
    m = MEASURES[key]
    problems: list[str] = []
    total = answer_total(con, f, Question(measure=m.key))
    problems += _problems(m.key, (), total["value"].tolist())
    for dims in [(d,) for d in m.dimensions] + [m.dimensions[:2]]:
        try:
            frame = answer(con, f, Question(measure=m.key, dims=dims))
        except Exception as exc:  # noqa: BLE001 - reported with the pair that raised
            problems.append(f"{m.key} by {dims}: {type(exc).__name__}: {exc}")
            continue
        problems += _problems(m.key, dims, frame["value"].tolist())
        has_total = len(total) and not math.isnan(total["value"].iloc[0])
        if has_total and total["value"].iloc[0] > 0 and frame.empty:
            problems.append(f"{m.key} by {dims}: a total but no rows")
    return problems


def additive_totals(con: duckdb.DuckDBPyConnection, f: Filters) -> list[str]:
    """For each measure and each dimension it is additive over, the parts' sum against the
    total: the pairs where they differ, and how (empty when every sum holds)."""
    problems = []
    for m in MEASURES.values():
        total = answer_total(con, f, Question(measure=m.key))["value"].sum()
        for dim in sorted(m.additive & set(m.dimensions)):
            parts = answer(con, f, Question(measure=m.key, dims=(dim,)))["value"].sum()
            if not math.isclose(parts, total, rel_tol=1e-9, abs_tol=1e-6):
                problems.append(f"{m.key} over {dim}: parts {parts} != total {total}")
    return problems


def additive_pairs() -> int:
    """How many (measure, dimension) pairs the additive check covers (so it is not vacuous)."""
    return sum(len(m.additive & set(m.dimensions)) for m in MEASURES.values())
