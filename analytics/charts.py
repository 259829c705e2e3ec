"""Chart builders: pure functions from a DataFrame to a plotly Figure, one visual family.

Colours, fonts and number formats live here and nowhere else. Fonts are the CJK families the
setup installs from Debian (Noto Sans CJK SC, WenQuanYi Micro Hei); nothing loads from the web.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

FONT_FAMILY = (
    "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"
)
PRIMARY = "#B22222"  # 党政红
PALETTE: tuple[str, ...] = (
    "#B22222", "#1F4E79", "#D4A017", "#2E8B57", "#6A5ACD", "#E07B39", "#4F8FBF", "#8C564B",
)  # fmt: skip
CATEGORY_COLORS: dict[str, str] = {
    "理论学习": "#B22222",
    "党性教育": "#D4A017",
    "实践锻炼": "#1F4E79",
}
STATUS_COLORS: dict[str, str] = {
    "green": "#2E8B57", "amber": "#E0A800", "red": "#C0392B", "none": "#9CA3AF",
}  # fmt: skip
MUTED = "#9CA3AF"
PERCENT = ".0%"
PERCENT_1 = ".1%"


def _layout(fig: go.Figure, title: str | None = None, height: int = 360) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}} if title else None,
        font={"family": FONT_FAMILY, "size": 13, "color": "#1F2937"},
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        legend={"orientation": "h", "y": -0.18, "x": 0},
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=list(PALETTE),
        hoverlabel={"font": {"family": FONT_FAMILY}},
        separators=".,",
    )
    fig.update_xaxes(showgrid=False, linecolor="#D1D5DB")
    fig.update_yaxes(gridcolor="#EEF0F3", zerolinecolor="#D1D5DB")
    return fig


def empty_figure(message: str, height: int = 240) -> go.Figure:
    """A blank chart that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14, "color": MUTED})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, height=height)


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
    """Activities per month as bars (last year paler) and the participation rate as lines."""
    fig = go.Figure()
    fig.add_bar(x=df[x], y=df[bars_before], name=names[1], marker_color="#E5E7EB", yaxis="y")
    fig.add_bar(x=df[x], y=df[bars], name=names[0], marker_color=PALETTE[1], yaxis="y")
    fig.add_scatter(
        x=df[x], y=df[rate_before], name=names[3], yaxis="y2", mode="lines",
        line={"color": MUTED, "dash": "dot"}, hovertemplate="%{y:.1%}",
    )  # fmt: skip
    fig.add_scatter(
        x=df[x], y=df[rate], name=names[2], yaxis="y2", mode="lines+markers",
        line={"color": PRIMARY, "width": 3}, hovertemplate="%{y:.1%}",
    )  # fmt: skip
    fig.update_layout(
        barmode="group",
        yaxis={"title": names[0], "rangemode": "tozero"},
        yaxis2={"title": names[2], "overlaying": "y", "side": "right", "tickformat": PERCENT,
                "range": [0, 1.05], "dtick": 0.25, "showgrid": False},
        xaxis={"tickformat": "%-m月", "dtick": "M1", "tickangle": 0},
    )  # fmt: skip
    return _layout(fig, title)


def bar_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    orientation: str = "v",
    title: str | None = None,
    percent: bool = False,
    category_order: Sequence[str] | None = None,
    color_map: dict[str, str] | None = None,
    height: int = 360,
    text: bool = True,
) -> go.Figure:
    """Bars of `y` by `x`, optionally stacked by `color`; selectable for drill-through."""
    fig = go.Figure()
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    for i, (name, part) in enumerate(groups):
        xs, ys = (part[x], part[y]) if orientation == "v" else (part[y], part[x])
        fig.add_bar(
            x=xs, y=ys, orientation=orientation, name=str(name) if name is not None else y,
            marker_color=(color_map or {}).get(name, PALETTE[i % len(PALETTE)])
            if name is not None else PALETTE[1],
            text=part[y] if text else None,
            texttemplate="%{text:.1%}" if percent else "%{text}",
            textposition="auto",
            customdata=part[[x] + ([color] if color else [])].to_numpy(),
        )  # fmt: skip
    axis = {"tickformat": PERCENT} if percent else {}
    value_axis, cat_axis = ("yaxis", "xaxis") if orientation == "v" else ("xaxis", "yaxis")
    cat = {"type": "category"}
    if category_order is not None:
        cat.update(categoryorder="array", categoryarray=list(category_order))
    fig.update_layout(
        barmode="stack", showlegend=color is not None, **{value_axis: axis, cat_axis: cat}
    )
    return _layout(fig, title, height)


def heatmap(
    df: pd.DataFrame,
    x: str,
    y: str,
    z: str,
    title: str | None = None,
    percent: bool = True,
    y_order: Sequence[str] | None = None,
    height: int | None = None,
) -> go.Figure:
    """A y × x grid of z (e.g. cadre × month attendance rate), red for low, green for high."""
    grid = df.pivot_table(index=y, columns=x, values=z, aggfunc="mean", sort=False)
    if y_order is not None:
        grid = grid.reindex([v for v in y_order if v in grid.index])
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index),
            colorscale=[[0, "#C0392B"], [0.6, "#F5D76E"], [1, "#2E8B57"]],
            zmin=0, zmax=1 if percent else None, xgap=1, ygap=1,
            hovertemplate="%{y} · %{x}: %{z:.0%}<extra></extra>" if percent else None,
            colorbar={"tickformat": PERCENT} if percent else None,
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return _layout(fig, title, height or max(300, 18 * len(grid) + 80))


# ----- participation page charts -----
# ----- end participation page charts -----

# ----- reports page charts -----
# ----- end reports page charts -----

# ----- awards page charts -----
# ----- end awards page charts -----

# ----- quotas page charts -----
# ----- end quotas page charts -----

# ----- profile/forum page charts -----
# ----- end profile/forum page charts -----
