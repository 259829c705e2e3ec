"""Tables as files a user downloads: CSV that Chinese Excel opens, and XLSX."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping

import duckdb
import pandas as pd

from analytics.access import audit
from analytics.access.auth import User
from analytics.common.filters import Filters
from analytics.common.labels import t

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """CSV has no types: cells a spreadsheet would run as formulas (=, +, -, @) get a ' first."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v
            )
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so that Excel on a Chinese Windows opens it without garbling."""
    return _plain(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame] | pd.DataFrame) -> bytes:
    """One sheet per table (names cut to Excel's 31 characters), columns sized to fit."""
    if isinstance(sheets, pd.DataFrame):
        sheets = {"数据": sheets}
    buffer = io.BytesIO()
    # Text stays text: a cell typed as "=1+1" or a URL is not turned into a formula or a link.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        used: set[str] = set()
        for name, frame in sheets.items():
            sheet = _SHEET_BAD.sub("_", name)[:31] or "Sheet"
            while sheet in used:
                sheet = sheet[:28] + f"_{len(used)}"
            used.add(sheet)
            frame = frame.copy()
            for col in frame.columns:  # Excel has no time zones
                if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
                    frame[col] = frame[col].dt.tz_localize(None)
            frame.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            for i, col in enumerate(frame.columns):
                width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
                ws.set_column(i, i, min(60, 2 + width * 1.6))
            ws.freeze_panes(1, 0)
    return buffer.getvalue()


# ----- access control (issue 10): audited exports -----
EXPORT_FORMATS = ("csv", "xlsx")


def export_info(
    user_label: str, role: str | None, when: dt.datetime, what: str, filters_label: str,
    rows: int, omitted: list[str],
) -> pd.DataFrame:  # fmt: skip
    """The 导出信息 sheet: who exported what, when, under which filters, and what was left out."""
    return pd.DataFrame(
        {
            t("access.export.field"): [
                t("access.export.who"), t("access.export.role"), t("access.export.when"),
                t("access.export.what"), t("access.export.filters"), t("access.export.rows"),
                t("access.export.omitted"),
            ],
            t("access.export.value"): [
                user_label, role or "", f"{when:%Y-%m-%d %H:%M:%S}", what, filters_label,
                str(rows), "、".join(omitted) or t("access.export.none_omitted"),
            ],
        }
    )  # fmt: skip


def audited_export(
    con: duckdb.DuckDBPyConnection,
    user: User,
    fmt: str,
    name: str,
    frame: pd.DataFrame,
    filters: Filters | None = None,
    omitted: list[str] | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """Write the export's audit row, then build the file; if the row cannot be written, raise
    (the download fails). XLSX files carry a 导出信息 sheet."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    when = now or dt.datetime.now()
    omitted = list(omitted or [])
    audit.record(
        con, user.name, audit.Action.EXPORT, role=user.role_name,
        target=f"{name}.{fmt}", filters=filters, row_count=len(frame), at=when,
        detail=f"omitted: {'、'.join(omitted)}" if omitted else None,
    )  # fmt: skip
    if fmt == "csv":
        return to_csv_bytes(frame)
    label = filters_label(filters)
    info = export_info(
        user.label, user.role_name, when,
        name, label, len(frame), omitted,
    )  # fmt: skip
    sheet = t("access.export.sheet")
    return to_xlsx_bytes({name if name != sheet else f"{name}_数据": frame, sheet: info})


def filters_label(f: Filters | None) -> str:
    """The filters as a reader says them: 2025年第3季度 · 第一学习小组 · 秘书一处."""
    if f is None:
        return ""
    parts = [f.label()]
    if f.group:
        parts.append(f.group)
    if f.division:
        parts.append(f.division)
    return " · ".join(parts)


def export_file_stem(name: str, user: User, when: dt.datetime) -> str:
    """The download's file name (no extension): what, who and when, safe on every system."""
    return "_".join(_FILE_BAD.sub("-", part) for part in
                    (name, user.name, f"{when:%Y%m%d-%H%M}"))  # fmt: skip


_FILE_BAD = re.compile(r'[\\/:*?"<>|\s]+')
# ----- end access control -----
