"""Room for tick labels, reserved before the browser draws.

Every axis keeps plotly's `automargin`, so a label is never cut off. But automargin measures
the labels after a first drawing and, when they need more room than the margins give, draws
the whole chart again: on the city's 学习参与 that second pass was about a fifth of a reload.
So the margins are set from an estimate of the widest and tallest tick label of every axis
(CJK characters one em wide, others 0.62 em, which is wider than Noto Sans CJK's digits and
Latin). Where the estimate is big enough the browser draws once; where it falls short,
automargin still grows the margin, as before.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np
import plotly.graph_objects as go

_TAG = re.compile(r"<[^>]*>")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_DECIMALS = re.compile(r"\.(\d+)")
# Measured on the app's charts in Chromium (what automargin grew the margins to):
NARROW_EM = 0.62  # a digit or Latin letter, as a share of the font size (rounded up)
LINE_EM = 1.45  # a line of x tick labels, as a multiple of the font size
Y_GAP = 18  # px between the plot and the widest y tick label, and a little to spare
X_GAP = 18  # px below the plot before the first line of x tick labels
TITLE_ROOM = 30  # px for an axis title beside its labels
LEGEND_ROW = 19  # px per row of a legend below the plot, and LEGEND_PAD under it
LEGEND_PAD = 10
LEGEND_WIDTH = 480  # px assumed for a legend's rows: a chart in a column beside a panel
LEGEND_ENTRY = 40  # px of an entry beside its text (the symbol and the gap)
# Traces drawn on x/y axes whose values are their positions (pie, table… have no axes).
_CARTESIAN = frozenset({"bar", "scatter", "scattergl", "heatmap", "box", "histogram"})


def _wide(ch: str) -> bool:
    """A character drawn one em wide: CJK ideographs, kana, full-width forms and punctuation."""
    return unicodedata.east_asian_width(ch) in "WF"


def lines_of(label: object) -> list[str]:
    """A label's lines as drawn: split at <br>, the builders' <b> and entities taken off."""
    return [html.unescape(_TAG.sub("", line)) for line in _LINE_BREAK.split(str(label))]


def text_width(label: object, size: float) -> float:
    """The estimated width in px of `label`'s widest line at font `size`."""
    return max(
        sum(size if _wide(ch) else NARROW_EM * size for ch in line) for line in lines_of(label)
    )


def _values(trace: Any, letter: str) -> list[Any]:
    values = getattr(trace, letter, None)
    if values is None:
        return []
    return list(np.asarray(values, dtype=object).ravel())


def _number_label(top: float, fmt: str) -> str:
    """The longest tick label a value axis up to `top` shows (about: one digit spare)."""
    decimals = _DECIMALS.search(fmt)
    places = int(decimals.group(1)) if decimals else 0
    if "%" in fmt:
        return f"{top * 100:,.{places}f}%"
    if not fmt:  # plotly's own: steps of 0.5 below 10, 50k from 10,000
        if top >= 10_000:
            return f"{top / 1000:,.0f}k"
        places = 1 if top < 10 else 0
    return f"{top:,.{places}f}"


def _axis_labels(fig: go.Figure, name: str, axis: Any) -> tuple[list[str], str]:
    """What `axis` (layout key `name`, e.g. yaxis2) writes at its ticks, as best known here,
    and the axis's kind (category, date, linear)."""
    if axis.ticktext is not None:
        return [str(v) for v in axis.ticktext], "category"
    letter = name[0]
    ref = letter + name[5:]  # yaxis2 → y2
    traces = [
        tr for tr in fig.data
        if tr.type in _CARTESIAN and (getattr(tr, f"{letter}axis", None) or letter) == ref
    ]  # fmt: skip
    values = [v for tr in traces for v in _values(tr, letter)]
    if axis.tickvals is not None:
        values = list(axis.tickvals)
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not present:
        return [], "linear"
    kind = axis.type if axis.type not in (None, "-") else _kind(present)
    if kind == "category":
        return [str(v) for v in dict.fromkeys(present)], kind
    if kind == "date":  # plotly's own date labels take two lines where a year starts
        return [_sample_date(axis.tickformat) if axis.tickformat else "Dec 28<br>2025"], kind
    if axis.tickvals is not None:
        ticks = [n for n in map(_number, present) if n is not None]
        return [_number_label(abs(n), axis.tickformat or "") for n in ticks], kind
    numbers = [n for n in map(_number, present) if n is not None]
    if not numbers:  # a value axis given text: nothing to estimate
        return [], kind
    top = _value_top(fig, traces, letter, axis)
    sign = "-" if min(numbers) < 0 else ""
    label = (axis.tickprefix or "") + sign + _number_label(top, axis.tickformat or "")
    return [label + (axis.ticksuffix or "")], kind


