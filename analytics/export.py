"""Tables as files a user downloads: CSV that Chinese Excel opens, and XLSX."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd

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
