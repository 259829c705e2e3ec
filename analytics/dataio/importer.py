"""Importing the office's spreadsheets: read → match → validate → check → diff → commit.

`prepare_import` reads every uploaded file, matches each sheet (or CSV) to a record type by its
headers, validates every row through the pydantic models (analytics.store.models, the one
home of row rules), checks references (工号 in cadres, 活动编号 in activities, in the database
or the same upload) and duplicate keys, and compares with the database. It writes nothing.
`analytics.dataio.commit.commit_import` writes a clean plan in one transaction (upsert by key;
a report's authors and an award's winners are replaced with it), bumps the data version and
records the import in `import_log`.

The pieces: analytics.dataio.plan (the plan and its problems), .checks (matching, validation),
.keys (duplicate keys, references), .plausible (rules across fields), .commit (diff, commit,
history), .cli (the command line, which `python -m analytics.dataio.importer FILE [FILE ...]
[--db PATH]` still runs).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import sys
from collections.abc import Sequence

import duckdb

from analytics.common import config
from analytics.common.labels import t
from analytics.dataio.checks import (
    Row,
    SheetRows,
    data_rows,
    filled,
    match_sheet,
    validate_rows,
)
from analytics.dataio.commit import diff_table
from analytics.dataio.keys import check_duplicates, check_references, repeated_rows
from analytics.dataio.plan import ImportPlan, Problem, SheetMatch, TableDiff, UploadedFile
from analytics.dataio.plausible import plausibility
from analytics.dataio.readers import ReadError, read_file, stem
from analytics.store.db import data_version
from analytics.store.models import Record


def prepare_import(
    con: duckdb.DuckDBPyConnection,
    uploads: Sequence[tuple[str, bytes]],
    *,
    max_bytes: int | None = None,
    today: dt.date | None = None,
) -> ImportPlan:
    """Read, validate, check and compare every uploaded file; writes nothing. `today` is the
    upload's date (for the plausible range of dates), the clock's by default.

    Python's cycle collector is paused meanwhile: an upload makes a few objects per cell, none
    of them in a cycle, and the collector's passes over them were some 40 % of the time of a
    20 MB file (scripts/bench_import.py). It runs again, as it was, when the plan is made."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _prepare(con, uploads, max_bytes, today)
    finally:
        if was_enabled:
            gc.enable()


def _prepare(
    con: duckdb.DuckDBPyConnection, uploads: Sequence[tuple[str, bytes]],
    max_bytes: int | None, today: dt.date | None,
) -> ImportPlan:  # fmt: skip
    limit = config.max_upload_bytes() if max_bytes is None else max_bytes
    files: list[UploadedFile] = []
    sheets: list[SheetMatch] = []
    problems: list[Problem] = []
    rows_by_model: dict[type[Record], list[Row]] = {}
    rejected_sheets: dict[str, int] = {}
    refused_sheets: dict[str, list[tuple[str, str, int | None]]] = {}

    if not uploads:
        problems.append(Problem("", "", None, None, None, t("data.err.no_files")))
    for name, data in uploads:
        files.append(UploadedFile(name, len(data), hashlib.sha256(data).hexdigest()))
        try:
            raw_sheets = read_file(name, data, limit)
        except ReadError as exc:
            problems.append(Problem(name, stem(name), None, None, None, str(exc)))
            continue
        file_rows = 0
        for raw in raw_sheets:
            if raw.hidden:
                sheets.append(SheetMatch(name, raw.sheet, None, 0, hidden=True))
                continue
            if not any(any(filled(c) for c in cells) for _, cells in raw.rows):
                continue  # an empty sheet (Excel's spare Sheet2) is no data, not an error
            matched, sheet_problems = match_sheet(raw)
            read = data_rows(raw, matched) if matched else SheetRows([], [])
            raw.rows = []  # the cells now live in the rows read; a big sheet is not held twice
            problems += sheet_problems + read.problems
            file_rows += len(read.rows)
            table = matched.model.table if matched else None
            sheets.append(
                SheetMatch(name, raw.sheet, table, len(read.rows),
                           matched.ignored if matched else (), read.footer_rows, read.blank_rows)
            )  # fmt: skip
            if matched is None:
                continue
            if sheet_problems:
                rejected_sheets[table] = rejected_sheets.get(table, 0) + len(read.rows)
                refused_sheets.setdefault(table, []).append((name, raw.sheet, matched.header_row))
                continue
            rows_by_model.setdefault(matched.model, []).extend(read.rows)
        if file_rows == 0 and not any(p.file == name for p in problems):
            problems.append(Problem(name, stem(name), None, None, None, t("data.err.no_rows")))

    problems += repeated_rows(rows_by_model)  # before validating: no records made for them
    for model, rows in rows_by_model.items():
        problems += validate_rows(model, rows)
    problems += check_duplicates(rows_by_model)
    problems += check_references(con, rows_by_model, refused_sheets)
    problems += plausibility(con, rows_by_model, today or dt.date.today())

    bad_rows = {(p.file, p.sheet, p.row) for p in problems if p.row is not None}
    tables: dict[str, TableDiff] = {}
    for model, rows in rows_by_model.items():
        good = [r for r in rows if (r.file, r.sheet, r.number) not in bad_rows]
        records = [r.record for r in good if r.record is not None]
        diff = diff_table(con, model, records, writes_needed=not problems)
        diff.rejected = len(rows) - len(good)
        tables[model.table] = diff
    for table, n in rejected_sheets.items():
        tables.setdefault(table, TableDiff(table)).rejected += n
    problems.sort(key=lambda p: (p.file, p.sheet, p.row or 0))
    return ImportPlan(files, sheets, problems, tables, data_version(con))


if __name__ == "__main__":
    from analytics.dataio.cli import main

    sys.exit(main())
