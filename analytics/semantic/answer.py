"""Answering a question: SQL built from the catalogue's declarations only (identifiers from it,
every value a parameter), run on the fact's period through the store, and the table a reader
sees (values in the dimensions' own order, a 合计 row, 同比 when asked)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.common.labels import t
from analytics.semantic.catalogue import (
    CADRE_COLUMNS,
    DIMENSIONS,
    FACTS,
    MEASURES,
    age_band_labels,
)
from analytics.semantic.question import Question
from analytics.store.db import natural_key
from analytics.store.query import run

VALUE, PREVIOUS = "value", "previous"


def _label_params() -> dict[str, Any]:
    """The words the SQL writes into values (blanks, age bands), passed as parameters."""
    params: dict[str, Any] = {"blank": t("explore.blank"), "no_group": t("explore.no_group")}
    params.update({f"age_band_{i}": label for i, label in enumerate(age_band_labels())})
    return params


def compile_sql(q: Question, dims: Sequence[str] | None = None) -> tuple[str, dict[str, Any]]:
    """The statement for `q` grouped by `dims` (default q.dims; () for the total) and the
    parameters of its filters. Every identifier and expression comes from the catalogue; a
    filter's values reach DuckDB only as $pick_i / $low_i / $high_i."""
    return _statement(MEASURES[q.measure].fact, {VALUE: q.measure}, q, dims)


def _statement(
    fact: str,
    measures: dict[str, str],
    q: Question,
    dims: Sequence[str] | None = None,
    known_only: bool = False,
) -> tuple[str, dict[str, Any]]:
    """SELECT the dimensions and each measure (alias → measure key, all of one fact) over the
    fact's rows under q's filters; with known_only, rows whose dimension is blank (a cadre in
    no study group) are left out rather than grouped under 未分组."""
    dims = q.dims if dims is None else tuple(dims)
    where: list[str] = [
        f"{DIMENSIONS[d].column} IS NOT NULL"
        for d in dims
        if known_only and DIMENSIONS[d].column is not None
    ]
    params: dict[str, Any] = {}
    for i, (dim, values) in enumerate(q.picks):
        where.append(
            f"list_contains(CAST($pick_{i} AS VARCHAR[]), CAST({DIMENSIONS[dim].sql} AS VARCHAR))"
        )
        params[f"pick_{i}"] = list(values)
    for i, (dim, low, high) in enumerate(q.ranges):
        where.append(f"({DIMENSIONS[dim].range_sql}) BETWEEN $low_{i} AND $high_{i}")
        params[f"low_{i}"], params[f"high_{i}"] = low, high
    selected = [f"{DIMENSIONS[d].sql} AS {d}" for d in dims]
    selected += [f"{MEASURES[key].sql} AS {alias}" for alias, key in measures.items()]
    read = {*dims, *(d for d, _ in q.picks), *(d for d, _, _ in q.ranges)}
    reads = [MEASURES[key].reads for key in measures.values()]
    columns = None if None in reads else frozenset().union(*reads)
    sql = (
        f"WITH fact AS ({FACTS[fact].sql_for(read, columns)})\n"
        f"SELECT {', '.join(selected)}\n"
        f"FROM fact\nWHERE {' AND '.join(where) if where else 'true'}\n"
        "GROUP BY ALL"
    )
    return sql, params


def _run(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    fact_key: str,
    sql: str,
    params: dict[str, Any],
    none_before_start: bool = True,
) -> pd.DataFrame:
    """The statement on the fact's period (the year to date for annual quotas), with the
    fact's own parameters; no rows for a period that has not begun (none_before_start)."""
    fact = FACTS[fact_key]
    period = fact.filters_for(f)
    extra = fact.prepare(con, period) if fact.prepare is not None else {}
    frame = run(con, sql, period, **_label_params(), **extra, **params)
    if none_before_start and period.is_empty:  # nothing can have happened yet: no figure
        frame = frame.iloc[0:0]
    return frame


