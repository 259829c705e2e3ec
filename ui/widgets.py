"""Small drawing helpers every page shares: KPI cards, downloads, rule notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.access.auth import strip_personal
from analytics.common import fmt
from analytics.common.labels import t
from analytics.common.text import Markdown, md
from analytics.dataio.export import audited_export, export_file_stem, export_info, filters_label
from ui.auth import audit_hook
from ui.state import connection, signed_in_user

STATUS_BADGE_COLORS = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}


def status_badge(status: str) -> None:
    """A coloured 达标/接近/落后 badge."""
    st.badge(t(f"common.status.{status}"), color=STATUS_BADGE_COLORS.get(status, "gray"))


def kpi_card(label: Markdown, value: float | None, unit: str, previous: float | None = None,
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
        if target is not None and not pd.isna(target):  # a metric without a target: NaN
            st.caption(
                t("overview.kpi.vs_target", target=fmt.number(target, unit),
                  expected=fmt.number(expected, unit))
            )  # fmt: skip
            status_badge(status)


def kpi_row(kpis: pd.DataFrame, prefix: str) -> None:
    """One card per row of `kpis` (key, value, unit, previous) side by side, each labelled
    t(f"{prefix}.{key}")."""
    for col, row in zip(st.columns(len(kpis)), kpis.itertuples(), strict=True):
        with col:
            kpi_card(t(f"{prefix}.{row.key}"), row.value, row.unit, row.previous)


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX download buttons for the table a user is looking at.

    Every download is audited (who, when, filters, rows) at the moment it is clicked: the file
    is built only after its audit row is written, so if that write fails the download fails.
    Personal fields are left out unless the role may export them; the file name and the XLSX
    sheet 导出信息 say who exported it and when.
    """
    user = signed_in_user()
    frame, omitted = strip_personal(df, user.role)
    f = st.session_state.get("filters")
    stem = export_file_stem(name, user, dt.datetime.now())
    con = connection()  # the callables run on another thread, outside this session's state

    def build(fmt: str) -> Callable[[], bytes]:
        def data() -> bytes:
            cur = con.cursor()
            try:
                return audited_export(cur, user, fmt, name, frame, f, omitted)
            finally:
                cur.close()

        return data

    if omitted:
        st.caption(md(t("access.export.note", columns="、".join(omitted))))
    left, right = st.columns(2)
    left.download_button(
        t("common.download_csv"), build("csv"), file_name=f"{stem}.csv",
        mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore",
    )  # fmt: skip
    right.download_button(
        t("common.download_xlsx"), build("xlsx"), file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", icon=":material/table_view:", on_click="ignore",
    )  # fmt: skip


def rule_note(text: str) -> None:
    """The counting rule a figure follows, folded away but one click from the figure."""
    with st.expander(t("common.rule"), icon=":material/info:"):
        st.markdown(md(text))


def file_download(
    label: Markdown, data: Callable[[], bytes] | bytes, file_name: str, mime: str, key: str,
    icon: str | None = None, disabled: bool = False, rows: int | None = None,
) -> None:  # fmt: skip
    """A download button for a generated document (template, backup, the briefing's Word/PDF/
    Excel pack). With downloads() the only place files leave the app: the audit row is written
    when the user clicks, before the file is built; if it cannot be written, the download fails.
    A callable `data` is built only then."""
    user = signed_in_user()
    con = connection()  # the callable runs on another thread, outside this session's state
    stem, dot, ext = file_name.rpartition(".")
    stamped = f"{export_file_stem(stem or ext, user, dt.datetime.now())}{dot}{ext if stem else ''}"

    record = audit_hook(audit.Action.EXPORT, file_name)  # who and filters taken now

    def build() -> bytes:
        cur = con.cursor()
        try:
            record(cur, rows)
        finally:
            cur.close()
        return data() if callable(data) else data

    st.download_button(
        label, build, file_name=stamped, mime=mime, key=key, icon=icon, disabled=disabled,
        on_click="ignore",
    )  # fmt: skip


def export_info_sheet() -> Callable[[], dict[str, pd.DataFrame]]:
    """For a generated workbook: a function that returns the 导出信息 sheet (who, role, filters,
    and the time it is called). Call that inside file_download's `data` callable, which runs
    on another thread, so this session's user and filters are taken now."""
    user = signed_in_user()
    label = filters_label(st.session_state.get("filters"))

    def sheet() -> dict[str, pd.DataFrame]:
        info = export_info(
            user.label, user.role_name,
            dt.datetime.now(), t("access.export.generated"), label, 0, [],
        )  # fmt: skip
        return {t("access.export.sheet"): info.iloc[[0, 1, 2, 4]]}

    return sheet
