"""Small drawing helpers every page shares: KPI cards, downloads, rule notes."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analytics import fmt
from analytics.export import to_csv_bytes, to_xlsx_bytes
from analytics.labels import t

STATUS_BADGE_COLORS = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}


def status_badge(status: str) -> None:
    """A coloured 达标/接近/落后 badge."""
    st.badge(t(f"common.status.{status}"), color=STATUS_BADGE_COLORS.get(status, "gray"))


def kpi_card(label: str, value: float | None, unit: str, previous: float | None = None,
             target: float | None = None, expected: float | None = None,
             status: str = "none") -> None:  # fmt: skip
    """One KPI: the figure, its 同比 change, and where a target exists the target and status."""
    with st.container(border=True):
        delta = fmt.delta(value, previous, unit)
        unchanged = delta is not None and value == previous
        # The delta must start with its sign: st.metric colours and points the arrow by it.
        st.metric(
            label,
            fmt.number(value, unit),
            delta=t("common.unchanged") if unchanged else delta,
            delta_color="off" if unchanged else "normal",
            help=None
            if previous is None
            else t("common.yoy_help", previous=fmt.number(previous, unit)),
        )
        if target is not None:
            st.caption(
                t("overview.kpi.vs_target", target=fmt.number(target, unit),
                  expected=fmt.number(expected, unit))
            )  # fmt: skip
            status_badge(status)


# Tables longer than this (only at city scale: the office's longest is about 2,600 rows) get
# their files written when the user asks for them, so that showing the page stays fast.
LARGE_TABLE_ROWS = 3_000


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX download buttons for the table a user is looking at.

    The XLSX is cached by the table's content. A table over LARGE_TABLE_ROWS first shows one
    “prepare” button: writing a city's XLSX on every first view took longer than the rest of the
    page. (Streamlit's deferred `data=callable` would do this in one click, but in 1.67 the
    click finds no deferred file and nothing downloads.)
    """
    prepared = f"{key}_prepared"
    if len(df) > LARGE_TABLE_ROWS and not st.session_state.get(prepared):
        st.button(
            t("common.prepare_downloads", n=fmt.count(len(df))), key=f"{key}_prepare",
            on_click=_mark_prepared, args=(prepared,), icon=":material/download:",
        )  # fmt: skip
        return
    csv_bytes = to_csv_bytes(df)
    xlsx_bytes = _xlsx_bytes(df, name, hashlib.sha256(csv_bytes).hexdigest())
    left, right = st.columns(2)
    left.download_button(
        t("common.download_csv"), csv_bytes, file_name=f"{name}.csv",
        mime="text/csv", key=f"{key}_csv", icon=":material/download:",
    )  # fmt: skip
    right.download_button(
        t("common.download_xlsx"), xlsx_bytes, file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", icon=":material/table_view:",
    )  # fmt: skip


def _mark_prepared(state_key: str) -> None:
    st.session_state[state_key] = True


@st.cache_data(show_spinner=False, max_entries=256)
def _xlsx_bytes(_df: pd.DataFrame, name: str, content: str) -> bytes:
    """The XLSX of a table, keyed by its name and its CSV's digest (`content`)."""
    return to_xlsx_bytes({name: _df})


def rule_note(text: str) -> None:
    """The counting rule a figure follows, folded away but one click from the figure."""
    with st.expander(t("common.rule"), icon=":material/info:"):
        st.markdown(html.escape(text))


def file_download(
    label: str, data: Callable[[], bytes] | bytes, file_name: str, mime: str, key: str,
    icon: str | None = None, disabled: bool = False,
) -> None:  # fmt: skip
    """A download button for a generated document (e.g. the briefing's Word/PDF/Excel pack).

    With downloads() the only place files leave the app, so access control audits both. A
    callable `data` is built only when the user clicks.
    """
    st.download_button(
        label, data, file_name=file_name, mime=mime, key=key, icon=icon, disabled=disabled
    )
