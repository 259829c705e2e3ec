"""An import's problems as a clerk can act on them: grouped, capped, and marked in the file.

- `group_problems`: the same problem on many rows is one line ("第 2–774 行：…", with a few of
  the values); at most `MAX_LINES` lines, which is what the page and the command line show.
- `problems_workbook`: the full list, as the uploaded sheets themselves with every offending
  cell highlighted and a 问题 column, so the clerk fixes the file in place; a first sheet
  lists every problem. Built only when downloaded (through the audited download).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import xlsxwriter

from analytics.common.labels import t
from analytics.dataio.checks import match_sheet
from analytics.dataio.plan import Problem, sheet_place
from analytics.dataio.readers import ReadError, read_file, stem

MAX_LINES = 200  # lines of problems on the page and on stderr; the workbook has them all
_VALUES_SHOWN = 3  # example values quoted on a grouped line
_RANGES_SHOWN = 8  # row ranges spelt out on a grouped line before "等"
_NTH_COLUMN = re.compile(r"第 (\d+) 列")


@dataclass(frozen=True)
class ProblemGroup:
    """One problem on one or more rows of one column of one sheet."""

    file: str
    sheet: str
    rows: tuple[int, ...]
    column: str | None
    values: tuple[str, ...]  # distinct values, in row order
    message: str

    def rows_text(self) -> str:
        """ "2–774、780" as the rows are spelt in a line (at most a few ranges, then 等)."""
        ranges = _ranges(self.rows)
        text = "、".join(f"{a}–{b}" if a != b else str(a) for a, b in ranges[:_RANGES_SHOWN])
        if len(ranges) > _RANGES_SHOWN:
            text += t("data.group.more_rows", n=len(self.rows))
        return text

    def values_text(self) -> str:
        shown = "、".join(self.values[:_VALUES_SHOWN])
        if len(self.values) > _VALUES_SHOWN:
            shown = t("data.group.more_values", values=shown, n=len(self.values))
        return shown

    def text(self) -> str:
        """One line: 文件 › 工作表 第 2–774 行〔列〕：问题（值：…）."""
        place = sheet_place(self.file, self.sheet)
        if self.rows:
            place += t("data.place.rows", rows=self.rows_text())
        if self.column:
            place += t("data.place.column", column=self.column)
        value = t("data.place.value", value=self.values_text()) if self.values else ""
        return f"{place}：{self.message}{value}"


def group_problems(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """Problems with the same file, sheet, column and message, as one group each (first-seen
    order, which is file, sheet and row order)."""
    groups: dict[tuple[str, str, str | None, str], tuple[list[int], dict[str, None]]] = {}
    for p in problems:
        key = (p.file, p.sheet, p.column, p.group or p.message)
        rows, values = groups.setdefault(key, ([], {}))
        if p.row is not None:
            rows.append(p.row)
        if p.value:
            values.setdefault(p.value, None)
    return [
        ProblemGroup(file, sheet, tuple(sorted(set(rows))), column, tuple(values), message)
        for (file, sheet, column, message), (rows, values) in groups.items()
    ]


def _lines(problems: Sequence[Problem], groups: list[ProblemGroup]) -> list[str]:
    """A group of one problem in its own exact words (e.g. which earlier row it repeats)."""
    by_key: dict[tuple[str, str, str | None, str], Problem] = {}
    counts: dict[tuple[str, str, str | None, str], int] = {}
    for p in problems:
        key = (p.file, p.sheet, p.column, p.group or p.message)
        counts[key] = counts.get(key, 0) + 1
        by_key.setdefault(key, p)
    lines = []
    for g in groups:
        key = (g.file, g.sheet, g.column, g.message)
        lines.append(by_key[key].text() if counts.get(key) == 1 else g.text())
    return lines


def problem_lines(problems: Sequence[Problem], limit: int = MAX_LINES) -> tuple[list[str], int]:
    """At most `limit` grouped lines, and how many lines were left off."""
    lines = _lines(problems, group_problems(problems))
    return lines[:limit], max(0, len(lines) - limit)


def grouped_frame(problems: Sequence[Problem], limit: int = MAX_LINES) -> pd.DataFrame:
    """The page's table of problems: one row per group (at most `limit`), text only."""
    groups = group_problems(problems)[:limit]
    columns = [t(f"data.col.{k}") for k in ("file", "sheet", "row", "column", "value", "problem")]
    rows = [
        (g.file, g.sheet, g.rows_text(), g.column or "", g.values_text(), g.message) for g in groups
    ]
    return pd.DataFrame(rows, columns=columns)


