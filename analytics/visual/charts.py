"""Chart builders: pure functions from a DataFrame to a plotly Figure, one visual family.

Colours, fonts and number formats live here and nowhere else. Fonts are the CJK families the
setup installs from Debian (Noto Sans CJK SC, WenQuanYi Micro Hei); nothing loads from the web.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.common import fmt
from analytics.metrics.quotas import AMBER_RATIO
from analytics.visual.markup import defused

FONT_FAMILY = (
    "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"
)
PRIMARY = "#B22222"  # 党政红: the app's accent (buttons), never a category or a good figure
# Categories: no red (red means 落后 here), no green (达标); distinct in greyscale print too.
PALETTE: tuple[str, ...] = (
    "#4F8FBF", "#1F4E79", "#D4A017", "#6A5ACD", "#8C564B", "#17A2B8", "#7F8C8D", "#B07AA1",
)  # fmt: skip
CATEGORY_COLORS: dict[str, str] = {
    "理论学习": "#1F4E79",
    "党性教育": "#D4A017",
    "实践锻炼": "#17A2B8",
}
RATE_LINE = "#0F766E"  # the participation-rate line: apart from the navy bars and from red
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
    return defused(fig)  # names and titles from the data never become links


def _count_step(top: float) -> float | None:
    """A whole-number tick step for a count axis (no 0.2-step ticks on counts)."""
    if top <= 0:
        return 1
    raw = top / 5
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if step >= raw:
            return step
    return None


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
    bar_top = max(1.0, float(pd.concat([df[bars], df[bars_before]]).max(skipna=True) or 1))
    fig = go.Figure()
    fig.add_bar(x=df[x], y=df[bars_before], name=names[1], marker_color="#E5E7EB", yaxis="y")
    fig.add_bar(x=df[x], y=df[bars], name=names[0], marker_color=PALETTE[1], yaxis="y")
    fig.add_scatter(
        x=df[x], y=df[rate_before], name=names[3], yaxis="y2", mode="lines",
        line={"color": MUTED, "dash": "dot"}, hovertemplate="%{y:.1%}",
    )  # fmt: skip
    fig.add_scatter(
        x=df[x], y=df[rate], name=names[2], yaxis="y2", mode="lines+markers",
        line={"color": RATE_LINE, "width": 3}, hovertemplate="%{y:.1%}",
    )  # fmt: skip
    fig.update_layout(
        barmode="group",
        # Bars in the lower half, rates in the upper: the line never runs over the bars.
        yaxis={"title": names[0], "range": [0, 2.1 * bar_top], "tickformat": ",d",
               "tickvals": list(range(0, int(bar_top) + 1, int(_count_step(bar_top) or 1)))},
        yaxis2={"title": names[2], "overlaying": "y", "side": "right", "tickformat": PERCENT,
                "range": [-0.95, 1.05], "tickvals": [0.5, 0.75, 1.0], "showgrid": False},
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
            texttemplate="%{text:.1%}" if percent else "%{text:,}",
            textposition="auto", textangle=0, insidetextanchor="middle",
            customdata=part[[x] + ([color] if color else [])].to_numpy(),
        )  # fmt: skip
    top = float(df[y].max()) if len(df) and not percent else 0.0
    axis = (
        {"tickformat": PERCENT}
        if percent
        else {"tickformat": ",d", "dtick": _count_step(top), "rangemode": "tozero"}
    )
    value_axis, cat_axis = ("yaxis", "xaxis") if orientation == "v" else ("xaxis", "yaxis")
    cat = {"type": "category"}
    if category_order is not None:
        cat.update(categoryorder="array", categoryarray=list(category_order))
    fig.update_layout(
        barmode="stack", showlegend=color is not None, **{value_axis: axis, cat_axis: cat}
    )
    return _layout(fig, title, height)


# ----- participation page charts -----
ATTENDANCE_COLORS: dict[str, str] = {
    "attended": STATUS_COLORS["green"], "on_leave": STATUS_COLORS["amber"],
    "absent": STATUS_COLORS["red"],
}  # fmt: skip
# The heatmap: one sequential hue (light = low), readable by the colour-blind and in print.
RATE_SCALE = [[0, "#F1F5F9"], [0.5, "#93C5FD"], [1, "#1E3A8A"]]


def _month_label(value: object) -> str:
    """A month of any date type (date, Timestamp, datetime64) as fmt.month writes it."""
    return fmt.month(pd.Timestamp(value))


def _threshold_line(fig: go.Figure, value: float, label: str, axis: str) -> None:
    line = {"color": MUTED, "dash": "dash", "width": 1}
    if axis == "x":
        fig.add_vline(x=value, line=line, annotation_text=label, annotation_position="top")
    else:
        fig.add_hline(y=value, line=line, annotation_text=label, annotation_position="top right")


def group_status_chart(
    df: pd.DataFrame,
    y: str = "study_group",
    total: str = "expected",
    parts: Sequence[str] = ("attended", "on_leave", "absent"),
    names: Sequence[str] = ("出席", "请假", "缺席"),
    threshold: float | None = None,
    threshold_label: str = "",
    title: str | None = None,
) -> go.Figure:
    """Per group one 100 % bar split into 出席 / 请假 / 缺席 shares; a click selects the group."""
    fig = go.Figure()
    shares = df[list(parts)].div(df[total].where(df[total] > 0), axis=0).fillna(0.0)
    for part, name in zip(parts, names, strict=True):
        fig.add_bar(
            y=df[y], x=shares[part], orientation="h", name=name,
            marker_color=ATTENDANCE_COLORS.get(part, PALETTE[1]),
            text=shares[part], texttemplate="%{text:.1%}", textposition="inside",
            insidetextanchor="middle", customdata=df[[y, part]].to_numpy(),
            hovertemplate="%{y} · " + name + "：%{x:.1%}（%{customdata[1]} 人次）<extra></extra>",
        )  # fmt: skip
    if threshold is not None:
        _threshold_line(fig, threshold, threshold_label, "x")
    fig.update_layout(
        barmode="stack",
        legend={"traceorder": "normal"},
        xaxis={"tickformat": PERCENT, "range": [0, 1]},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(df[y]),
               "autorange": "reversed"},
    )  # fmt: skip
    return _layout(fig, title, max(220, 60 * len(df) + 110))


def group_month_chart(
    df: pd.DataFrame,
    x: str = "month",
    y: str = "rate",
    color: str = "study_group",
    threshold: float | None = None,
    threshold_label: str = "",
    title: str | None = None,
) -> go.Figure:
    """Grouped bars: each month, one bar per group's rate; click selects that group and month.

    Beyond GROUP_BARS_MAX groups (a city has hundreds) the same data is drawn as one trace of
    group × month squares coloured by rate, with the same click data: hundreds of bar traces
    are unreadable and took most of a page's time to build.
    """
    months = [_month_label(m) for m in dict.fromkeys(df[x])]
    if df[color].nunique() > GROUP_BARS_MAX:
        return _group_month_squares(df, x, y, color, months, title)
    fig = go.Figure()
    for i, (name, part) in enumerate(df.groupby(color, sort=False)):
        fig.add_bar(
            x=[_month_label(m) for m in part[x]], y=part[y], name=str(name),
            marker_color=PALETTE[i % len(PALETTE)],
            customdata=[[name, pd.Timestamp(m).date().isoformat()] for m in part[x]],
            hovertemplate="%{customdata[0]} · %{x}：%{y:.1%}<extra></extra>",
        )  # fmt: skip
    if threshold is not None:
        _threshold_line(fig, threshold, threshold_label, "y")
    fig.update_layout(
        barmode="group",
        yaxis={"tickformat": PERCENT, "range": [0, 1.05]},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": months},
    )  # fmt: skip
    return _layout(fig, title)


GROUP_BARS_MAX = 12


def _iso_dates(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)


def _group_month_squares(
    df: pd.DataFrame, x: str, y: str, color: str, months: list[str], title: str | None
) -> go.Figure:
    groups = [str(g) for g in dict.fromkeys(df[color])]
    fig = go.Figure(
        go.Scatter(
            x=[_month_label(m) for m in df[x]], y=df[color].astype(str), mode="markers",
            marker={"symbol": "square", "size": 12, "color": df[y], "colorscale": RATE_SCALE,
                    "cmin": 0, "cmax": 1, "line": {"width": 0},
                    "colorbar": {"tickformat": PERCENT, "thickness": 12}},
            customdata=np.column_stack(
                [df[color].astype(object), _iso_dates(df[x])]
            ),  # arrays, not nested lists: plotly validates lists element by element
            hovertemplate="%{customdata[0]} · %{x}：%{marker.color:.1%}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=groups,
                     autorange="reversed", showgrid=False)  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=months)
    return _layout(fig, title, max(300, 14 * len(groups) + 110))


def attendance_grid(
    df: pd.DataFrame,
    x: str = "month",
    y: str = "label",
    z: str = "rate",
    order: str = "row",
    ids: Sequence[str] = ("cadre_id",),
    title: str | None = None,
) -> go.Figure:
    """A cadre × month grid of attendance rates drawn as square markers.

    go.Heatmap cells cannot be selected in plotly.js (no point selection on heatmap traces),
    so a click could never reach the page; square scatter markers look the same and can.
    """
    rows = df.sort_values([order, x])
    labels = list(dict.fromkeys(rows[y]))
    months = sorted(dict.fromkeys(rows[x]))
    # Column-wise arrays: iterrows and nested lists took seconds on a large grid.
    custom = np.column_stack(
        [*(rows[c].astype(object) for c in ids), _iso_dates(rows[x]), rows[y].astype(object)]
    )
    fig = go.Figure(
        go.Scatter(
            x=[_month_label(m) for m in rows[x]], y=rows[y], mode="markers",
            marker={"symbol": "square", "size": 15, "color": rows[z], "colorscale": RATE_SCALE,
                    "cmin": 0, "cmax": 1, "line": {"width": 0},
                    "colorbar": {"tickformat": PERCENT, "thickness": 12}},
            customdata=custom,
            hovertemplate="%{y} · %{x}：%{marker.color:.0%}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels,
                     autorange="reversed", showgrid=False)  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array",
                     categoryarray=[_month_label(m) for m in months], side="top")  # fmt: skip
    fig = _layout(fig, title, max(260, 19 * len(labels) + 90))
    fig.update_layout(margin={"t": 60 if title is None else 80})
    return fig


# ----- end participation page charts -----

# ----- reports page charts -----
REPORT_TYPE_COLORS: dict[str, str] = {
    "调研报告": "#1F4E79", "调研文章": "#D4A017", "心得体会": "#4F8FBF", "改革建议": "#6A5ACD",
    "征文": "#8C564B",
}  # fmt: skip
STAGE_COLORS: dict[str, str] = {"stage": "#1F4E79", "outcome": "#2E8B57"}  # 批示/采纳: good


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
    """Bars of `y` by `x` stacked by `color`, and last year's totals per `x` as a dotted line.

    Each bar carries customdata [x, color] so a click can narrow a table to those rows.
    """
    fig = go.Figure()
    for i, (name, part) in enumerate(df.groupby(color, sort=False)):
        fig.add_bar(
            x=part[x], y=part[y], name=str(name),
            marker_color=REPORT_TYPE_COLORS.get(str(name), PALETTE[i % len(PALETTE)]),
            text=part[y].where(part[y] > 0), texttemplate="%{text}", textposition="inside",
            textangle=0, insidetextanchor="middle",
            customdata=part[[x, color]].to_numpy(),
            hovertemplate="%{x} · " + str(name) + "：%{y}<extra></extra>",
        )  # fmt: skip
    fig.add_scatter(
        x=totals[x], y=totals[previous], name=previous_name, mode="lines+markers",
        line={"color": MUTED, "dash": "dot", "width": 2}, marker={"size": 8, "color": MUTED},
        hovertemplate="%{x} " + previous_name + "：%{y}<extra></extra>",
    )  # fmt: skip
    fig.update_layout(barmode="stack", xaxis={"type": "category"}, yaxis={"rangemode": "tozero"})
    return _layout(fig, title, height)


def per_capita_chart(
    df: pd.DataFrame,
    x: str = "unit",
    y: str = "per_capita",
    reports: str = "reports",
    cadres: str = "cadres",
    hover: str = "%{customdata[0]}：%{customdata[1]} 篇 / %{customdata[2]} 人",
    title: str | None = None,
    height: int = 320,
) -> go.Figure:
    """Reports per cadre by unit (two decimals); customdata [unit, reports, cadres]."""
    fig = go.Figure()
    fig.add_bar(
        x=df[x], y=df[y], marker_color=PALETTE[1], text=df[y], texttemplate="%{text:.2f}",
        textposition="auto", customdata=df[[x, reports, cadres]].to_numpy(),
        hovertemplate=hover + "<extra></extra>",
    )  # fmt: skip
    fig.update_layout(showlegend=False, xaxis={"type": "category"}, yaxis={"rangemode": "tozero"})
    return _layout(fig, title, height)


def funnel_bars(
    df: pd.DataFrame,
    stage: str = "stage",
    value: str = "reports",
    share: str = "share",
    level: str = "level",
    title: str | None = None,
    height: int = 320,
) -> go.Figure:
    """Stages top to bottom as horizontal bars with count and share of the first stage.

    Bars (not go.Funnel) so that a click selects a stage like any other bar; customdata [stage].
    """
    text = [
        f"{n}（{s:.0%}）" if s == s and s is not None else f"{n}"
        for n, s in zip(df[value], df[share], strict=True)
    ]
    fig = go.Figure()
    fig.add_bar(
        x=df[value], y=df[stage], orientation="h", text=text, textposition="auto",
        marker_color=[STAGE_COLORS.get(v, PALETTE[1]) for v in df[level]],
        customdata=df[[stage]].to_numpy(), hovertemplate="%{y}：%{x}<extra></extra>",
    )  # fmt: skip
    fig.update_layout(
        showlegend=False,
        yaxis={"type": "category", "categoryorder": "array",
               "categoryarray": list(df[stage])[::-1]},
        xaxis={"rangemode": "tozero"},
    )  # fmt: skip
    return _layout(fig, title, height)


# ----- end reports page charts -----

# ----- awards page charts -----
PRIZE_COLORS: dict[str, str] = {
    "一等奖": PALETTE[0], "二等奖": PALETTE[1], "三等奖": PALETTE[2], "优秀奖": PALETTE[3],
    "优异成绩": PALETTE[4],
}  # fmt: skip
LEVEL_COLORS: dict[str, str] = {
    "市直机关": PALETTE[1], "市级": PALETTE[0], "省级": PALETTE[2], "国家级": PALETTE[4],
}  # fmt: skip


def award_count_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    orientation: str = "v",
    category_order: Sequence[str] | None = None,
    color_map: dict[str, str] | None = None,
    height: int = 320,
) -> go.Figure:
    """bar_chart for counts of awards: whole-number ticks (a count of 1.5 awards means nothing)."""
    fig = bar_chart(
        df, x, y, color=color, orientation=orientation, category_order=category_order,
        color_map=color_map, height=height,
    )  # fmt: skip
    totals = df.groupby(x)[y].sum() if len(df) else pd.Series([0])
    ticks = {"tickformat": ",d", "rangemode": "tozero"}
    if totals.max() <= 10:
        ticks["dtick"] = 1
    (fig.update_yaxes if orientation == "v" else fig.update_xaxes)(**ticks)
    return fig


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
    fig = go.Figure()
    for name, part in df.groupby(color, sort=False):
        fig.add_scatter(
            x=part[x], y=part[y], mode="markers+text", name=str(name),
            text=part[text], textposition="middle right", cliponaxis=False,
            marker={"size": 12 + 4 * part[size].clip(upper=6),
                    "color": LEVEL_COLORS.get(str(name), PALETTE[5]),
                    "line": {"width": 1, "color": "white"}},
            customdata=part[[y]].to_numpy(),
            hovertemplate="%{y}<br>%{x|%Y年%-m月%-d日}<br>%{text}<extra>" + str(name)
            + "</extra>",
        )  # fmt: skip
    fig.update_yaxes(type="category", autorange="reversed", showgrid=True)
    fig.update_xaxes(type="date", tickformat="%Y年%-m月", range=list(x_range) if x_range else None)
    fig.update_layout(showlegend=True, clickmode="event+select")
    return _layout(fig, title, max(220, 60 * df[y].nunique() + 110))


# ----- end awards page charts -----

# ----- quotas page charts -----


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
        text=df[x], texttemplate="%{text:.0%}", textposition="auto",
        customdata=df[[key]].to_numpy(), hovertemplate="%{y}: %{x:.0%}<extra></extra>",
    )  # fmt: skip
    fig.add_vline(x=1.0, line={"color": "#1F2937", "dash": "dash", "width": 1.5},
                  annotation_text=names[1], annotation_position="top")  # fmt: skip
    fig.add_vline(x=amber, line={"color": STATUS_COLORS["amber"], "dash": "dot", "width": 1})
    top = max(1.2, float(df[x].max()) * 1.05) if df[x].notna().any() else 1.2
    fig.update_layout(
        showlegend=False,
        xaxis={"tickformat": PERCENT, "range": [0, top]},
        yaxis={"type": "category", "autorange": "reversed"},
    )
    return _layout(fig, title, height=max(260, 42 * len(df) + 80))


def quota_breakdown_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    expected: str,
    status: str,
    percent: bool = True,
    names: Sequence[str] = ("实际", "进度目标"),
    title: str | None = None,
) -> go.Figure:
    """One quota by division or group: bars coloured by status, the pace expectation as marks;
    customdata carries the division/group so that a click narrows the lists below."""
    fmt_ = "%{y:.1%}" if percent else "%{y:.1f}"
    fig = go.Figure()
    fig.add_bar(
        x=df[x], y=df[y], name=names[0], showlegend=False,  # colours are statuses, not a series
        marker_color=[STATUS_COLORS.get(s, MUTED) for s in df[status]],
        text=df[y], texttemplate="%{text:.1%}" if percent else "%{text:.1f}",
        textposition="outside", textangle=0, customdata=df[[x]].to_numpy(),
        hovertemplate=f"%{{x}}: {fmt_}<extra></extra>",
    )  # fmt: skip
    fig.add_scatter(
        x=df[x], y=df[expected], name=names[1], mode="markers",
        marker={"symbol": "line-ew", "size": 28, "line": {"width": 3, "color": "#1F2937"}},
        hovertemplate=f"{names[1]} %{{x}}: {fmt_}<extra></extra>",
    )  # fmt: skip
    fig.update_layout(
        showlegend=True,
        xaxis={"type": "category"},
        yaxis={"tickformat": PERCENT} if percent else {"rangemode": "tozero"},
    )
    return _layout(fig, title)


# ----- end quotas page charts -----

# ----- profile/forum page charts -----


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
            marker={"color": CATEGORY_COLORS.get(cat, PALETTE[1]), "size": 9},
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
    return _layout(fig, title)


# ----- end profile/forum page charts -----
