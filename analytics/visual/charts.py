"""Chart builders every page shares: bars of a count or a rate by a category (optionally
stacked), and the 总览's monthly trend. Pure functions from a DataFrame to a plotly Figure in
the family of analytics.visual.style (colours, fonts, formats live there).

The page-specific builders are in participation_charts, output_charts and quota_charts.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from analytics.visual.style import (
    CATEGORY_ROW,
    LAST_YEAR,
    MUTED,
    PALETTE,
    PERCENT,
    RATE_LINE,
    color_of,
    count_axis,
    inside_text,
    layout,
    lowest,
    outside_text,
)


def monthly_trend_chart(
    df: pd.DataFrame,
    x: str = "month",
    bars: str = "activities",
    bars_before: str = "activities_last_year",
    rate: str = "rate",
    rate_before: str = "rate_last_year",
    names: Sequence[str] = ("活动场次", "去年同期活动场次", "参与率", "去年同期参与率"),
    title: str | None = None,
) -> go.Figure:
    """Activities per month as bars (last year paler) in the lower panel, the participation
    rate (last year dotted) in a panel of its own above: the line never runs over the bars."""
    fig = go.Figure()
    fig.add_bar(x=df[x], y=df[bars_before], name=names[1], marker_color=LAST_YEAR, yaxis="y")
    fig.add_bar(x=df[x], y=df[bars], name=names[0], marker_color=PALETTE[0], yaxis="y")
    fig.add_scatter(
        x=df[x], y=df[rate_before], name=names[3], yaxis="y2", mode="lines",
        line={"color": MUTED, "dash": "dot"}, hovertemplate="%{y:.1%}",
    )  # fmt: skip
    fig.add_scatter(
        x=df[x], y=df[rate], name=names[2], yaxis="y2", mode="lines+markers",
        line={"color": RATE_LINE, "width": 3}, hovertemplate="%{y:.1%}",
    )  # fmt: skip
    bar_top = float(pd.concat([df[bars], df[bars_before]]).max(skipna=True) or 1)
    rates = pd.concat([df[rate], df[rate_before]]).dropna()
    low = min(0.5, float(rates.min()) // 0.1 * 0.1) if len(rates) else 0.5
    fig.update_layout(
        barmode="group",
        yaxis={"title": names[0], "domain": [0.0, 0.56], **count_axis(bar_top)},
        yaxis2={"title": names[2], "domain": [0.68, 1.0], "anchor": "x", "tickformat": PERCENT,
                "range": [low, 1.02], "dtick": 0.25 if low <= 0.5 else 0.1},
        xaxis={"tickformat": "%-m月", "dtick": "M1"},
    )  # fmt: skip
    return layout(fig, title)


def bar_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    orientation: str = "h",
    title: str | None = None,
    percent: bool = False,
    category_order: Sequence[str] | None = None,
    color_map: dict[str, str] | None = None,
    height: int | None = None,
    text: bool = True,
    sort: bool = False,
    limit: int | None = None,
) -> go.Figure:
    """Bars of `y` by the category `x`, optionally stacked by `color`; each bar's customdata is
    [x] or [x, color] so that a click can narrow a table.

    Horizontal by default (category names read without turning). `sort` puts the largest total
    first (top); otherwise `category_order` or the frame's order. A single series is labelled
    at the bar's end; stacked segments inside, hidden where too small, with the total at the
    end of each stack. Beyond `limit` categories, those with the lowest totals (`lowest`).
    """
    totals = df.groupby(x, sort=False)[y].sum() if len(df) else pd.Series(dtype=float)
    if limit is not None and len(totals) > limit:
        kept, title = lowest(totals.to_frame(y), y, title, limit)
        totals = kept[y]
        df = df[df[x].isin(totals.index)]
        if category_order is not None:
            category_order = [c for c in category_order if c in totals.index]
    if sort:
        category_order = list(totals.sort_values(ascending=False, kind="stable").index)
    order = list(category_order) if category_order is not None else list(dict.fromkeys(df[x]))
    number = "{:.1%}" if percent else "{:,.0f}"
    fig = go.Figure()
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    # A stack of one segment says its number once, at its end (not inside as well).
    segments = df[df[y] > 0].groupby(x)[y].count() if len(df) else pd.Series(dtype=int)
    for i, (name, part) in enumerate(groups):
        xs, ys = (part[x], part[y]) if orientation == "v" else (part[y], part[x])
        labels = {}
        if text:  # our own strings: a label left out is "", never "NaN" or "0"
            labels = outside_text("%{text}") if color is None else inside_text("%{text}")
            alone = part[x].map(segments).fillna(0) <= 1
            drop = alone & (color is not None) & (not percent)
            labels["text"] = [
                number.format(v) if v > 0 and not d else ""
                for v, d in zip(part[y], drop, strict=True)
            ]
        fig.add_bar(
            x=xs, y=ys, orientation=orientation, name=str(name) if name is not None else y,
            marker_color=color_of(name, color_map, i) if name is not None else PALETTE[0],
            customdata=part[[x] + ([color] if color else [])].to_numpy(), **labels,
        )  # fmt: skip
    if color is not None and text and not percent:
        for category, total in totals.items():  # the stack's total at its end
            fig.add_annotation(
                x=total if orientation == "h" else category,
                y=category if orientation == "h" else total,
                text=f"{total:,.0f}", showarrow=False,
                xanchor="left" if orientation == "h" else "center",
                yanchor="middle" if orientation == "h" else "bottom",
                xshift=4 if orientation == "h" else 0, yshift=0 if orientation == "h" else 2,
            )  # fmt: skip
    top = float(totals.max()) if len(totals) else 0.0
    value = {"tickformat": PERCENT, "rangemode": "tozero"} if percent else count_axis(top)
    value["range"] = [0, (1.0 if percent else max(top, 1.0)) * 1.15]
    value_axis, cat_axis = ("yaxis", "xaxis") if orientation == "v" else ("xaxis", "yaxis")
    # Horizontal: the first category at the top.
    cat = {"type": "category", "categoryorder": "array",
           "categoryarray": order if orientation == "v" else order[::-1]}  # fmt: skip
    fig.update_layout(
        barmode="stack", showlegend=color is not None, **{value_axis: value, cat_axis: cat}
    )
    if height is None:  # horizontal: a row per category (legend and title included)
        height = 360 if orientation == "v" else max(200, CATEGORY_ROW * len(order) + 110)
    return layout(fig, title, height)
