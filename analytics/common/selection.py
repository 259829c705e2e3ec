"""Chart clicks as table filters: what a plotly selection picked, and the rows it keeps."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

import pandas as pd

from analytics.common import fmt
from analytics.common.labels import t

Match = Callable[[pd.DataFrame, str, Any], pd.Series]


def picks_from_points(
    points: Iterable[Mapping[str, Any]], fields: Sequence[str]
) -> list[dict[str, Any]]:
    """Each selected point's customdata read as `fields` (in order), without repeats."""
    picks: list[dict[str, Any]] = []
    for point in points:
        data = point.get("customdata")
        if data is None:
            continue
        values = data if isinstance(data, list | tuple) else [data]
        pick = dict(zip(fields, values, strict=False))
        if len(pick) == len(fields) and pick not in picks:
            picks.append(pick)
    return picks


def equals(df: pd.DataFrame, field: str, value: Any) -> pd.Series:
    """The plain rule: the row's `field` equals the picked value."""
    return df[field].astype(object) == value


def narrow(
    df: pd.DataFrame,
    selections: Sequence[Sequence[Mapping[str, Any]]],
    match: Match = equals,
) -> pd.DataFrame:
    """Rows that every chart's selection keeps; within one chart the picked points are
    alternatives (a row is kept when it matches any of them on all their fields)."""
    keep = pd.Series(True, index=df.index)
    for picks in selections:
        if not picks:
            continue
        any_pick = pd.Series(False, index=df.index)
        for pick in picks:
            this = pd.Series(True, index=df.index)
            for field, value in pick.items():
                this &= match(df, field, value).astype(bool)
            any_pick |= this
        keep &= any_pick
    return df[keep].reset_index(drop=True)


# ----- one chart, one column: the 季度座谈会 and 干部档案 tables -----


def selection_values(points: Iterable[Mapping[str, Any]]) -> list[Any]:
    """The first customdata value of each selected chart point, in order, without repeats."""
    return [pick["value"] for pick in picks_from_points(points, ["value"])]


def is_in(df: pd.DataFrame, field: str, value: Any) -> pd.Series:
    """The row's `field` is the picked value as pandas' isin sees it (None matches a gap)."""
    return df[field].isin([value])


def rows_matching(df: pd.DataFrame, column: str, values: Sequence[Any]) -> pd.DataFrame:
    """The rows whose `column` is one of `values` (one chart's selection narrowing a table);
    all rows when nothing is picked."""
    return narrow(df, [[{column: value} for value in values]], is_in)


# ----- 学习参与: one drill selection from any of its charts -----


class GridRows(Protocol):
    """A rate grid's axes as drawn: row values and labels, months (ISO dates)."""

    rows: Sequence[str]
    labels: Sequence[str]
    months: Sequence[str]


def cells_in_box(box: Mapping[str, Any], rows: int, columns: int) -> tuple[range, range]:
    """The row and column indices of a category grid that a box selection overlaps.

    plotly gives a box on category axes in index units (cell i spans i − 0.5 … i + 0.5);
    indices outside the grid (e.g. a column drawn beside it) are dropped."""
    xs, ys = [float(v) for v in box.get("x", [])], [float(v) for v in box.get("y", [])]
    if len(xs) < 2 or len(ys) < 2:
        return range(0), range(0)

    def span(values: list[float], size: int) -> range:
        low, high = math.ceil(min(values) - 0.5), math.floor(max(values) + 0.5)
        return range(max(0, low), min(size - 1, high) + 1)

    return span(ys, rows), span(xs, columns)


def drill_from_points(
    name: str,
    points: list[dict[str, Any]],
    boxes: Sequence[Mapping[str, Any]] = (),
    axes: GridRows | None = None,
) -> dict[str, Any] | None:
    """What a selection in the page's chart `name` (group, month, form or grid) narrows the
    attendance detail to, from the points' customdata and, on a rate grid (`axes` as drawn),
    the cells a box covers; None when nothing is selected.

    A grid's own points are its 全期 squares: customdata [row] (or [row, label]), the row for
    the whole period. On the month chart a row is a group, on the grid a cadre."""
    drill: dict[str, list[Any]] = {"groups": [], "months": [], "forms": [], "cadres": []}
    labels: dict[str, list[str]] = {"group": [], "month": [], "form": [], "cadre": []}
    row_kind, row_field = ("cadre", "cadres") if name == "grid" else ("group", "groups")

    def add(kind: str, field: str, value: Any, label: str) -> None:
        if value not in drill[field]:
            drill[field].append(value)
            labels[kind].append(label)

    def add_month(iso: str) -> None:
        month = dt.date.fromisoformat(iso)
        add("month", "months", month, fmt.month(month))

    for point in points:
        data = point.get("customdata") or []
        if not data:
            continue
        if name == "form":
            add("form", "forms", data[0], data[0])
        elif name == "group":
            add("group", "groups", data[0], data[0])
        elif name == "month" and len(data) > 1 and _is_iso_date(data[1]):
            add("group", "groups", data[0], data[0])
            add_month(data[1])
        elif name in ("month", "grid"):  # a grid's 全期 square: [row] (its label on the axes)
            add(row_kind, row_field, data[0], data[1] if len(data) > 1 else _label(data[0], axes))
    if axes is not None:
        for box in boxes:
            rows, columns = cells_in_box(box, len(axes.rows), len(axes.months))
            if not rows:
                continue
            for i in rows:
                add(row_kind, row_field, axes.rows[i], axes.labels[i])
            for j in columns:
                add_month(axes.months[j])
    if not any(drill.values()):
        return None
    text = "；".join(
        t(f"participation.drill.{kind}", v=_listed(values))
        for kind, values in labels.items()
        if values
    )
    return {"source": name, "text": text, **{k: tuple(v) for k, v in drill.items()}}


def _label(row: Any, axes: GridRows | None) -> str:
    """A grid row's label as drawn (the row itself when the axes are not known)."""
    if axes is not None and row in axes.rows:
        return axes.labels[list(axes.rows).index(row)]
    return str(row)


def _listed(values: list[str], shown: int = 3) -> str:
    """A few values in full, a long list as its first ones and how many in all."""
    if len(values) <= shown + 1:
        return "、".join(values)
    return t("participation.drill.many", v="、".join(values[:shown]), n=len(values))


def _is_iso_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True
