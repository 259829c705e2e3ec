"""Chart clicks as table filters: what a plotly selection picked, and the rows it keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

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


def drill_from_points(name: str, points: list[dict[str, Any]]) -> dict[str, Any] | None:
    """What a selection in the page's chart `name` (group, month, form or grid) narrows the
    attendance detail to, from the points' customdata; None when nothing is selected."""
    drill: dict[str, list[Any]] = {"groups": [], "months": [], "forms": [], "cadres": []}
    labels: dict[str, list[str]] = {"group": [], "month": [], "form": [], "cadre": []}

    def add(kind: str, field: str, value: Any, label: str) -> None:
        if value not in drill[field]:
            drill[field].append(value)
            labels[kind].append(label)

    for point in points:
        data = point.get("customdata") or []
        if not data:
            continue
        if name == "group":
            add("group", "groups", data[0], data[0])
        elif name == "month":
            add("group", "groups", data[0], data[0])
            month = dt.date.fromisoformat(data[1])
            add("month", "months", month, fmt.month(month))
        elif name == "form":
            add("form", "forms", data[0], data[0])
        elif name == "grid":
            add("cadre", "cadres", data[0], data[2])
            month = dt.date.fromisoformat(data[1])
            add("month", "months", month, fmt.month(month))
    if not any(drill.values()):
        return None
    text = "；".join(
        t(f"participation.drill.{kind}", v="、".join(values))
        for kind, values in labels.items()
        if values
    )
    return {"source": name, "text": text, **{k: tuple(v) for k, v in drill.items()}}
