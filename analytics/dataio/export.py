"""Tables as files a user downloads: CSV that Chinese Excel opens, and XLSX."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Mapping

import duckdb
import numpy as np
import pandas as pd

from analytics.access import audit
from analytics.access.auth import User
from analytics.common import fmt
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


_PCT_TEXT = re.compile(r"^([-+]?[\d,]*\.?\d+)%$")
_HOURS_TEXT = re.compile(r"^([-+]?[\d,]*\.?\d+) 学时$")
_RELATIVE_LINK = re.compile(r"^[a-z_]+\?[a-z_]+=")  # profile?cadre=Q1023: dead outside the app
_RATE_HEADER = re.compile(r"(率|占比|比例)$")
_STATUS_CODES = ("green", "amber", "red", "none")


_UNIT_FORMATS = {"share": fmt.XLSX_RATE, "hours": fmt.XLSX_HOURS, "count": fmt.XLSX_COUNT,
                 "points": fmt.XLSX_HOURS}  # fmt: skip


def _cell(
    value: object, header: str, integral: bool = False, unit: str | None = None
) -> tuple[object, str | None]:
    """A cell as Excel should hold it, and its number format: numbers as numbers (a rate as
    0.0%, hours and counts with thousands separators), dates as dates, a percentage or
    学时 written as text turned back into a number, a status code in words."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None, None
    if isinstance(value, float) and math.isnan(value):
        return None, None
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value).tz_localize(None) if pd.Timestamp(value).tz else value
        stamp = pd.Timestamp(stamp).to_pydatetime()
        midnight = stamp.time() == dt.time(0)
        return stamp, fmt.XLSX_DATE if midnight else fmt.XLSX_DATETIME
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), fmt.XLSX_DATE
    if isinstance(value, int | float | np.integer | np.floating) and unit in _UNIT_FORMATS:
        return float(value), _UNIT_FORMATS[unit]
    if isinstance(value, int | np.integer):
        return int(value), fmt.XLSX_COUNT
    if isinstance(value, float | np.floating):
        if _RATE_HEADER.search(header) and -2 <= value <= 2:
            return float(value), fmt.XLSX_RATE
        return float(value), fmt.XLSX_COUNT if integral else fmt.XLSX_HOURS
    text = str(value)
    if match := _PCT_TEXT.match(text):
        return float(match.group(1).replace(",", "")) / 100, fmt.XLSX_RATE
    if match := _HOURS_TEXT.match(text):
        return float(match.group(1).replace(",", "")), fmt.XLSX_HOURS
    if text in _STATUS_CODES:
        return t(f"common.status.{text}"), None
    return text, None


def xlsx_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without what a spreadsheet cannot use: link columns relative to the app."""
    dead = [
        c for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
        if (values := frame[c].dropna().astype(str)).size
        and values.map(lambda v: bool(_RELATIVE_LINK.match(v))).all()
    ]  # fmt: skip
    return frame.drop(columns=dead)


def to_xlsx_bytes(sheets: Mapping[str, pd.DataFrame] | pd.DataFrame) -> bytes:
    """One sheet per table (names cut to Excel's 31 characters), typed cells (see _cell),
    bold header row repeated when printed and frozen on screen, columns sized to fit.

    A frame whose rows are figures in different units (a key-figures table) may say so in
    `frame.attrs["row_units"]` (one unit per row: share, hours, count, points)."""
    import xlsxwriter

    if isinstance(sheets, pd.DataFrame):
        sheets = {"数据": sheets}
    buffer = io.BytesIO()
    # Text stays text: a cell typed as "=1+1" or a URL is not turned into a formula or a link.
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    header_format = book.add_format({"bold": True, "bg_color": "#F3F4F6", "border": 1})
    formats: dict[str, object] = {}

    def number_format(code: str | None) -> object | None:
        if code is None:
            return None
        if code not in formats:
            formats[code] = book.add_format({"num_format": code})
        return formats[code]

    used: set[str] = set()
    for name, original in sheets.items():
        sheet = _SHEET_BAD.sub("_", name)[:31] or "Sheet"
        while sheet in used:
            sheet = sheet[:28] + f"_{len(used)}"
        used.add(sheet)
        frame = xlsx_ready(original)
        row_units = list(original.attrs.get("row_units") or [None] * len(frame))
        integral = {
            c: pd.api.types.is_float_dtype(frame[c]) and bool((frame[c].dropna() % 1 == 0).all())
            for c in frame.columns
        }
        ws = book.add_worksheet(sheet)
        widths = [len(str(c)) for c in frame.columns]
        for j, header in enumerate(frame.columns):
            ws.write_string(0, j, str(header), header_format)
        for i, row in enumerate(frame.itertuples(index=False), start=1):
            for j, (header, value) in enumerate(zip(frame.columns, row, strict=True)):
                cell, code = _cell(value, str(header), integral[header], row_units[i - 1])
                if cell is None:
                    ws.write_blank(i, j, None)
                elif isinstance(cell, dt.datetime):
                    ws.write_datetime(i, j, cell, number_format(code))
                elif isinstance(cell, int | float):
                    ws.write_number(i, j, cell, number_format(code))
                else:
                    ws.write_string(i, j, cell)
                if i <= 200:
                    widths[j] = max(widths[j], len(str(value)) if cell is not None else 1)
        for j, width in enumerate(widths):
            ws.set_column(j, j, min(60, 2 + width * 1.6))
        ws.freeze_panes(1, 0)
        ws.repeat_rows(0)
    book.close()
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
    return "" if f is None else f.describe()


def export_file_stem(name: str, user: User, when: dt.datetime) -> str:
    """The download's file name (no extension): what, who and when, safe on every system."""
    return "_".join(_FILE_BAD.sub("-", part) for part in
                    (name, user.name, f"{when:%Y%m%d-%H%M}"))  # fmt: skip


_FILE_BAD = re.compile(r'[\\/:*?"<>|\s]+')
# ----- end access control -----
