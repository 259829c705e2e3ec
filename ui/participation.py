"""学习参与's widgets: its tables' column formats, and the one drill selection shared by its
charts (the last click wins, the other charts drop their highlight, the detail table narrows)."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.common.labels import t
from analytics.common.selection import drill_from_points
from analytics.common.text import md
from analytics.metrics.participation import (
    DETAIL_COLUMNS,
    DETAIL_LIMIT,
    attendance_detail,
    labelled,
)
from ui.state import metric
from ui.widgets import downloads, rate_column, table

DRILL = "participation_drill"
DRILL_FILTERS = "participation_drill_filters"
CHARTS = ("group", "month", "form", "grid")
PLOTLY_CONFIG = {"displaylogo": False}
SELECT_MODES = ("points", "box")


def col(name: str) -> str:
    """A column's Chinese heading (labelled by analytics.metrics.participation)."""
    return t(f"participation.col.{name}")


def number_columns(*names: str, percent: tuple[str, ...] = (), dates: tuple[str, ...] = ()):
    """Column formats for a labelled table: percentages, 1-decimal figures and plain dates."""
    config: dict[str, Any] = {
        col(n): st.column_config.NumberColumn(format=fmt.TABLE_HOURS) for n in names
    }
    config |= {col(n): rate_column() for n in percent}
    config |= {col(n): st.column_config.DateColumn(format="YYYY-MM-DD") for n in dates}
    return config


def profile_column() -> dict[str, Any]:
    """The 姓名 column as a link to the cadre's 干部档案 (the name rides in the #fragment)."""
    return {col("profile"): st.column_config.LinkColumn(col("profile"), display_text=r"#(.+)$")}


# ----- the drill selection: chart clicks → one narrowing of the detail table -----


def _generation(name: str) -> int:
    return st.session_state.get(f"participation_gen_{name}", 0)


def chart_key(name: str) -> str:
    """A chart's widget key; a new generation drops its highlighted selection."""
    return f"participation_chart_{name}_{_generation(name)}"


def _forget(keep: str | None = None) -> None:
    for name in CHARTS:
        if name != keep:
            st.session_state[f"participation_gen_{name}"] = _generation(name) + 1


def on_select(name: str) -> None:
    """A chart's selection changed: it becomes the one drill; other charts drop theirs."""
    state = st.session_state.get(chart_key(name))
    points = list(state["selection"]["points"]) if state else []
    st.session_state[DRILL] = drill_from_points(name, points)
    _forget(keep=name)


def clear_drill() -> None:
    """Back to the whole period."""
    st.session_state[DRILL] = None
    _forget()


def selectable_chart(name: str, figure: Any) -> None:
    """A plotly chart whose clicks narrow the detail table; says so when it holds the drill."""
    st.plotly_chart(
        figure, key=chart_key(name), on_select=partial(on_select, name),
        selection_mode=SELECT_MODES, config=PLOTLY_CONFIG,
    )  # fmt: skip
    drill = st.session_state.get(DRILL)
    if drill and drill["source"] == name:
        st.caption(md(t("participation.detail.selection", what=drill["text"])) + " ↓")


def detail_panel(f: Filters) -> None:
    """The expected-attendance rows behind the figures, narrowed by the active chart selection."""
    st.subheader(t("participation.section.detail"))
    drill = st.session_state.get(DRILL)
    if drill:
        info, button = st.columns([5, 1])
        info.info(
            md(t("participation.detail.selection", what=drill["text"])),
            icon=":material/filter_alt:",
        )
        button.button(
            t("participation.detail.clear"), on_click=clear_drill, key="participation_clear",
            icon=":material/close:",
        )  # fmt: skip
    else:
        st.caption(t("participation.detail.none"))
    narrowing = {k: drill[k] for k in ("groups", "months", "forms", "cadres")} if drill else {}
    detail = labelled(metric(attendance_detail, f, **narrowing), DETAIL_COLUMNS)
    if len(detail) >= DETAIL_LIMIT:
        st.caption(t("participation.detail.capped", n=fmt.count(DETAIL_LIMIT)))
    else:
        st.caption(t("participation.detail.rows", n=fmt.count(len(detail))))
    table(
        detail, hide_index=True,
        column_config=number_columns("credited_hours", dates=("date",)),
    )  # fmt: skip
    downloads(detail, t("participation.section.detail"), "participation_detail")
