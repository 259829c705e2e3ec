"""学习参与's charts: each group's 出席/请假/缺席 split, group × month rates, and rate grids
(cadre × month, or group × month for a city's hundreds of groups).

A grid is one heatmap trace (a matrix of rates, nothing per cell but its number) beside a
column of one selectable square per row, the row's rate over the whole period: plotly.js
cannot select heatmap cells, so a click on that square picks the row, and a box drawn over
the cells picks rows × months (analytics.common.selection.cells_in_box reads it back).
Thousands of cells cost a few kilobytes instead of thousands of SVG markers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.common import fmt
from analytics.common.labels import t
from analytics.visual.style import (
    BAND,
    MUTED,
    PALETTE,
    PERCENT,
    RATE_SCALE,
    RULE,
    SEMANTIC,
    UNITS_SHOWN,
    inside_text,
    layout,
    lowest,
)

ATTENDANCE_COLORS: dict[str, str] = {
    "attended": SEMANTIC["good"], "on_leave": SEMANTIC["warn"], "absent": SEMANTIC["bad"],
}  # fmt: skip
GROUP_BARS_MAX = 12  # beyond this many groups, group × month is a grid, not bars
# Beyond this many groups the 出勤构成 bars show the groups with the lowest 参与率 only (a city's
# 200 groups made a chart 12,000 px tall); the table beside it lists every group.
GROUP_STATUS_MAX = UNITS_SHOWN
GRID_ROW = 16  # px per row of a grid
# A cadre × month grid of more rows is drawn on request (the city's 300 rows: 4,950 px and a
# fifth of 学习参与's drawing); a small office's grid is drawn at once.
GRID_AT_ONCE = 100


def _threshold_line(fig: go.Figure, value: float, label: str, axis: str) -> None:
    line = {"color": MUTED, "dash": "dash", "width": 1}
    if axis == "x":
        fig.add_vline(x=value, line=line, annotation_text=label, annotation_position="top")
    else:
        fig.add_hline(y=value, line=line, annotation_text=label, annotation_position="top left")


def group_status_chart(
    df: pd.DataFrame,
    y: str = "study_group",
    total: str = "expected",
    parts: Sequence[str] = ("attended", "on_leave", "absent"),
    names: Sequence[str] = ("出席", "请假", "缺席"),
    threshold: float | None = None,
    threshold_label: str = "",
    title: str | None = None,
    limit: int = GROUP_STATUS_MAX,
) -> go.Figure:
    """Per group one 100 % bar split into 出席 / 请假 / 缺席 shares; a click selects the group.
    A share too narrow for its label shows it on hover only. Beyond `limit` groups, the `limit`
    with the lowest share of the first part (出席), lowest first, and the title says so."""
    df, title = lowest(df, df[parts[0]] / df[total].where(df[total] > 0), title, limit,
                       label="participation.chart.lowest")  # fmt: skip
    fig = go.Figure()
    shares = df[list(parts)].div(df[total].where(df[total] > 0), axis=0).fillna(0.0)
    for part, name in zip(parts, names, strict=True):
        fig.add_bar(
            y=df[y], x=shares[part], orientation="h", name=name,
            marker_color=ATTENDANCE_COLORS.get(part, PALETTE[0]),
            text=shares[part], **inside_text("%{text:.1%}"),
            customdata=df[[y, part]].to_numpy(),
            hovertemplate="%{y} · " + name + "：%{x:.1%}（%{customdata[1]:,} "
            + t("chart.unit.person_times") + "）<extra></extra>",
        )  # fmt: skip
    if threshold is not None:
        _threshold_line(fig, threshold, threshold_label, "x")
    fig.update_layout(
        barmode="stack",
        legend={"traceorder": "normal"},
        xaxis={"tickformat": PERCENT, "range": [0, 1.03], "dtick": 0.25},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(df[y]),
               "autorange": "reversed"},
    )  # fmt: skip
    return layout(fig, title, max(220, 60 * len(df) + 110))


def group_month_chart(
    df: pd.DataFrame,
    x: str = "month",
    y: str = "rate",
    color: str = "study_group",
    threshold: float | None = None,
    threshold_label: str = "",
    title: str | None = None,
) -> go.Figure:
    """Grouped bars: each month, one bar per group's rate; a click selects that group and
    month (customdata [group, ISO month]). Beyond GROUP_BARS_MAX groups (a city has hundreds)
    the same figures are a group × month grid (`rate_grid`)."""
    if df[color].nunique() > GROUP_BARS_MAX:
        return rate_grid(df, row=color, row_label=color, x=x, z=y, title=title)
    months = [fmt.month_short(pd.Timestamp(m)) for m in dict.fromkeys(df[x])]
    fig = go.Figure()
    for i, (name, part) in enumerate(df.groupby(color, sort=False)):
        fig.add_bar(
            x=[fmt.month_short(pd.Timestamp(m)) for m in part[x]], y=part[y], name=str(name),
            marker_color=PALETTE[i % len(PALETTE)],
            customdata=np.column_stack([part[color].astype(object), _iso_dates(part[x])]),
            hovertemplate="%{customdata[0]} · %{x}：%{y:.1%}<extra></extra>",
        )  # fmt: skip
    if threshold is not None:  # named in the legend: a label on the line would cover bars
        fig.add_hline(y=threshold, line={"color": MUTED, "dash": "dash", "width": 1})
        fig.add_scatter(x=[None], y=[None], mode="lines", name=threshold_label,
                        line={"color": MUTED, "dash": "dash", "width": 1})  # fmt: skip
    fig.update_layout(
        barmode="group", bargap=0.25, bargroupgap=0.05,
        yaxis={"tickformat": PERCENT, "range": [0, 1.05]},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": months},
    )  # fmt: skip
    return layout(fig, title)


def _iso_dates(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)


@dataclass(frozen=True)
class GridAxes:
    """A rate grid's rows (the values a click picks, and their labels) and months (ISO), in
    the order drawn: what a box selection's coordinates are read against."""

    rows: tuple[str, ...]
    labels: tuple[str, ...]
    months: tuple[str, ...]


