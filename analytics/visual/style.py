"""The charts' one visual family: fonts, the category palette, the good/bad colours, the
sequential scale, number formats, count axes, bar labels and the shared layout.

Two colour systems and no third:
- PALETTE, qualitative, for categories (小组, 三课, 成果类型…). It holds neither red nor green nor
  amber, because those three say good or bad news here.
- SEMANTIC, for meaning: good (达标, 出席, 批示/采纳/刊发), warn (接近, 请假), bad (落后, 缺席).
  Red is only ever bad news. The pair is Okabe–Ito's bluish green and vermillion, which
  colour-blind readers tell apart.
Ordered categories (奖项, 级别) take steps of one hue (`ordinal`); rates on a grid take the
sequential single-hue RATE_SCALE (light = low), readable by the colour-blind and in print.

Fonts are the CJK families the setup installs from Debian (Noto Sans CJK SC, WenQuanYi Micro
Hei); nothing loads from the web.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics.common.labels import t
from analytics.visual.markup import defused
from analytics.visual.room import reserve_label_room

# No plotly template: layout() below sets every look the charts have, and Streamlit's theme
# draws the rest. plotly's default one is copied into every figure (about 6.5 kB of JSON per
# chart sent to the browser) and costs some 6 ms to build each figure on every page run.
pio.templates.default = "none"

FONT_FAMILY = (
    "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"
)
FONT_SIZE = 13  # px: the charts' text, tick labels included
PRIMARY = "#B22222"  # 党政红: the app's accent (buttons), never a category or a good figure

PALETTE: tuple[str, ...] = (
    "#1F4E79", "#4F8FBF", "#6A5ACD", "#17A2B8", "#B07AA1", "#5D6D7E", "#9CC3E4", "#A99BE0",
)  # fmt: skip
SEMANTIC: dict[str, str] = {
    "good": "#009E73", "warn": "#E69F00", "bad": "#D55E00", "none": "#9CA3AF",
}  # fmt: skip
CATEGORY_COLORS: dict[str, str] = {
    "理论学习": PALETTE[0],
    "党性教育": PALETTE[2],
    "实践锻炼": PALETTE[3],
}
# The quota statuses (达标/接近/落后) in the semantic colours.
STATUS_COLORS: dict[str, str] = {
    "green": SEMANTIC["good"], "amber": SEMANTIC["warn"], "red": SEMANTIC["bad"],
    "none": SEMANTIC["none"],
}  # fmt: skip
MUTED = SEMANTIC["none"]  # last year, thresholds, what is not the figure itself
LAST_YEAR = "#D1D5DB"  # last year's bars beside this year's
INK = "#1F2937"
RULE = "#475569"  # a line that separates (between 学习小组 on a grid), an outline
BAND = "#F3F4F6"  # the shading of every other band
RATE_LINE = "#0F766E"  # the participation-rate line on the trend, apart from the navy bars
# A table cell that flags bad news (e.g. a month with no 轮值导师): the semantic bad colour.
BAD_CELL_CSS = f"background-color: #FBE6DA; color: {SEMANTIC['bad']}"
# Light = low rate; even 0 % is visibly blue, apart from a blank cell (nothing expected).
RATE_SCALE = [[0.0, "#D3E2F4"], [0.5, "#6F9FD3"], [1.0, "#12306B"]]

PERCENT = ".0%"
PERCENT_1 = ".1%"
TEXT_MIN_SIZE = 11  # px: a bar label smaller than this is hidden, never shrunk or turned
CATEGORY_ROW = 30  # px per category on a horizontal bar chart
LEGEND_ROOM = 46  # px kept at a chart's foot for its legend (two rows of entries)
# Bars by 学习小组 or 处室: beyond this many, the lowest only (a city's 200 groups made charts
# 6,000 px tall, unreadable and most of a page's drawing); the table or download of the chart's
# figures lists every one, and the title says how many are shown.
UNITS_SHOWN = 30


def color_of(name: object, colors: dict[str, str] | None, index: int) -> str:
    """A category's colour: its own from `colors`, else the palette's `index`-th."""
    return (colors or {}).get(str(name), PALETTE[index % len(PALETTE)])


def ordinal(names: Sequence[str], dark: str = "#12306B", light: str = "#A9C4E4") -> dict[str, str]:
    """Ordered categories (一等奖 … 优秀奖) as steps from `dark` (first) to `light` (last)."""

    def rgb(hex_: str) -> tuple[int, ...]:
        return tuple(int(hex_[i : i + 2], 16) for i in (1, 3, 5))

    a, b = rgb(dark), rgb(light)
    steps = max(1, len(names) - 1)
    return {
        name: "#"
        + "".join(f"{round(x + (y - x) * i / steps):02X}" for x, y in zip(a, b, strict=True))
        for i, name in enumerate(names)
    }


def lowest(
    df: pd.DataFrame, value: str | pd.Series, title: str | None, limit: int = UNITS_SHOWN,
    label: str = "chart.lowest",
) -> tuple[pd.DataFrame, str | None]:  # fmt: skip
    """The `limit` rows of `df` with the lowest `value` (a column, or values on df's index; a
    missing value counts lowest), lowest first, and `title` saying so (the label `label`, with
    {title}, {n} and {total}); `df` and `title` as they are when it has no more rows."""
    if len(df) <= limit:
        return df, title
    key = df[value] if isinstance(value, str) else value
    order = pd.to_numeric(key, errors="coerce").fillna(float("-inf"))
    shown = df.loc[order.sort_values(kind="stable").index[:limit]]
    return shown, t(label, title=title or "", n=limit, total=len(df))


def wrapped(label: object, width: int = 14) -> str:
    """A long category name on lines of `width` characters (an axis keeps its plot wide)."""
    text = str(label)
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width)) or text


def count_step(top: float) -> int:
    """A whole-number tick step for a count axis that reaches `top` (about five ticks)."""
    raw = max(float(top), 1.0) / 5
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        if step >= raw:
            return step
    return 10_000


def count_axis(top: float) -> dict[str, object]:
    """A count axis: whole-number ticks from 0 (no 0.2 steps), thousands separators."""
    return {"tickformat": ",d", "dtick": count_step(top), "tick0": 0, "rangemode": "tozero"}


def inside_text(template: str) -> dict[str, object]:
    """Labels inside bar segments: horizontal, centred, and hidden where the segment is too
    small for TEXT_MIN_SIZE (layout's uniformtext, set by `layout`), never shrunk or turned."""
    return {
        "texttemplate": template, "textposition": "inside", "insidetextanchor": "middle",
        "textangle": 0, "constraintext": "inside",
    }  # fmt: skip


def outside_text(template: str) -> dict[str, object]:
    """A label at the end of a bar, horizontal, not cut off at the plot's edge."""
    return {
        "texttemplate": template, "textposition": "outside", "textangle": 0,
        "cliponaxis": False,
    }  # fmt: skip


def layout(fig: go.Figure, title: str | None = None, height: int = 360) -> go.Figure:
    """The family's layout: fonts, white ground, legend below, no rotated labels, bar labels
    hidden rather than shrunk; every string from the data shown as text (`defused`)."""
    shown = [tr for tr in fig.data if tr.showlegend is not False and tr.name]
    legend = bool(fig.layout.showlegend) if fig.layout.showlegend is not None else len(shown) > 1
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}} if title else None,
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": INK},
        height=height,
        # A title of two lines (a subtitle after <br>) needs the room of two.
        margin={
            "l": 10,
            "r": 10,
            "t": (72 if "<br>" in title else 50) if title else 20,
            "b": 10 + LEGEND_ROOM * legend,
        },
        # Below the plot at the figure's foot, whatever the chart's height.
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "traceorder": "normal",
        },
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=list(PALETTE),
        hoverlabel={"font": {"family": FONT_FAMILY}},
        separators=".,",
        uniformtext={"minsize": TEXT_MIN_SIZE, "mode": "hide"},
    )
    fig.update_xaxes(showgrid=False, linecolor="#D1D5DB", tickangle=0, automargin=True)
    fig.update_yaxes(gridcolor="#EEF0F3", zerolinecolor="#D1D5DB", tickangle=0, automargin=True)
    reserve_label_room(fig, FONT_SIZE, legend)  # so the browser need not draw it twice
    return defused(fig)  # names and titles from the data never become links


def empty_figure(message: str, height: int = 240) -> go.Figure:
    """A blank chart that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14, "color": MUTED})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return layout(fig, height=height)
