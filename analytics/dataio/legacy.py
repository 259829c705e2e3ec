"""Legacy Excel (.xls, BIFF) workbooks, read with xlrd into the same rows as an .xlsx.

xlrd (the long-kept reader of this format) gives each cell's type and the value Excel saved,
formulas included; `formatting_info` adds merged areas and number formats. A cell then reads as
in analytics.dataio.readers: dates as dates, #N/A as `CellError`, `0000`-formatted numbers as the
padded text, merged areas filled from their top-left cell, hidden sheets listed and not read.
"""

from __future__ import annotations

import io
import struct
from typing import Any

import xlrd
from xlrd.biffh import XLRDError
from xlrd.compdoc import CompDocError

from analytics.common.labels import t
from analytics.dataio.readers import (
    INSTRUCTIONS_SHEET,
    CellError,
    RawSheet,
    ReadError,
    fill_merged,
    zero_padding,
)


def read_xls(name: str, data: bytes) -> list[RawSheet]:
    """Every worksheet of a .xls file (the instructions sheet left out, hidden ones listed)."""
    try:
        # xlrd reports oddities on a log file (stdout by default): not the user's concern here.
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except (XLRDError, CompDocError, ValueError, IndexError, KeyError, AssertionError, EOFError,
            struct.error):  # fmt: skip
        # Also what a password-protected .xlsx looks like: an OLE container xlrd cannot open.
        raise ReadError(t("data.err.legacy_xls")) from None
    sheets: list[RawSheet] = []
    for sheet in book.sheets():
        if sheet.name == INSTRUCTIONS_SHEET:
            continue
        raw = RawSheet(file=name, sheet=sheet.name, hidden=sheet.visibility != 0)
        if not raw.hidden:
            for r in range(sheet.nrows):
                cells = [_value(book, cell) for cell in sheet.row(r)]
                if any(c is not None for c in cells):
                    raw.rows.append((r + 1, cells))
            merges = [(rlo + 1, clo, rhi, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
            fill_merged(raw, merges)
        sheets.append(raw)
    return sheets


def _value(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> Any:
    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_TEXT:
        return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_ERROR:
        return CellError(xlrd.error_text_from_code.get(cell.value, "#N/A"))
    if kind == xlrd.XL_CELL_DATE:
        moment = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        return moment.date() if cell.value == int(cell.value) else moment
    number = float(cell.value)
    if number.is_integer():
        fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
        pad = zero_padding(fmt.format_str) if fmt is not None else None
        if pad is not None and 0 <= number < 10**15:
            prefix, digits, suffix = pad
            return f"{prefix}{int(number):0{digits}d}{suffix}"
        return int(number)
    return number
