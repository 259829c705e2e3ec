"""学习参与's widgets: its tables' column formats, and the one drill selection shared by its
charts (the last click wins, the other charts drop their highlight, and the rows behind it
show in a panel beside the chart that was clicked)."""

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
from analytics.metrics.rotation import (
    COUNCIL_RULE,
    COUNCIL_SEATS_PER_SESSION,
    council_coverage,
    council_not_seated,
    council_sessions,
)
from ui.drill import PANEL_TABLE_HEIGHT, panel_header
from ui.state import metric
from ui.widgets import downloads, kpi_card, rate_column, rule_note, table

DRILL = "participation_drill"
DRILL_FILTERS = "participation_drill_filters"
CHARTS = ("group", "month", "form", "grid")
PLOTLY_CONFIG = {"displaylogo": False}
SELECT_MODES = ("points", "box")


def col(name: str) -> str:
    """A column's Chinese heading (labelled by analytics.metrics.participation)."""
    return t(f"participation.col.{name}")


def number_columns(
    *names: str, percent: tuple[str, ...] = (), dates: tuple[str, ...] = (),
    months: tuple[str, ...] = (),
) -> dict[str, Any]:  # fmt: skip
    """Column formats for a labelled table: percentages, 1-decimal figures, plain dates and
    months (a month's first day shown as 2025年1月, not as that day)."""
    config: dict[str, Any] = {
        col(n): st.column_config.NumberColumn(format=fmt.TABLE_HOURS) for n in names
    }
    config |= {col(n): rate_column() for n in percent}
    config |= {col(n): st.column_config.DateColumn(format="YYYY-MM-DD") for n in dates}
    config |= {col(n): st.column_config.DateColumn(format="YYYY年M月") for n in months}
    return config


def profile_column() -> dict[str, Any]:
    """The 姓名 column as a link to the cadre's 干部档案 (the name rides in the #fragment)."""
    return {col("profile"): st.column_config.LinkColumn(col("profile"), display_text=r"#(.+)$")}


# ----- the drill selection: chart clicks → one narrowing, shown beside the clicked chart -----

PANEL_COLUMNS = ("date", "title", "name", "study_group", "status", "credited_hours")


def _generation(name: str) -> int:
    return st.session_state.get(f"participation_gen_{name}", 0)


def chart_key(name: str) -> str:
    """A chart's widget key; a new generation drops its highlighted selection."""
    return f"participation_chart_{name}_{_generation(name)}"


def _axes_key(name: str) -> str:
    return f"participation_axes_{name}"


def _forget(keep: str | None = None) -> None:
    for name in CHARTS:
        if name != keep:
            st.session_state[f"participation_gen_{name}"] = _generation(name) + 1


def on_select(name: str) -> None:
    """A chart's selection changed: it becomes the one drill; other charts drop theirs. On a
    rate grid a drawn box counts too, read against the grid's axes as last drawn."""
    state = st.session_state.get(chart_key(name))
    selection = state["selection"] if state else {}
    st.session_state[DRILL] = drill_from_points(
        name, list(selection.get("points", [])), list(selection.get("box", [])),
        st.session_state.get(_axes_key(name)),
    )  # fmt: skip
    _forget(keep=name)


def clear_drill() -> None:
    """Back to the whole period."""
    st.session_state[DRILL] = None
    _forget()


def selectable_chart(name: str, figure: Any, axes: Any = None) -> None:
    """A plotly chart whose clicks (and, on a grid with `axes`, drawn boxes) set the drill."""
    st.session_state[_axes_key(name)] = axes
    st.plotly_chart(
        figure, key=chart_key(name), on_select=partial(on_select, name),
        selection_mode=SELECT_MODES, config=PLOTLY_CONFIG,
    )  # fmt: skip


def forget_drill(name: str) -> None:
    """Back to the whole period if the chart `name` held the drill (it is no longer drawn)."""
    if holds_drill(name):
        clear_drill()


def holds_drill(name: str) -> bool:
    """Whether the chart `name` holds the current drill."""
    drill = st.session_state.get(DRILL)
    return bool(drill) and drill["source"] == name


