"""指标达成's and 干部档案's charts: each quota's progress against its pace, one quota by
division or group, and one cadre's activities over time. Bars of a quota are coloured by its
status (style.STATUS_COLORS): red only for 落后."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from analytics.metrics.quotas import AMBER_RATIO
from analytics.visual.style import (
    CATEGORY_COLORS,
    CATEGORY_ROW,
    INK,
    MUTED,
    PALETTE,
    PERCENT,
    STATUS_COLORS,
    UNITS_SHOWN,
    layout,
    lowest,
    outside_text,
)


def quota_progress_chart(
    df: pd.DataFrame,
    y: str = "label",
    x: str = "progress",
    status: str = "status",
    key: str = "metric",
    amber: float = AMBER_RATIO,
    names: Sequence[str] = ("完成进度", "进度目标"),
    title: str | None = None,
) -> go.Figure:
    """Each quota's actual ÷ pace expectation as a bar coloured by status, with the 100 % and
    amber lines; customdata carries the quota key so that a click can select it. A quota with
    no progress figure (no target set) has no bar."""
    df = df[df[x].notna()]
    fig = go.Figure()
    fig.add_bar(
        x=df[x], y=df[y], orientation="h", name=names[0],
        marker_color=[STATUS_COLORS.get(s, MUTED) for s in df[status]],
        text=df[x], **outside_text("%{text:.0%}"),
        customdata=df[[key]].to_numpy(), hovertemplate="%{y}：%{x:.0%}<extra></extra>",
    )  # fmt: skip
    fig.add_vline(x=1.0, line={"color": INK, "dash": "dash", "width": 1.5},
                  annotation_text=names[1], annotation_position="top")  # fmt: skip
    fig.add_vline(x=amber, line={"color": STATUS_COLORS["amber"], "dash": "dot", "width": 1})
    top = max(1.2, float(df[x].max()) * 1.15) if df[x].notna().any() else 1.2
    fig.update_layout(
        showlegend=False,
        xaxis={"tickformat": PERCENT, "range": [0, top]},
        yaxis={"type": "category", "autorange": "reversed"},
    )
    return layout(fig, title, height=max(260, 42 * len(df) + 80))


def quota_breakdown_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    expected: str,
    status: str,
    percent: bool = True,
    names: Sequence[str] = ("实际", "进度目标"),
    title: str | None = None,
    limit: int = UNITS_SHOWN,
) -> go.Figure:
    """One quota by division or group as horizontal bars, highest at the top, coloured by
    status, with the pace expectation as a mark on each; customdata carries the division or
    group so that a click narrows the names list beside it. Beyond `limit` units, the lowest."""
    shown, title = lowest(df, y, title, limit)
    ordered = shown.sort_values(y, ascending=True, kind="stable", na_position="first")
    number = "%{x:.1%}" if percent else "%{x:,.1f}"
    fig = go.Figure()
    fig.add_bar(
        x=ordered[y], y=ordered[x], orientation="h", name=names[0], showlegend=False,
        marker_color=[STATUS_COLORS.get(s, MUTED) for s in ordered[status]],
        text=ordered[y], **outside_text("%{text:.1%}" if percent else "%{text:,.1f}"),
        customdata=ordered[[x]].to_numpy(), hovertemplate=f"%{{y}}：{number}<extra></extra>",
    )  # fmt: skip
    fig.add_scatter(
        x=ordered[expected], y=ordered[x], name=names[1], mode="markers",
        marker={"symbol": "line-ns", "size": 20, "line": {"width": 3, "color": INK}},
        hovertemplate=f"{names[1]} %{{y}}：{number}<extra></extra>",
    )  # fmt: skip
    values = pd.concat([ordered[y], ordered[expected]]).dropna()
    top = float(values.max()) if len(values) else 1.0
    fig.update_layout(
        showlegend=True,
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(ordered[x])},
        xaxis={"tickformat": PERCENT if percent else ",.0f", "rangemode": "tozero",
               "range": [0, max(top, 0.01) * 1.2]},
    )  # fmt: skip
    return layout(fig, title, max(240, CATEGORY_ROW * len(ordered) + 120))


def cadre_timeline_chart(
    df: pd.DataFrame,
    x: str = "date",
    y: str = "cumulative_hours",
    status: str = "status",
    category: str = "category",
    key: str = "activity_id",
    text: str = "title",
    names: Sequence[str] = ("累计计入学时", "未出席"),
    title: str | None = None,
) -> go.Figure:
    """One cadre's activities over time: the running total of credited hours as a step line,
    a marker per activity (coloured by 三课 when attended, grey cross when not); selectable."""
    fig = go.Figure()
    fig.add_scatter(
        x=df[x], y=df[y], mode="lines", line={"color": MUTED, "shape": "hv", "width": 2},
        name=names[0], hoverinfo="skip",
    )  # fmt: skip
    attended = df[df[status] == "出席"]
    for cat, part in attended.groupby(category, sort=False):
        fig.add_scatter(
            x=part[x], y=part[y], mode="markers", name=str(cat),
            marker={"color": CATEGORY_COLORS.get(cat, PALETTE[0]), "size": 9},
            text=part[text], customdata=part[[key]].to_numpy(),
            hovertemplate="%{x|%Y-%m-%d} %{text}<extra></extra>",
        )  # fmt: skip
    missed = df[df[status] != "出席"]
    if len(missed):
        fig.add_scatter(
            x=missed[x], y=missed[y], mode="markers", name=names[1],
            marker={"color": MUTED, "symbol": "x", "size": 9},
            text=missed[text] + "（" + missed[status] + "）", customdata=missed[[key]].to_numpy(),
            hovertemplate="%{x|%Y-%m-%d} %{text}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(xaxis={"tickformat": "%Y年%-m月"}, yaxis={"rangemode": "tozero"})
    return layout(fig, title)
