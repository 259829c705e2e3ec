"""Charts show text from the data literally.

plotly reads a subset of HTML in every label, hover and title (`<a href>` makes a link), and
the chart builders put names, groups and titles from the data there. `defused` passes every
string of a finished figure through analytics.common.text.chart_text, so markup in the data is
shown as characters while the builders' own <br>, <b> and <extra> still work.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from analytics.common.text import chart_text

_SKIPPED = frozenset({"template"})  # plotly's own theme: large, and never from the data


def defused(fig: go.Figure) -> go.Figure:
    """`fig` (changed in place) with markup in any of its strings shown as text."""
    for trace in fig.data:
        changes = _changed(trace.to_plotly_json())
        if changes:
            trace.update(changes)
    changes = _changed(fig.layout.to_plotly_json())
    if changes:
        fig.update_layout(changes)
    return fig


def _changed(props: dict[str, Any]) -> dict[str, Any]:
    """The properties whose text needed escaping, with their escaped values."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if key in _SKIPPED:
            continue
        new = _escaped(value)
        if new is not None:
            out[key] = new
    return out


def _escaped(value: Any) -> Any:
    """The value with its strings escaped, or None when nothing in it had to change."""
    if isinstance(value, str):
        new = chart_text(value)
        return new if new != value else None
    if isinstance(value, dict):
        changes = _changed(value)
        return {**value, **changes} if changes else None
    if isinstance(value, np.ndarray):
        if value.dtype != object and value.dtype.kind != "U":
            return None
        items = [_escaped(v) for v in value.ravel().tolist()]
        if all(i is None for i in items):
            return None
        flat = [v if i is None else i for v, i in zip(value.ravel().tolist(), items, strict=True)]
        return np.array(flat, dtype=object).reshape(value.shape)
    if isinstance(value, list | tuple):
        items = [_escaped(v) for v in value]
        if all(i is None for i in items):
            return None
        return [v if i is None else i for v, i in zip(value, items, strict=True)]
    return None