def _ask(
    con: duckdb.DuckDBPyConnection, f: Filters, q: Question, dims: Sequence[str] | None = None
) -> pd.DataFrame:
    sql, params = compile_sql(q, dims)
    frame = _run(con, f, MEASURES[q.measure].fact, sql, params)
    frame[VALUE] = frame[VALUE].astype("float64")
    return frame


def figures(
    con: duckdb.DuckDBPyConnection, f: Filters, measures: Sequence[str]
) -> dict[str, float | None]:
    """The measures' totals under the sidebar's filters, as the pages' cards show them: one
    statement per fact, from the same declarations as 自助分析's answers. None where there is
    no figure (a rate without a denominator); counts are ints, never None, and a period that
    has not begun counts 0 (the pages say so themselves)."""
    out: dict[str, float | None] = {}
    for fact, wanted in _by_fact(measures).items():
        sql, params = _statement(fact, wanted, Question(), ())
        frame = _run(con, f, fact, sql, params, none_before_start=False)
        for key in wanted:
            value = frame[key].iloc[0] if len(frame) else None
            missing = value is None or pd.isna(value)
            if MEASURES[key].unit == "count":  # a count of nothing is 0, never "no figure"
                out[key] = 0 if missing else int(value)
            else:
                out[key] = None if missing else float(value)
    return {key: out[key] for key in measures}


def _by_fact(measures: Sequence[str]) -> dict[str, dict[str, str]]:
    """The measures grouped by the fact they aggregate (one statement each), as alias → key."""
    grouped: dict[str, dict[str, str]] = {}
    for key in measures:
        grouped.setdefault(MEASURES[key].fact, {})[key] = key
    return grouped


def figures_by(
    con: duckdb.DuckDBPyConnection, f: Filters, measures: Sequence[str], dim: str
) -> pd.DataFrame:
    """The measures by one dimension, as the pages' breakdowns show them (every study group,
    every division): a row per value that has rows, in the dimension's own order, with a column
    per measure (NaN: no figure). Blank values (no study group) are left out, as the pages'
    breakdowns leave them out; the measures are the catalogue's, so the breakdown and
    自助分析's answer by the same dimension are one computation."""
    out: pd.DataFrame | None = None
    for fact, wanted in _by_fact(measures).items():
        sql, params = _statement(fact, wanted, Question(), (dim,), known_only=True)
        frame = _run(con, f, fact, sql, params, none_before_start=False)
        out = frame if out is None else out.merge(frame, on=dim, how="outer")
    assert out is not None, "figures_by needs at least one measure"
    for key in measures:  # a value one fact has and another not: that one counts none there
        count = MEASURES[key].unit == "count"
        out[key] = out[key].fillna(0).astype("int64") if count else out[key].astype("float64")
    return _in_order(out, dim)[[dim, *measures]].reset_index(drop=True)


def order_values(dim: str, values: Sequence[Any]) -> list[Any]:
    """Values of a dimension in its own order (职级 senior first, months in order), the rest
    in natural order after them."""
    own = {v: i for i, v in enumerate(DIMENSIONS[dim].order)}
    if dim == "age_band":
        own = {v: i for i, v in enumerate([t("explore.blank"), *age_band_labels()])}
    return sorted(values, key=lambda v: (own.get(v, len(own)), natural_key(str(v))))


def answer(con: duckdb.DuckDBPyConnection, f: Filters, q: Question) -> pd.DataFrame:
    """One row per value (pair of values) of q.dims that has rows: the dimensions' values
    (under their keys), `value`, and with q.yoy `previous` (the same period last year; NaN
    where it had none), in the dimensions' own order."""
    frame = _ask(con, f, q)
    if q.yoy:
        before = _ask(con, f.year_earlier(), q).rename(columns={VALUE: PREVIOUS})
        frame = frame.merge(before, on=list(q.dims), how="left") if q.dims else (
            frame.assign(**{PREVIOUS: before[PREVIOUS].iloc[0] if len(before) else None})
        )  # fmt: skip
        frame[PREVIOUS] = frame[PREVIOUS].astype("float64")
    for dim in reversed(q.dims):  # a stable sort per dimension, last first
        frame = _in_order(frame, dim)
    return frame.reset_index(drop=True)


