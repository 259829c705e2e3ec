"""Small drawing helpers every page shares: KPI cards, downloads, rule notes, the uploader."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from analytics.access import audit
from analytics.access.auth import strip_personal
from analytics.common import config, fmt
from analytics.common.labels import t
from analytics.common.text import Markdown, md
from analytics.dataio.export import audited_export, export_file_stem, export_info, filters_label
from ui.auth import audit_hook
from ui.drill import PANEL_KEY
from ui.state import signed_in_user, writer

STATUS_BADGE_COLORS = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}


NOT_COMPARED: Any = object()  # kpi_card's default: a figure shown without a 同比 at all


def kpi_card(label: Markdown, value: float | None, unit: str, previous: Any = NOT_COMPARED,
             target: float | None = None, expected: float | None = None,
             status: str = "none", noun: str = "", better: int = 1,
             height: int | None = None, rule: str | None = None,
             also: Markdown | None = None) -> None:  # fmt: skip
    """One KPI: the figure with its unit, its 同比 change, and where a target exists the target
    and status. The change is green when it is good news (`better`: +1 higher is better, 0
    neither), red when it is bad, grey and arrowless when there is none or nothing to compare.
    `rule`, the figure's counting rule, opens from the card's help icon (with the 同比 figure);
    `also`, our own text (e.g. the 环比 line), is a caption under the figure."""
    with st.container(border=True, height=height if height else "content"):
        compared = previous is not NOT_COMPARED
        previous = None if not compared or previous is None or pd.isna(previous) else previous
        change = fmt.change_text(value, previous, unit, noun)
        direction = fmt.change_direction(value, previous, unit)
        color, arrow = "gray", "off"
        if not compared:
            delta = None
        elif change is None:
            delta = t("common.no_previous")
        elif direction == 0:
            delta = t("common.unchanged")
        else:
            good = direction * better
            delta = change
            arrow = "auto"
            color = "green" if good > 0 else ("red" if good < 0 else "gray")
        st.metric(
            label,
            fmt.number(value, unit, noun),
            delta=delta,
            delta_color=color,  # type: ignore[arg-type]
            delta_arrow=arrow,  # type: ignore[arg-type]
            help=md(
                "\n\n".join(
                    part
                    for part in (
                        rule,
                        None
                        if previous is None
                        else t("common.yoy_help", previous=fmt.number(previous, unit, noun)),
                    )
                    if part
                )
            )
            or None,
        )
        if also:
            st.caption(also)
        if target is not None and not pd.isna(target):  # a metric without a target: NaN
            # A state (导师配备) is compared with the full target at any date: no pace to show.
            paced = expected is not None and not pd.isna(expected) and expected != target
            shown = t("overview.kpi.vs_target" if paced else "overview.kpi.vs_target_only",
                      target=fmt.number(target, unit, noun),
                      expected=fmt.number(expected, unit, noun) if paced else "")  # fmt: skip
            badge = STATUS_BADGE_COLORS.get(status, "gray")
            # Our own figures and labels only: safe as Markdown (the badge is Streamlit's).
            st.caption(f"{shown} :{md(badge)}-badge[{t(f'common.status.{status}')}]")


def verdict_line(counts: dict[str, int], text: str) -> None:
    """The one-line answer: "8 项年度指标：" and a coloured badge per 达标 / 接近 / 落后 count."""
    total = int(sum(counts.values()))
    if total == 0:
        st.markdown(f"**{md(text)}**")
        return
    badges = " ".join(
        f":{md(STATUS_BADGE_COLORS[s])}-badge"
        f"[{t('overview.verdict.part', n=int(n), status=t(f'common.status.{s}'))}]"
        for s, n in counts.items()
    )
    st.markdown(f"#### {t('overview.verdict.total', total=total)} {badges}")


# Rows a table sends to the browser; its download carries them all. 100 rows of a wide list
# are some 20-30 kB: 学习参与 on the city sent 773 kB a reload when tables sent 500.
TABLE_ROWS_SHOWN = 100


def table(data: pd.DataFrame | Styler, *, capped_note: str = "common.table.capped",
          **kwargs: Any) -> Any:  # fmt: skip
    """st.dataframe as every page shows a table: no index, the one placeholder for a missing
    value (never "None", "nan" or "NaT"), full width unless told otherwise.

    Only the first TABLE_ROWS_SHOWN rows are sent to the browser (a city's lists run to tens of
    thousands of rows, megabytes per page load); a caption under the table then says how many
    there are and where the rest is (`capped_note`, a label with {shown} and {total}: by
    default the audited download under the table, which gets the whole frame). Row selections
    keep working: the rows shown keep their positions in the whole frame."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    frame = data.data if isinstance(data, Styler) else data
    total = len(frame)
    if total > TABLE_ROWS_SHOWN:
        if isinstance(data, Styler):  # the same cell styles on the rows that are sent
            styled = frame.head(TABLE_ROWS_SHOWN).style
            styled.use(data.export())
            data = styled
        else:
            data = frame.head(TABLE_ROWS_SHOWN)
    event = st.dataframe(data, placeholder=fmt.PLACEHOLDER, **kwargs)
    if total > TABLE_ROWS_SHOWN:
        st.caption(t(capped_note, shown=fmt.count(TABLE_ROWS_SHOWN), total=fmt.count(total)))
    return event


