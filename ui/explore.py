"""自助分析's widgets kept in step with the URL: the question's state in the session, seeded
from the link on arrival (anything invalid dropped with a note, as the sidebar does), written
back to the URL on every run, and changed by a chart click, a breadcrumb or a saved view
through a pending question applied before the widgets are drawn."""

from __future__ import annotations

from typing import Any

import streamlit as st

from analytics.common.filters import Filters
from analytics.common.labels import t
from analytics.common.text import md
from analytics.semantic.answer import dimension_options, options_by_dimension
from analytics.semantic.catalogue import DIMENSIONS, MEASURES
from analytics.semantic.question import (
    BY_PARAM,
    FILTER_PREFIX,
    MEASURE_PARAM,
    YOY_PARAM,
    Question,
    from_params,
    to_params,
    typed_value,
)
from ui.state import metric

MEASURE_KEY, DIMS_KEY, YOY_KEY = "ex_measure", "ex_dims", "ex_yoy"
PICK_PREFIX, RANGE_PREFIX = "ex_pick_", "ex_range_"
PENDING_KEY, CRUMBS_KEY, CHART_KEY = "_ex_pending", "_ex_crumbs", "_ex_chart"


def options(f: Filters, measure: str) -> dict[str, list[Any]]:
    """The values each dimension of `measure` takes in the period (cached, restricted)."""
    return options_by_dimension(metric(dimension_options, f, measure=measure))


def _url_params() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def _apply(q: Question, offered: dict[str, list[Any]]) -> None:
    """Put `q` into the widgets' state (only before they are drawn in this run)."""
    for key in [k for k in st.session_state if str(k).startswith((PICK_PREFIX, RANGE_PREFIX))]:
        del st.session_state[key]
    st.session_state[MEASURE_KEY] = q.measure
    st.session_state[DIMS_KEY] = list(q.dims)
    st.session_state[YOY_KEY] = q.yoy
    for dim, values in q.picks:
        st.session_state[PICK_PREFIX + dim] = list(values)
    for dim, low, high in q.ranges:
        span = offered.get(dim) or [low, high]
        st.session_state[RANGE_PREFIX + dim] = (max(low, min(span)), min(high, max(span)))


def seed(f: Filters) -> list[str]:
    """On arrival (or after a click, a breadcrumb, a saved view): set the widgets from the
    pending question or from the URL; the notes say what in the link was ignored."""
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is not None:
        q, notes = from_params(pending)
        _apply(q, options(f, q.measure))
        return notes
    if MEASURE_KEY in st.session_state:
        return []
    st.session_state[CRUMBS_KEY] = []
    first, _ = from_params(_url_params())
    offered = options(f, first.measure)
    q, notes = from_params(_url_params(), {d: [str(v) for v in vs] for d, vs in offered.items()})
    _apply(q, offered)
    return notes


def go_to(q: Question, crumbs: list[dict[str, Any]] | None = None) -> None:
    """Show `q` on the next run (with this breadcrumb trail), and rerun now."""
    st.session_state[PENDING_KEY] = {k: v if isinstance(v, list) else [v]
                                     for k, v in to_params(q).items()}  # fmt: skip
    if crumbs is not None:
        st.session_state[CRUMBS_KEY] = crumbs
    st.session_state[CHART_KEY] = st.session_state.get(CHART_KEY, 0) + 1  # a fresh selection
    st.rerun()


def question_widgets(f: Filters) -> Question:
    """Measure, dimensions, 同比 and the filters on every dimension the measure offers."""
    measure = st.selectbox(
        t("explore.measure"), list(MEASURES), key=MEASURE_KEY,
        format_func=lambda k: MEASURES[k].label,
    )  # fmt: skip
    offered_dims = MEASURES[measure].dimensions
    st.session_state[DIMS_KEY] = [
        d for d in st.session_state.get(DIMS_KEY, []) if d in offered_dims
    ]
    left, right = st.columns([4, 1])
    dims = left.multiselect(
        t("explore.dims"), list(offered_dims), key=DIMS_KEY, max_selections=2,
        format_func=lambda d: DIMENSIONS[d].label, placeholder=t("explore.dims.placeholder"),
    )  # fmt: skip
    right.write("")
    yoy = right.checkbox(t("explore.yoy"), key=YOY_KEY)
    values = options(f, measure)
    picks: list[tuple[str, tuple[str, ...]]] = []
    ranges: list[tuple[str, int, int]] = []
    active = int(sum(
        1 for d in offered_dims if st.session_state.get(PICK_PREFIX + d)
        or st.session_state.get(RANGE_PREFIX + d)
    ))  # fmt: skip
    label = t("explore.filters.active", n=active) if active else t("explore.filters")
    with st.expander(label, expanded=bool(active), icon=":material/filter_alt:"):
        columns = st.columns(3)
        for i, dim in enumerate(offered_dims):
            spec, here = DIMENSIONS[dim], [str(v) for v in values.get(dim, [])]
            with columns[i % 3]:
                if spec.range_sql is not None:
                    chosen = _range_widget(dim, values.get(dim, []))
                    if chosen is not None:
                        ranges.append((dim, *chosen))
                    continue
                key = PICK_PREFIX + dim
                if key in st.session_state:  # a value the period does not have cannot be shown
                    st.session_state[key] = [v for v in st.session_state[key] if v in here]
                kept = st.multiselect(
                    md(spec.label), here, key=key, placeholder=t("explore.filter.all"),
                    format_func=lambda v, d=dim: DIMENSIONS[d].show(typed_value(d, v)),
                )  # fmt: skip
                if kept:
                    picks.append((dim, tuple(kept)))
    return Question(measure=measure, dims=tuple(dims), picks=tuple(picks),
                    ranges=tuple(ranges), yoy=yoy)  # fmt: skip


def _range_widget(dim: str, numbers: list[Any]) -> tuple[int, int] | None:
    """A slider over the numbers the dimension takes; None when the whole span is chosen."""
    key = RANGE_PREFIX + dim
    if len(numbers) < 2:
        st.session_state.pop(key, None)
        if numbers:
            fixed = t("explore.filter.range_fixed", dim=DIMENSIONS[dim].label, value=numbers[0])
            st.caption(md(fixed))
        return None
    low, high = int(min(numbers)), int(max(numbers))
    current = st.session_state.get(key, (low, high))
    st.session_state[key] = (max(low, min(current[0], high)), min(high, max(current[1], low)))
    chosen = st.slider(t(f"explore.range.{dim}"), low, high, key=key)
    return None if tuple(chosen) == (low, high) else (int(chosen[0]), int(chosen[1]))


def write_url(q: Question) -> None:
    """The question into the URL beside the sidebar's parameters, so a copied link asks it."""
    wanted = to_params(q)
    for name in list(st.query_params):
        ours = name in (MEASURE_PARAM, BY_PARAM, YOY_PARAM) or name.startswith(FILTER_PREFIX)
        if ours and name not in wanted:
            del st.query_params[name]
    for name, value in wanted.items():
        current = st.query_params.get_all(name)
        if current != (value if isinstance(value, list) else [value]):
            st.query_params[name] = value
