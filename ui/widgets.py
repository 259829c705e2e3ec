"""Small drawing helpers every page shares: KPI cards, downloads, rule notes."""

from __future__ import annotations

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


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX download buttons for the table a user is looking at.

    The files are written only when a button is clicked (Streamlit calls the function then):
    writing an XLSX of a city's table on every rerun took longer than the rest of the page.
    """
    left, right = st.columns(2)
    left.download_button(
        t("common.download_csv"), lambda: to_csv_bytes(df), file_name=f"{name}.csv",
        mime="text/csv", key=f"{key}_csv", icon=":material/download:",
    )  # fmt: skip
    right.download_button(
        t("common.download_xlsx"), lambda: to_xlsx_bytes({name: df}), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", icon=":material/table_view:",
    )  # fmt: skip


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