def grid_axes(df: pd.DataFrame, row: str, row_label: str, x: str = "month",
              order: str | None = None) -> GridAxes:  # fmt: skip
    """The axes `rate_grid` draws for `df`: rows in `order` (else first appearance), months
    in time order."""
    ordered = df.sort_values([order, x], kind="stable") if order else df
    pairs = dict(zip(ordered[row].astype(str), ordered[row_label].astype(str), strict=False))
    months = sorted(dict.fromkeys(pd.to_datetime(df[x])))
    return GridAxes(
        rows=tuple(pairs), labels=tuple(pairs.values()),
        months=tuple(m.strftime("%Y-%m-%d") for m in months),
    )  # fmt: skip


def group_month_axes(df: pd.DataFrame, color: str = "study_group") -> GridAxes | None:
    """The axes group_month_chart draws when it is a grid (None when it draws bars)."""
    if df[color].nunique() <= GROUP_BARS_MAX:
        return None
    return grid_axes(df, color, color)


def rate_grid(
    df: pd.DataFrame,
    row: str,
    row_label: str,
    x: str = "month",
    z: str = "rate",
    order: str | None = None,
    band: str | None = None,
    attended: str = "attended",
    expected: str = "expected",
    title: str | None = None,
) -> go.Figure:
    """Rows × months of rates as one heatmap, a 全期 column of one selectable square per row
    (customdata [row]; its label is its y), and, when `band` names a column the rows are
    sorted by, a shaded band and a label per value of it (e.g. per 学习小组). Rates travel as
    4-byte floats: the grid shows whole percentage points."""
    axes = grid_axes(df, row, row_label, x, order)
    months = [fmt.month_short(dt) for dt in pd.to_datetime(list(axes.months))]
    keyed = df.assign(_row=df[row].astype(str), _month=_iso_dates(df[x]))
    matrix = keyed.pivot_table(index="_row", columns="_month", values=z, aggfunc="first")
    matrix = matrix.reindex(index=list(axes.rows), columns=list(axes.months))
    if {attended, expected} <= set(df.columns):  # the whole period's rate of each row
        sums = keyed.groupby("_row")[[attended, expected]].sum().reindex(list(axes.rows))
        whole = (sums[attended] / sums[expected].where(sums[expected] > 0)).to_numpy()
    else:
        whole = matrix.mean(axis=1).to_numpy()
    period = t("chart.grid.period")
    labels = list(axes.labels)
    height = max(260, GRID_ROW * len(labels) + 150)
    fig = go.Figure()
    fig.add_heatmap(
        z=matrix.to_numpy(dtype="float32"), x=months, y=labels, colorscale=RATE_SCALE, zmin=0,
        zmax=1, xgap=1, ygap=1, hoverongaps=False,
        hovertemplate="%{y} · %{x}：%{z:.0%}<extra></extra>",
        colorbar={"tickformat": PERCENT, "thickness": 10, "len": 220, "lenmode": "pixels",
                  "orientation": "h", "x": 0, "xanchor": "left", "yref": "container",
                  "y": 1 - (44 if title else 6) / height, "yanchor": "top", "ypad": 0,
                  "title": {"text": t("chart.grid.scale"), "side": "right"}},
    )  # fmt: skip
    fig.add_scatter(
        x=[period] * len(labels), y=labels, mode="markers", name=period, showlegend=False,
        marker={"symbol": "square", "size": GRID_ROW - 3, "color": whole.astype("float32"),
                "cmin": 0, "cmax": 1, "colorscale": RATE_SCALE,
                "line": {"width": 1, "color": RULE}},
        customdata=np.array(axes.rows, dtype=object).reshape(-1, 1),  # the label is the y
        hovertemplate="%{y} · " + period + "：%{marker.color:.0%}<br>"
        + t("chart.grid.click") + "<extra></extra>",
    )  # fmt: skip
    if band is not None:
        _bands(fig, df, row, band, axes)
    # Rows in the heatmap's order; fixed ranges, or the squares would pad the axes and open a
    # gap above the grid.
    fig.update_yaxes(type="category", categoryorder="trace", range=[len(labels) - 0.5, -0.5],
                     showgrid=False, ticks="")  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[*months, period],
                     range=[-0.5, len(months) + 0.5], side="top", showgrid=False)  # fmt: skip
    fig = layout(fig, title, height)
    fig.update_layout(margin={"t": 118 if title else 90, "r": 100 if band else 10})
    if title:  # at the very top, so the colour scale sits under it, not beside it
        fig.update_layout(title={"y": 1 - 8 / height, "yanchor": "top", "yref": "container"})
    return fig