def rate_column(label: str | None = None, **kwargs: Any) -> Any:
    """A 0–1 rate shown as a percentage with one decimal, as the cards show it."""
    return st.column_config.NumberColumn(label, format="percent", step=fmt.TABLE_RATE_STEP,
                                         **kwargs)  # fmt: skip


def page_style() -> None:
    """The few layout rules Streamlit has no parameter for (one place, drawn once per run):
    KPI figures sized to the card so a value and its unit never truncate at 1280 px, a metric
    label may wrap instead of ending in "…", and the column holding a chart's drill panel
    (ui.drill.beside) sticks below the header while the chart beside it scrolls."""
    st.html(
        "<style>"
        '[data-testid="stMetricValue"]{font-size:clamp(1.5rem,2.1vw,2.1rem);}'
        '[data-testid="stMetricLabel"] p{white-space:normal;overflow:visible;}'
        f'[data-testid="stColumn"]:has([class*="st-key-{PANEL_KEY}"])'
        "{position:sticky;top:4rem;align-self:flex-start;}"
        "</style>"
    )


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
    write = writer()  # the callables run on another thread, outside this session's state

    def build(fmt: str) -> Callable[[], bytes]:
        def data() -> bytes:
            with write() as cur:
                return audited_export(cur, user, fmt, name, frame, f, omitted)

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
    write = writer()  # the callable runs on another thread, outside this session's state
    stem, dot, ext = file_name.rpartition(".")
    stamped = f"{export_file_stem(stem or ext, user, dt.datetime.now())}{dot}{ext if stem else ''}"

    record = audit_hook(audit.Action.EXPORT, file_name)  # who and filters taken now

    def build() -> bytes:
        with write() as cur:
            record(cur, rows)
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


# ----- uploading files ---------------------------------------------------------------------------


def upload_limit() -> int:
    """The largest file 数据管理 takes, in bytes: the importer's ($CADRE_MAX_UPLOAD_MB), or
    Streamlit's server.maxUploadSize (.streamlit/config.toml) where that is smaller: the server
    refuses a bigger upload before any page code runs."""
    server = int(st.get_option("server.maxUploadSize")) * 1024 * 1024
    return min(config.max_upload_bytes(), server)


def uploader_style(key: str, limit: int) -> str:
    """The stylesheet that puts the uploader's own words in Chinese (see `upload_files`).

    Streamlit's text is hidden and ours is shown in its place as generated content: the
    button's "Upload", the dropzone's "… per file", the "Drag and drop files here" of a drag,
    and, on a file it refuses, the "File must be … or smaller." of its tooltip and of the
    chip's alert. Those two are bare text, so they are shrunk to nothing rather than hidden: a
    screen reader reads them, then ours. The tooltip is drawn outside the widget (at the
    page's end), so its rule holds on the whole page that draws the uploader. (The accessible
    names Streamlit gives the hidden file input and the chip's buttons stay English.)
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        raise ValueError(f"not a widget key: {key!r}")
    size = fmt.file_size(limit)
    refused = t("data.upload.refused", limit=size, advice=t("data.upload.split", limit=size))
    zone = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
    rules = [
        # Hidden, with what replaces it drawn on its parent.
        f'{zone} button [data-testid="stMarkdownContainer"] p,'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span,'
        f"{zone}>input+div>span{{display:none}}",
        f'{zone} button [data-testid="stMarkdownContainer"]::after'
        f"{{content:{_css_text(t('data.upload.button'))};font-size:.875rem;line-height:1.6}}",
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"]>div::after'
        f"{{content:{_css_text(t('data.upload.drop'))};font-size:.875rem;opacity:.7}}",
        f"{zone}>input+div:has(>span)::after{{content:{_css_text(t('data.upload.dragging'))};"
        "font-size:.875rem}",
        # A bare text node (the chip's alert for screen readers, the tooltip inside its box):
        # shrunk to nothing, ours after it.
        f'.st-key-{key} [data-testid="stFileChip"] [role="alert"],'
        '[data-testid="stTooltipErrorContent"]{font-size:0}',
        f'.st-key-{key} [data-testid="stFileChip"] [role="alert"]::after,'
        '[data-testid="stTooltipErrorContent"]::after'
        f"{{content:{_css_text(refused)};font-size:.875rem}}",
    ]
    return "<style>" + "".join(rules) + "</style>"


def _css_text(text: str) -> str:
    """`text` as a CSS string (for `content:`)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def upload_files(label: Markdown, key: str, limit: int) -> list[Any]:
    """Several files through st.file_uploader, its own words in Chinese, up to `limit` bytes
    each, of any type: the importer refuses what it cannot read, in Chinese (Streamlit's own
    type refusal is English).

    Streamlit 1.67 has no option for the widget's words ("Upload", "20MB per file", "File must
    be 20.0MB or smaller."), so `uploader_style` replaces them. Its size limit is ours (in
    whole megabytes): a bigger file is refused in the browser, before it is sent, and the
    refusal says our limit and what to do.
    """
    st.html(uploader_style(key, limit))
    return st.file_uploader(
        label, type=None, accept_multiple_files=True, key=key,
        max_upload_size=max(1, math.ceil(limit / 1024 / 1024)),
    )  # fmt: skip