def _in_order(frame: pd.DataFrame, dim: str) -> pd.DataFrame:
    """`frame`'s rows in the order of `dim`'s values (stable: ties keep their order)."""
    rank = {v: i for i, v in enumerate(order_values(dim, frame[dim].unique().tolist()))}
    return frame.iloc[frame[dim].map(rank).argsort(kind="stable")]


def answer_total(con: duckdb.DuckDBPyConnection, f: Filters, q: Question) -> pd.DataFrame:
    """The measure under the question's filters with no dimension: the table's 合计 row (a rate
    or a distinct count computed over all rows, not summed from the parts)."""
    return answer(con, f, q.model_copy(update={"dims": ()}))


def dimension_options(con: duckdb.DuckDBPyConnection, f: Filters, measure: str) -> pd.DataFrame:
    """Every value each dimension of `measure` takes in the period under the sidebar's filters
    (for a range dimension, the numbers it filters on), as (dimension, value) rows in order."""
    m = MEASURES[measure]
    fact = FACTS[m.fact]
    period = fact.filters_for(f)
    dims = [DIMENSIONS[d] for d in m.dimensions]
    # Each dimension's values from the distinct rows of the columns it reads, the cadres' or
    # the events' (or the fact's cheaper sources of the same rows: catalogue.Fact.people):
    # at city scale a DISTINCT over each of twelve expressions of 2 M rows took 1.4 s.
    events = sorted({c for d in dims for c in d.reads})
    parts = {
        "people": fact.people or f"SELECT DISTINCT {CADRE_COLUMNS} FROM fact",
        "events": fact.events or f"SELECT DISTINCT {', '.join(events) or '1 AS none'} FROM fact",
    }
    lists = ", ".join(
        f"(SELECT list(DISTINCT {d.range_sql or d.sql}) FROM {'events' if d.reads else 'people'})"
        f" AS {d.key}"
        for d in dims
    )
    extra = fact.prepare(con, period) if fact.prepare is not None else {}
    sql = (
        f"WITH fact AS ({fact.sql}),\n"
        + ",\n".join(f"{name} AS ({part})" for name, part in parts.items())
        + f"\nSELECT {lists}"
    )
    row = run(con, sql, period, **_label_params(), **extra).iloc[0]
    rows = []
    for d in dims:
        values = _listed(row[d.key])
        values = sorted(int(v) for v in values) if d.range_sql else order_values(d.key, values)
        rows += [{"dimension": d.key, "value": _plain(v)} for v in values]
    return pd.DataFrame(rows, columns=["dimension", "value"])


