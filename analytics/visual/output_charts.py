"""调研成果's and 竞赛获奖's charts: output by quarter and type with last year beside it, per
capita output by unit, the path from 提交 to 成效, awards by level, prize and 组别, and the
competitions' timeline. 批示/采纳/刊发 are good news: the semantic good colour, never red."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from analytics.visual.charts import bar_chart
from analytics.visual.style import (
    CATEGORY_ROW,
    INK,
    LAST_YEAR,
    MUTED,
    PALETTE,
    SEMANTIC,
    UNITS_SHOWN,
    color_of,
    count_axis,
    inside_text,
    layout,
    lowest,
    ordinal,
    outside_text,
    wrapped,
)

REPORT_TYPE_COLORS: dict[str, str] = {
    "调研报告": PALETTE[0], "调研文章": PALETTE[2], "心得体会": PALETTE[1], "改革建议": PALETTE[3],
    "征文": PALETTE[4],
}  # fmt: skip
STAGE_COLORS: dict[str, str] = {"stage": PALETTE[0], "outcome": SEMANTIC["good"]}
PRIZE_COLORS = ordinal(["一等奖", "二等奖", "三等奖", "优秀奖", "优异成绩"])
LEVEL_COLORS: dict[str, str] = {
    "市直机关": PALETTE[1], "市级": PALETTE[2], "省级": PALETTE[3], "国家级": PALETTE[0],
}  # fmt: skip


def stacked_with_previous(
    df: pd.DataFrame,
    totals: pd.DataFrame,
    x: str = "quarter_label",
    y: str = "reports",
    color: str = "type",
    previous: str = "reports_last_year",
    previous_name: str = "去年同期",
    title: str | None = None,
    height: int = 360,
) -> go.Figure:
    """Bars of `y` by `x` stacked by `color`, each stack's total above it, and last year's
    total per `x` as a grey bar beside the stack (nothing drawn over the bars).

    Each stacked bar carries customdata [x, color] so a click can narrow a table to those rows.
    """
    fig = go.Figure()
    fig.add_bar(
        x=totals[x], y=totals[previous], name=previous_name, offsetgroup="last",
        marker_color=LAST_YEAR, text=totals[previous], **outside_text("%{text:,}"),
        textfont={"color": MUTED},
        hovertemplate="%{x} " + previous_name + "：%{y:,}<extra></extra>",
    )  # fmt: skip
    base = pd.Series(0.0, index=pd.Index(dict.fromkeys(df[x])))
    for i, (name, part) in enumerate(df.groupby(color, sort=False)):
        below = part[x].map(base).fillna(0.0)
        fig.add_bar(
            x=part[x], y=part[y], base=below.to_numpy(), name=str(name), offsetgroup="now",
            marker_color=color_of(name, REPORT_TYPE_COLORS, i),
            text=part[y].where(part[y] > 0), **inside_text("%{text:,}"),
            customdata=part[[x, color]].to_numpy(),
            hovertemplate="%{x} · " + str(name) + "：%{y:,}<extra></extra>",
        )  # fmt: skip
        base = base.add(part.groupby(x, sort=False)[y].sum(), fill_value=0.0)
    for label, total in base.items():  # the stack's total above it
        fig.add_annotation(x=label, y=total, text=f"{total:,.0f}", showarrow=False,
                           xshift=14, yanchor="bottom", yshift=2, font={"color": INK})  # fmt: skip
    top = max(float(base.max()) if len(base) else 0.0,
              float(totals[previous].max()) if len(totals) else 0.0, 1.0)  # fmt: skip
    fig.update_layout(
        barmode="group", bargap=0.3, bargroupgap=0.08, xaxis={"type": "category"},
        yaxis={**count_axis(top), "range": [0, top * 1.15]},
    )  # fmt: skip
    return layout(fig, title, height)


def per_capita_chart(
    df: pd.DataFrame,
    x: str = "unit",
    y: str = "per_capita",
    reports: str = "reports",
    cadres: str = "cadres",
    hover: str = "%{customdata[0]}：%{customdata[1]} 篇 / %{customdata[2]} 人",
    title: str | None = None,
    limit: int = UNITS_SHOWN,
) -> go.Figure:
    """Reports per cadre by unit (two decimals) as horizontal bars, most at the top;
    customdata [unit, reports, cadres]. Beyond `limit` units, those with the fewest."""
    shown, title = lowest(df, y, title, limit)
    ordered = shown.sort_values(y, ascending=True, kind="stable")  # plotly draws bottom-up
    fig = go.Figure()
    fig.add_bar(
        x=ordered[y], y=ordered[x], orientation="h", marker_color=PALETTE[0], text=ordered[y],
        **outside_text("%{text:.2f}"), customdata=ordered[[x, reports, cadres]].to_numpy(),
        hovertemplate=hover + "<extra></extra>",
    )  # fmt: skip
    top = float(ordered[y].max()) if len(ordered) else 1.0
    fig.update_layout(
        showlegend=False,
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(ordered[x])},
        xaxis={"rangemode": "tozero", "range": [0, max(top, 0.1) * 1.18]},
    )  # fmt: skip
    return layout(fig, title, max(200, CATEGORY_ROW * len(ordered) + 90))


def funnel_bars(
    df: pd.DataFrame,
    stage: str = "stage",
    value: str = "reports",
    share: str = "share",
    level: str = "level",
    title: str | None = None,
) -> go.Figure:
    """Stages top to bottom as horizontal bars with count and share of the first stage;
    outcomes (批示, 采纳, 刊发, 转化) in the good colour.

    Bars (not go.Funnel) so that a click selects a stage like any other bar; customdata [stage].
    """
    text = [
        f"{n:,}（{s:.0%}）" if s == s and s is not None else f"{n:,}"
        for n, s in zip(df[value], df[share], strict=True)
    ]
    fig = go.Figure()
    fig.add_bar(
        x=df[value], y=df[stage], orientation="h", text=text, **outside_text("%{text}"),
        marker_color=[STAGE_COLORS.get(v, PALETTE[0]) for v in df[level]],
        customdata=df[[stage]].to_numpy(), hovertemplate="%{y}：%{x:,}<extra></extra>",
    )  # fmt: skip
    top = float(df[value].max()) if len(df) else 1.0
    fig.update_layout(
        showlegend=False,
        yaxis={"type": "category", "categoryorder": "array",
               "categoryarray": list(df[stage])[::-1]},
        xaxis={**count_axis(top), "range": [0, max(top, 1.0) * 1.25]},
    )  # fmt: skip
    return layout(fig, title, max(220, CATEGORY_ROW * len(df) + 90))


def award_count_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    orientation: str = "h",
    category_order: Sequence[str] | None = None,
    color_map: dict[str, str] | None = None,
    sort: bool = False,
) -> go.Figure:
    """bar_chart for counts of awards (whole-number ticks: 1.5 awards means nothing)."""
    return bar_chart(
        df, x, y, color=color, orientation=orientation, category_order=category_order,
        color_map=color_map, sort=sort,
    )  # fmt: skip


def competition_timeline_chart(
    df: pd.DataFrame,
    x: str = "date",
    y: str = "competition",
    text: str = "won",
    color: str = "level",
    size: str = "awards",
    x_range: Sequence[object] | None = None,
    title: str | None = None,
) -> go.Figure:
    """One marker per competition on a date axis, labelled with what was won; selectable."""
    dates = pd.to_datetime(df[x])
    middle = (
        pd.to_datetime(x_range[0]) + (pd.to_datetime(x_range[1]) - pd.to_datetime(x_range[0])) / 2
        if x_range else dates.min() + (dates.max() - dates.min()) / 2
    )  # fmt: skip
    fig = go.Figure()
    for i, (name, part) in enumerate(df.groupby(color, sort=False)):
        late = pd.to_datetime(part[x]) > middle  # label on the side with room for it
        fig.add_scatter(
            x=part[x], y=part[y].map(wrapped), mode="markers+text", name=str(name),
            text=part[text], cliponaxis=False,
            textposition=["middle left" if v else "middle right" for v in late],
            marker={"size": 12 + 4 * part[size].clip(upper=6),
                    "color": color_of(name, LEVEL_COLORS, i),
                    "line": {"width": 1, "color": "white"}},
            customdata=part[[y]].to_numpy(),
            hovertemplate="%{customdata[0]}<br>%{x|%Y年%-m月%-d日}<br>%{text}<extra>" + str(name)
            + "</extra>",
        )  # fmt: skip
    fig.update_yaxes(type="category", autorange="reversed", showgrid=True)
    fig.update_xaxes(type="date", tickformat="%Y年%-m月", range=list(x_range) if x_range else None)
    fig.update_layout(showlegend=True, clickmode="event+select")
    return layout(fig, title, max(220, 60 * df[y].nunique() + 110))