def _bands(fig: go.Figure, df: pd.DataFrame, row: str, band: str, axes: GridAxes) -> None:
    """A shaded band behind every other run of rows with one `band` value, a line between
    runs and the value's name beside its run (the rows must be sorted by `band`)."""
    of_row = dict(zip(df[row].astype(str), df[band].fillna("").astype(str), strict=False))
    runs: list[tuple[str, int, int]] = []
    for i, key in enumerate(axes.rows):
        value = of_row.get(key, "")
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1], i)
        else:
            runs.append((value, i, i))
    for n, (value, first, last) in enumerate(runs):
        if n % 2 == 0:
            fig.add_shape(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=first - 0.5,
                          y1=last + 0.5, fillcolor=BAND, line={"width": 0},
                          layer="below")  # fmt: skip
        if n:
            fig.add_shape(type="line", xref="paper", x0=-0.02, x1=1, yref="y", y0=first - 0.5,
                          y1=first - 0.5, line={"color": RULE, "width": 1.5})  # fmt: skip
        fig.add_annotation(
            xref="paper", x=1.01, xanchor="left", yref="y", y=(first + last) / 2,
            text=f"<b>{value or t('chart.grid.no_band')}</b><br>{last - first + 1} "
            + t("chart.unit.person"),
            showarrow=False, align="left", font={"size": 12},
        )  # fmt: skip


def attendance_grid(
    df: pd.DataFrame,
    x: str = "month",
    y: str = "label",
    z: str = "rate",
    order: str = "row",
    row: str = "cadre_id",
    band: str | None = "study_group",
    title: str | None = None,
) -> go.Figure:
    """The cadre × month grid of attendance rates (rows in `order`); bands per 学习小组 when
    the frame has `band` and its rows run group by group."""
    rows = df.sort_values([order, x], kind="stable")
    if band is not None and (band not in rows or not _runs_once(rows.drop_duplicates(row)[band])):
        band = None  # sorted by rate: the groups are interleaved, bands would mislead
    return rate_grid(rows, row=row, row_label=y, x=x, z=z, order=order, band=band, title=title)


def _runs_once(values: pd.Series) -> bool:
    """Each value appears in one run (the rows are grouped by it)."""
    runs = values.fillna("").ne(values.fillna("").shift()).sum()
    return int(runs) == values.fillna("").nunique()
