"""Sidebar filters kept in step with the URL query parameters, in both directions.

On a session's first run the URL seeds the widgets (a shared link reproduces the view); after
that the widgets are the source of truth and every run writes them back to the URL.
An invalid parameter is ignored with a visible note instead of failing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from analytics.common.filters import Filters
from analytics.common.labels import t
from analytics.common.text import md

PARAM_KEYS = {
    "year": "f_year",
    "quarter": "f_quarter",
    "group": "f_group",
    "division": "f_division",
}
QUARTERS: list[int | None] = [None, 1, 2, 3, 4]
LOCKED_KEY = "_filters_locked_group"  # the group the last run's role was locked to, if any


def _parse(name: str, raw: str, facts: dict[str, Any]) -> Any:
    """The widget value for a URL value, or raise ValueError when it is not one we offer."""
    if name == "year":
        year = int(raw)
        if year not in facts["years"]:
            raise ValueError(raw)
        return year
    if name == "quarter":
        quarter = int(raw)
        if quarter not in (1, 2, 3, 4):
            raise ValueError(raw)
        return quarter
    options = facts["groups"] if name == "group" else facts["divisions"]
    if raw not in options:
        raise ValueError(raw)
    return raw


def _seed_from_url(facts: dict[str, Any]) -> list[tuple[str, str]]:
    """Seed the widgets from the URL; the (name, value) pairs that were ignored."""
    ignored: list[tuple[str, str]] = []
    for name, key in PARAM_KEYS.items():
        raw = st.query_params.get(name)
        if raw is None or raw == "":
            continue
        try:
            st.session_state[key] = _parse(name, raw, facts)
        except ValueError:
            ignored.append((name, raw))
    return ignored


def _write_to_url(values: dict[str, Any]) -> None:
    for name, value in values.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != str(value):
            st.query_params[name] = str(value)


def sidebar_filters(
    facts: dict[str, Any], locked_group: str | None = None
) -> tuple[Filters, list[tuple[str, str]]]:
    """Draw the filters; return the Filters value and the URL parameters it ignored (name,
    value as typed: the caller shows them escaped).

    `locked_group` (a 小组导师's own group) fixes the group filter, shown disabled, and becomes
    the Filters' row-level restriction (visible_group).
    """
    as_of: dt.date = facts["as_of"]
    years: list[int] = facts["years"] or [as_of.year]
    ignored: list[tuple[str, str]] = []
    if not st.session_state.get("_filters_seeded"):
        st.session_state.setdefault(PARAM_KEYS["year"], as_of.year if as_of.year in years
                                    else years[-1])  # fmt: skip
        ignored = _seed_from_url(facts)
        st.session_state["_filters_seeded"] = True

    with st.sidebar:
        st.subheader(t("filters.header"))
        year = st.selectbox(
            t("filters.year"), years, key=PARAM_KEYS["year"], format_func=lambda y: f"{y}年"
        )
        quarter = st.selectbox(
            t("filters.quarter"),
            QUARTERS,
            key=PARAM_KEYS["quarter"],
            format_func=lambda q: t("filters.quarter_all") if q is None
            else t("filters.quarter_n", n=q),
        )  # fmt: skip
        if locked_group is not None:
            st.session_state[PARAM_KEYS["group"]] = locked_group
        elif st.session_state.get(LOCKED_KEY) is not None:
            # The role changed from one locked to a group (小组导师) to one that is not: the
            # group was the lock's, not the user's choice, so the view opens on every group.
            st.session_state[PARAM_KEYS["group"]] = None
        st.session_state[LOCKED_KEY] = locked_group
        group = st.selectbox(
            t("filters.group"),
            [None, *facts["groups"]] if locked_group is None else [locked_group],
            key=PARAM_KEYS["group"],
            format_func=lambda g: t("filters.all") if g is None else g,
            disabled=locked_group is not None,
            help=t("access.group_locked") if locked_group is not None else None,
        )
        division = st.selectbox(
            t("filters.division"),
            [None, *facts["divisions"]],
            key=PARAM_KEYS["division"],
            format_func=lambda d: t("filters.all") if d is None else d,
        )
        if locked_group is not None:
            group = locked_group
        f = Filters(year=year, quarter=quarter, group=group, division=division, as_of=as_of,
                    data_start=facts.get("data_start"), visible_group=locked_group)  # fmt: skip
        period = t("filters.period", start=f.period_start.isoformat(), end=f.period_end.isoformat())
        st.caption(md(period))
        st.caption(t("filters.share_hint"))
    _write_to_url({"year": year, "quarter": quarter, "group": group, "division": division})
    return f, ignored