def drill_panel(f: Filters, name: str) -> None:
    """Beside the chart `name`, when it holds the drill: what was picked, a button to clear it,
    the expected-attendance rows behind it and their downloads."""
    if not holds_drill(name):
        return
    drill = st.session_state[DRILL]
    panel_header(
        t("participation.detail.selection", what=md(drill["text"])), clear_drill,
        key=f"participation_clear_{name}",
    )  # fmt: skip
    narrowing = {k: drill[k] for k in ("groups", "months", "forms", "cadres")}
    detail = labelled(metric(attendance_detail, f, **narrowing), DETAIL_COLUMNS)
    capped = len(detail) >= DETAIL_LIMIT
    st.caption(
        t("participation.detail.capped", n=fmt.count(DETAIL_LIMIT)) if capped
        else t("participation.detail.picked", n=fmt.count(len(detail)))
    )  # fmt: skip
    table(
        detail, hide_index=True, height=PANEL_TABLE_HEIGHT,
        column_order=[col(c) for c in PANEL_COLUMNS],
        column_config=number_columns("credited_hours", dates=("date",)),
        key=f"participation_panel_{name}",
    )  # fmt: skip
    downloads(detail, t("participation.section.detail"), f"participation_drill_{name}")


def detail_panel(f: Filters) -> None:
    """Every expected-attendance row of the period (a chart's selection shows beside it)."""
    st.subheader(t("participation.section.detail"))
    st.caption(t("participation.detail.none"))
    detail = labelled(metric(attendance_detail, f), DETAIL_COLUMNS)
    if len(detail) >= DETAIL_LIMIT:
        st.caption(t("participation.detail.capped", n=fmt.count(DETAIL_LIMIT)))
    else:
        st.caption(t("participation.detail.rows", n=fmt.count(len(detail))))
    table(
        detail, hide_index=True,
        column_config=number_columns("credited_hours", dates=("date",)),
    )  # fmt: skip
    downloads(detail, t("participation.section.detail"), "participation_detail")


# ----- 列席党组理论中心组 -----


def council_section(f: Filters) -> None:
    """Who sat in on the 党组理论中心组 sessions: seats per session, coverage, who never did."""
    st.subheader(t("participation.section.council"))
    coverage = metric(council_coverage, f).iloc[0]
    c1, c2, c3 = st.columns(3)
    with c1:
        kpi_card(t("participation.kpi.council_sessions"), coverage["sessions"], "count")
    with c2:
        kpi_card(t("participation.kpi.seats_per_session"), coverage["seats_per_session"], "count",
                 target=COUNCIL_SEATS_PER_SESSION, expected=COUNCIL_SEATS_PER_SESSION,
                 status=coverage["status"])  # fmt: skip
    with c3:
        kpi_card(t("participation.kpi.seated"), coverage["seated_in_post"], "count")
        st.caption(f"{fmt.count(coverage['seated_in_post'])} / {fmt.count(coverage['cadres'])} · "
                   f"{fmt.pct(coverage['coverage'])}")  # fmt: skip
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('participation.council.sessions')}**")
        seats = metric(council_sessions, f)
        table(
            labelled(seats, ["date", "title", "seats", "seats_in_scope", "met"]),
            hide_index=True, column_config=number_columns(dates=("date",)),
        )  # fmt: skip
        seat_columns = ["activity_id", "date", "title", "seats", "seats_in_scope", "target", "met"]
        downloads(
            labelled(seats, seat_columns), t("participation.council.sessions"),
            "participation_council",
        )  # fmt: skip
    with right:
        not_seated = metric(council_not_seated, f)
        st.markdown(f"**{t('participation.council.not_seated', n=len(not_seated))}**")
        if not_seated.empty:
            st.success(t("participation.council.all_seated"))
        table(
            labelled(not_seated, ["profile", "cadre_id", "study_group", "division"]),
            hide_index=True, column_config=profile_column(),
        )  # fmt: skip
        downloads(
            labelled(not_seated, ["cadre_id", "name", "study_group", "division"]),
            t("participation.council.not_seated", n=len(not_seated)), "participation_not_seated",
        )  # fmt: skip
    rule_note(COUNCIL_RULE.format(target=COUNCIL_SEATS_PER_SESSION))