def _ranges(rows: Sequence[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out


# ----- the workbook the clerk fixes in place ----------------------------------------------------


def problems_workbook(
    uploads: Sequence[tuple[str, bytes]], problems: Sequence[Problem], max_bytes: int
) -> bytes:
    """The full list of problems (first sheet), then each uploaded sheet that has one, its
    cells as read, offending cells highlighted and a 问题 column at the right."""
    buffer = io.BytesIO()
    # Row by row through temporary files (constant_memory; "in_memory" would override it): a
    # 20 MB upload marked in full would otherwise hold every cell, over a gigabyte, until saved.
    book = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "strings_to_formulas": False,
         "strings_to_urls": False, "strings_to_numbers": False},
    )  # fmt: skip
    bad = book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    note = book.add_format({"font_color": "#9C0006", "text_wrap": False})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    used: set[str] = set()

    listing = book.add_worksheet(_sheet_name(t("data.col.problems_sheet"), used))
    columns = [t(f"data.col.{k}") for k in ("file", "sheet", "row", "column", "value", "problem")]
    listing.write_row(0, 0, columns, head)
    for r, p in enumerate(problems, start=1):
        listing.write_row(r, 0, [p.file, p.sheet, p.row or "", p.column or "", p.value or "",
                                 p.message])  # fmt: skip
    listing.set_column(0, 1, 16)
    listing.set_column(5, 5, 80)

    by_sheet: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        by_sheet.setdefault((p.file, p.sheet), []).append(p)
    for name, data in uploads:
        try:
            sheets = read_file(name, data, max_bytes)
        except ReadError:
            continue  # the file-level problem is on the first sheet
        for raw in sheets:
            found = by_sheet.get((name, raw.sheet))
            if not found or raw.hidden:
                continue
            _marked_sheet(book, raw, found, used, bad, note, date)
    book.close()
    return buffer.getvalue()


def _marked_sheet(
    book: xlsxwriter.Workbook, raw: Any, problems: list[Problem], used: set[str],
    bad: Any, note: Any, date: Any,
) -> None:  # fmt: skip
    matched, _ = match_sheet(raw)
    index_of = {header: i for i, header in matched.columns} if matched else {}
    by_row: dict[int, list[Problem]] = {}
    for p in problems:
        by_row.setdefault(p.row or (matched.header_row if matched else 1), []).append(p)
    width = max((len(cells) for _, cells in raw.rows), default=0)
    ws = book.add_worksheet(_sheet_name(f"{stem(raw.file)}-{raw.sheet}", used))
    problem_column = width
    rows = dict(raw.rows)
    for number in sorted(set(rows) | set(by_row)):
        cells = rows.get(number, [])
        marked = set()
        for p in by_row.get(number, []):
            marked |= _column_indexes(p.column, index_of)
        for c, value in enumerate(cells):
            _write(ws, number - 1, c, value, bad if c in marked else None, date)
        for c in marked - set(range(len(cells))):
            ws.write_blank(number - 1, c, None, bad)
        messages = [p.message for p in by_row.get(number, [])]
        if messages:
            ws.write_string(number - 1, problem_column, "；".join(dict.fromkeys(messages)), note)
        elif matched and number == matched.header_row:
            ws.write_string(number - 1, problem_column, t("data.col.problem"))
    ws.set_column(problem_column, problem_column, 60)


def _column_indexes(column: str | None, index_of: dict[str, int]) -> set[int]:
    """The cells a problem names: one header, several (出生日期、入职日期; 活动编号+工号), or
    a column without a header (第 6 列)."""
    if not column:
        return set()
    nth = _NTH_COLUMN.match(column)
    if nth:
        return {int(nth.group(1)) - 1}
    names = re.split(r"[、+]", column)
    return {index_of[n] for n in names if n in index_of}


def _write(ws: Any, row: int, col: int, value: Any, fmt: Any, date: Any) -> None:
    if value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, fmt or date)
    else:
        ws.write_string(row, col, str(value), fmt)


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    sheet = _SHEET_BAD.sub("_", name)[:31] or "Sheet"
    while sheet in used:
        sheet = sheet[:28] + f"_{len(used)}"
    used.add(sheet)
    return sheet
