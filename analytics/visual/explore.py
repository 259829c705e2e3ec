"""Charts of 自助分析: one measure by one or two dimensions, drawn in the charts module's
family (its layout, palette and percent formats). Pure builders: a frame with the shown
values (`label`, `label2`), the values a click adds as a filter (`key`, `key2`, carried as
customdata), `value` and optionally `previous` (同比)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.visual.style import (
    LAST_YEAR,
    MUTED,
    PALETTE,
    PERCENT,
    PERCENT_1,
    RATE_SCALE,
    count_axis,
    layout,
)

# d3 formats per unit, for axes and for the numbers written on the marks.
_AXIS = {"share": PERCENT, "hours": ",.1f", "points": ",.2~f", "count": ",.0f"}
_TEXT = {"share": PERCENT_1, "hours": ",.1f", "points": ",.2~f", "count": ",.0f"}


def _fmt(unit: str, axis: bool = False) -> str:
    return (_AXIS if axis else _TEXT).get(unit, ",.0f")


def _value_axis(unit: str, df: pd.DataFrame) -> dict[str, object]:
    """The value axis: whole-number ticks for counts (style.count_axis), else the unit's."""
    if unit == "count":
        columns = [c for c in ("value", "previous") if c in df]
        return count_axis(float(df[columns].max().max()) if len(df) else 0.0)
    return {"tickformat": _fmt(unit, axis=True), "rangemode": "tozero"}


def ranked_bars(
    df: pd.DataFrame, unit: str, value_name: str, previous_name: str | None = None,
    title: str | None = None,
) -> go.Figure:  # fmt: skip
    """Horizontal bars, largest on top; last year's beside each in grey when given."""
    ordered = df.sort_values("value", ascending=True, kind="stable")  # plotly draws bottom-up
    fig = go.Figure()
    if previous_name is not None and "previous" in ordered:
        fig.add_bar(
            y=ordered["label"], x=ordered["previous"], orientation="h", name=previous_name,
            marker_color=LAST_YEAR, customdata=ordered[["key"]].to_numpy(),
            hovertemplate=f"%{{y}}：%{{x:{_fmt(unit)}}}<extra>{previous_name}</extra>",
        )  # fmt: skip
    fig.add_bar(
        y=ordered["label"], x=ordered["value"], orientation="h", name=value_name,
        marker_color=PALETTE[0], customdata=ordered[["key"]].to_numpy(),
        text=ordered["value"], texttemplate=f"%{{text:{_fmt(unit)}}}", textposition="outside",
        hovertemplate=f"%{{y}}：%{{x:{_fmt(unit)}}}<extra>{value_name}</extra>",
        cliponaxis=False,
    )  # fmt: skip
    fig.update_layout(
        barmode="group", clickmode="event+select", showlegend=previous_name is not None
    )
    fig.update_xaxes(**_value_axis(unit, ordered))
    fig.update_yaxes(type="category", automargin=True)
    return layout(fig, title, height=max(280, 28 * len(ordered) + 110))


def time_lines(
    df: pd.DataFrame, unit: str, value_name: str, previous_name: str | None = None,
    title: str | None = None,
) -> go.Figure:  # fmt: skip
    """The measure over months or quarters (rows in time order); one line per `label2` when the
    frame has it, else one line with last year's dotted beside it when given."""
    fig = go.Figure()
    series = [(value_name, df)] if "label2" not in df else list(df.groupby("label2", sort=False))
    for i, (name, part) in enumerate(series):
        keys = ["key", "key2"] if "key2" in part else ["key"]
        fig.add_scatter(
            x=part["label"], y=part["value"], name=str(name), mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)], "width": 3},
            customdata=part[keys].to_numpy(),
            hovertemplate=f"%{{x}}：%{{y:{_fmt(unit)}}}<extra>{name}</extra>",
        )  # fmt: skip
    if previous_name is not None and "previous" in df and "label2" not in df:
        fig.add_scatter(
            x=df["label"], y=df["previous"], name=previous_name, mode="lines",
            line={"color": MUTED, "dash": "dot"},
            hovertemplate=f"%{{x}}：%{{y:{_fmt(unit)}}}<extra>{previous_name}</extra>",
        )  # fmt: skip
    fig.update_layout(clickmode="event+select")
    fig.update_xaxes(type="category")
    fig.update_yaxes(**_value_axis(unit, df))
    return layout(fig, title)


def grouped_bars(df: pd.DataFrame, unit: str, title: str | None = None) -> go.Figure:
    """Bars of `label` side by side per `label2` (the second dimension's values as colours)."""
    fig = go.Figure()
    for i, (name, part) in enumerate(df.groupby("label2", sort=False)):
        fig.add_bar(
            x=part["label"], y=part["value"], name=str(name),
            marker_color=PALETTE[i % len(PALETTE)],
            customdata=part[["key", "key2"]].to_numpy(),
            hovertemplate=f"%{{x}} · {name}：%{{y:{_fmt(unit)}}}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="group", clickmode="event+select")
    fig.update_xaxes(type="category")
    fig.update_yaxes(**_value_axis(unit, df))
    return layout(fig, title)


def measure_heatmap(df: pd.DataFrame, unit: str, title: str | None = None) -> go.Figure:
    """`label` (rows) × `label2` (columns), the measure as colour and as the number in a cell."""
    rows = list(dict.fromkeys(df["label"]))
    cols = list(dict.fromkeys(df["label2"]))
    grid = df.pivot_table(index="label", columns="label2", values="value", aggfunc="first")
    grid = grid.reindex(index=rows, columns=cols)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=cols,
            y=rows,
            colorscale=RATE_SCALE,
            texttemplate=f"%{{z:{_fmt(unit)}}}",
            hoverongaps=False,
            colorbar={"tickformat": _fmt(unit, axis=True)},
        )  # fmt: skip
    )
    fig.update_yaxes(autorange="reversed", type="category", automargin=True)
    fig.update_xaxes(type="category")
    return layout(fig, title, height=max(320, 26 * len(rows) + 140))