def _sample_date(fmt: str) -> str:
    """A wide label in the d3 date format `fmt` (the directives the charts use)."""
    for directive, sample in (("%Y", "2025"), ("%-m", "12"), ("%m", "12"), ("%-d", "28"),
                              ("%d", "28"), ("%b", "Dec"), ("%B", "December")):  # fmt: skip
        fmt = fmt.replace(directive, sample)
    return fmt


def _kind(values: list[Any]) -> str:
    sample = values[0]
    if isinstance(sample, str):
        return "category"
    if isinstance(sample, np.datetime64) or hasattr(sample, "year"):
        return "date"
    return "linear"


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _value_top(fig: go.Figure, traces: Iterable[Any], letter: str, axis: Any) -> float:
    """The largest value a value axis reaches: its fixed range, or the data (stacked bars add
    up per category)."""
    if axis.range is not None and None not in axis.range:
        return max(abs(float(v)) for v in axis.range)
    stacked = fig.layout.barmode in ("stack", "relative")
    other = "y" if letter == "x" else "x"
    sums: dict[Any, float] = {}
    top = 0.0
    for tr in traces:
        positions = _values(tr, other) if tr.type == "bar" else []
        for i, v in enumerate(_values(tr, letter)):
            number = _number(v)
            if number is None:
                continue
            value = abs(number)
            top = max(top, value)
            if stacked and tr.type == "bar" and i < len(positions):
                key = str(positions[i])
                sums[key] = sums.get(key, 0.0) + value
    return max([top, *sums.values()])


def legend_rows(fig: go.Figure) -> int:
    """The rows a horizontal legend of `fig`'s named traces takes in LEGEND_WIDTH px."""
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    if not names:
        return 0
    rows, used = 1, 0.0
    for name in names:
        entry = text_width(name, fig.layout.font.size or 13) + LEGEND_ENTRY
        if used and used + entry > LEGEND_WIDTH:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def reserve_label_room(fig: go.Figure, size: float, legend: bool) -> go.Figure:
    """`fig` (changed in place) with margins wide enough for its estimated tick labels and,
    with `legend`, the legend below; never narrower than it had. Labels are at font `size`
    unless an axis sets its own."""
    margin = fig.layout.margin
    room = {side: getattr(margin, side) or 0 for side in ("l", "r", "t", "b")}
    below = legend_rows(fig) * LEGEND_ROW + LEGEND_PAD if legend else 0
    for name in [key for key in fig.layout if re.fullmatch(r"[xy]axis\d*", key)]:
        axis = fig.layout[name]
        if axis.visible is False or axis.showticklabels is False:
            continue
        labels, kind = _axis_labels(fig, name, axis)
        if not labels:
            continue
        font = axis.tickfont.size or size
        title_room = TITLE_ROOM if axis.title.text else 0
        widest = max(text_width(label, font) for label in labels)
        if name[0] == "y":
            side = "r" if axis.side == "right" else "l"
            room[side] = max(room[side], math.ceil(widest + Y_GAP + title_room))
            continue
        lines = max(len(lines_of(label)) for label in labels)
        need = lines * font * LINE_EM + X_GAP + title_room
        if axis.side == "top":
            room["t"] = max(room["t"], math.ceil(need))
        else:
            room["b"] = max(room["b"], math.ceil(need + below))
        if kind == "linear":  # the last value label can overhang the plot
            room["r"] = max(room["r"], math.ceil(widest / 2 + 2))
    fig.update_layout(margin=room)
    return fig