def _listed(cell: Any) -> list[Any]:
    """A DuckDB list as its values without NULLs (a blank fact is no value to offer). The list
    itself is NULL (None, NaN or NA by the dtype) when the period has no row, and a list of
    integers with a NULL arrives as a numpy masked array."""
    if cell is None or (pd.api.types.is_scalar(cell) and pd.isna(cell)):
        return []
    if isinstance(cell, np.ma.MaskedArray):
        return cell.compressed().tolist()
    return [v for v in cell if v is not None and not (pd.api.types.is_scalar(v) and pd.isna(v))]


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones (they go back into URLs and parameters)."""
    return value.item() if hasattr(value, "item") else value


def options_by_dimension(options: pd.DataFrame) -> dict[str, list[Any]]:
    """dimension_options as {dimension: [values]}."""
    return {dim: part["value"].tolist() for dim, part in options.groupby("dimension", sort=False)}


# ----- the table a reader sees and downloads -----


def result_table(frame: pd.DataFrame, total: pd.DataFrame, q: Question) -> pd.DataFrame:
    """The answer with Chinese headers, values shown as the dimensions name them, and a 合计 row
    (the total under the same filters, computed over all rows); numbers stay numbers (for
    downloads)."""
    measure = MEASURES[q.measure]
    out = pd.DataFrame(
        {DIMENSIONS[d].label: [DIMENSIONS[d].show(v) for v in frame[d]] for d in q.dims}
    )
    columns = [(VALUE, measure.label)]
    if q.yoy:
        columns.append((PREVIOUS, t("explore.col.previous")))
    for key, label in columns:
        out[label] = frame[key].to_numpy() if len(frame) else pd.Series(dtype="float64")
    if q.yoy:
        out[t("explore.col.change")] = out[measure.label] - out[t("explore.col.previous")]
    if len(total) and q.dims:  # without a dimension the one row is the total
        row: dict[str, Any] = {DIMENSIONS[d].label: "" for d in q.dims}
        row[DIMENSIONS[q.dims[0]].label] = t("explore.total")
        row[measure.label] = total[VALUE].iloc[0]
        if q.yoy:
            row[t("explore.col.previous")] = total[PREVIOUS].iloc[0]
            row[t("explore.col.change")] = total[VALUE].iloc[0] - total[PREVIOUS].iloc[0]
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
    return out


def shown_table(table: pd.DataFrame, q: Question) -> pd.DataFrame:
    """result_table with its numbers written in the measure's unit (23.8%, 51.0 学时)."""
    unit = MEASURES[q.measure].unit
    out = table.copy()
    for label in (MEASURES[q.measure].label, t("explore.col.previous")):
        if label in out:
            out[label] = [fmt.number(v, unit) for v in out[label]]
    change = t("explore.col.change")
    if change in out:
        out[change] = [
            fmt.delta(v, 0.0, unit) or "—" for v in out[change].astype("float64")
        ]  # the change is shown in the unit's own terms: +1.2 个百分点
    return out


# ----- which chart: chosen from the question's shape -----

GROUPED_MAX_CELLS = 40  # more bars than this (or more than GROUPED_MAX_SERIES colours): heatmap
GROUPED_MAX_SERIES = 8


def chart_shape(q: Question, frame: pd.DataFrame) -> str:
    """none (no dimension), bar (one, sorted), line (months or quarters), lines (a time
    dimension and another), grouped (two with few values) or heatmap (two with many)."""
    if not q.dims:
        return "none"
    times = [d for d in q.dims if DIMENSIONS[d].time]
    if len(q.dims) == 1:
        return "line" if times else "bar"
    if times:
        return "lines"
    first, second = (frame[d].nunique() for d in q.dims)
    if first * second <= GROUPED_MAX_CELLS and second <= GROUPED_MAX_SERIES:
        return "grouped"
    return "heatmap"


def chart_frame(frame: pd.DataFrame, q: Question) -> pd.DataFrame:
    """The answer as the chart builders read it: label/key (the x or bar dimension), label2/key2
    (the second, as series), value, previous. For lines the time dimension comes first."""
    dims = list(q.dims)
    if len(dims) == 2 and DIMENSIONS[dims[1]].time and not DIMENSIONS[dims[0]].time:
        dims.reverse()
    out = pd.DataFrame(index=frame.index)
    for suffix, dim in zip(("", "2"), dims, strict=False):
        out[f"label{suffix}"] = [DIMENSIONS[dim].show(v) for v in frame[dim]]
        out[f"key{suffix}"] = [str(v) for v in frame[dim]]
        out[f"dim{suffix}"] = dim
    out["value"] = frame[VALUE]
    if PREVIOUS in frame:
        out["previous"] = frame[PREVIOUS]
    return out


def picks_from_click(
    points: Sequence[dict[str, Any]], chart: pd.DataFrame
) -> list[tuple[str, str]]:
    """What a click on the chart adds as filters: (dimension, value) for the clicked mark's
    values (both dimensions' for a mark of a two-dimension chart), first point only."""
    for point in points:
        data = point.get("customdata")
        if data is None:
            continue
        values = data if isinstance(data, list | tuple) else [data]
        dims = [chart[c].iloc[0] for c in ("dim", "dim2") if c in chart and len(chart)]
        return [(dim, str(value)) for dim, value in zip(dims, values, strict=False)]
    return []
