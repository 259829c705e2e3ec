"""Importing the office's spreadsheets: read → match → validate → check → diff → commit.

`prepare_import` reads every uploaded file, matches each sheet (or CSV) to a record type by its
headers, validates every row through the pydantic models (analytics.store.models, the one
home of row rules), checks references (工号 in cadres, 活动编号 in activities, in the database
or the same upload) and duplicate keys, and compares with the database. It writes nothing.
`commit_import` writes a clean plan in one transaction (upsert by key; a report's authors and an
award's winners are replaced with it), bumps the data version and records the import in
`import_log`.

Command line: `python -m analytics.dataio.importer FILE [FILE ...] [--db PATH]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import hashlib
import json
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from analytics.access.audit import AuditHook
from analytics.common import config
from analytics.common.labels import t
from analytics.common.text import shown_controls
from analytics.dataio.readers import RawSheet, ReadError, read_file, stem
from analytics.store.db import TABLE_ORDER, bump_data_version, connect, data_version, table_columns
from analytics.store.models import RECORD_TYPES, Record, enumerations, parse_id_list
from analytics.store.provenance import demo_refusal, ensure_not_demo

# Columns that name a cadre (工号) or an activity (活动编号) defined in another table.
CADRE_REFERENCES: dict[str, tuple[str, ...]] = {
    "attendance": ("cadre_id",),
    "reports": ("lead_author", "co_authors"),
    "awards": ("winners",),
    "assessments": ("cadre_id",),
    "assignments": ("cadre_id",),
    "training": ("cadre_id",),
    "mentorships": ("cadre_id",),
}
ACTIVITY_REFERENCES: dict[str, tuple[str, ...]] = {"attendance": ("activity_id",)}
# Child tables written with their parent: replaced whole whenever the parent row is written.
CHILD_TABLES: dict[str, tuple[str, str]] = {
    "reports": ("report_authors", "report_id"),
    "awards": ("award_winners", "award_id"),
}
# List-valued fields (工号 lists) and the child table (and role) their items live in.
LIST_FIELDS: dict[tuple[str, str], tuple[str, str | None]] = {
    ("reports", "co_authors"): ("report_authors", "参与"),
    ("awards", "winners"): ("award_winners", None),
}
LIST_REFERENCES = frozenset(field for _, field in LIST_FIELDS)
MODELS_BY_TABLE: dict[str, type[Record]] = {m.table: m for m in RECORD_TYPES}
_VALUE_SHOWN = 60  # characters of an offending value quoted in a message


# ----- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason not to write: where it is (as the user sees the sheet) and what is wrong."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def text(self) -> str:
        """One line for the command line: 文件 › 工作表 第N行 〔列〕：问题（值）."""
        place = f"{self.file} › {self.sheet}" if self.sheet != stem(self.file) else self.file
        if self.row is not None:
            place += t("data.place.row", row=self.row)
        if self.column:
            place += t("data.place.column", column=self.column)
        value = t("data.place.value", value=self.value) if self.value else ""
        return f"{place}：{self.message}{value}"


@dataclass(frozen=True)
class UploadedFile:
    """An uploaded file as received: its name, size and SHA-256."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class SheetMatch:
    """Which table a sheet (or CSV) was read as, and how many data rows it had."""

    file: str
    sheet: str
    table: str | None
    rows: int


@dataclass
class TableDiff:
    """One table's verdict: counts, and the rows a commit would write."""

    table: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    writes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """Everything the preview shows and the commit needs; building it writes nothing."""

    files: list[UploadedFile]
    sheets: list[SheetMatch]
    problems: list[Problem]
    tables: dict[str, TableDiff]
    version: int  # the data version the diff was made against

    @property
    def ok(self) -> bool:
        """No problem at all, and something was read."""
        return not self.problems and bool(self.tables)

    @property
    def has_changes(self) -> bool:
        """Whether committing would change any row."""
        return any(d.new or d.changed for d in self.tables.values())

    def counts(self) -> dict[str, dict[str, int]]:
        """Per table: new, changed, unchanged, rejected (in table order)."""
        return {
            table: {
                "new": d.new, "changed": d.changed, "unchanged": d.unchanged,
                "rejected": d.rejected,
            }
            for table, d in sorted(self.tables.items(), key=lambda kv: TABLE_ORDER.index(kv[0]))
        }  # fmt: skip

    def summary_frame(self) -> pd.DataFrame:
        """The preview table: one row per record type with its four counts."""
        rows = [
            {
                t("data.col.table"): MODELS_BY_TABLE[table].sheet,
                t("data.col.new"): c["new"],
                t("data.col.changed"): c["changed"],
                t("data.col.unchanged"): c["unchanged"],
                t("data.col.rejected"): c["rejected"],
            }
            for table, c in self.counts().items()
        ]
        columns = [t(f"data.col.{k}") for k in ("table", "new", "changed", "unchanged", "rejected")]
        return pd.DataFrame(rows, columns=columns)

    def sheets_frame(self) -> pd.DataFrame:
        """Which sheet was read as which table."""
        rows = [
            {
                t("data.col.file"): s.file,
                t("data.col.sheet"): s.sheet,
                t("data.col.matched"): MODELS_BY_TABLE[s.table].sheet
                if s.table
                else t("data.unmatched"),
                t("data.col.rows"): s.rows,
            }
            for s in self.sheets
        ]
        columns = [t(f"data.col.{k}") for k in ("file", "sheet", "matched", "rows")]
        return pd.DataFrame(rows, columns=columns)

    def problems_frame(self) -> pd.DataFrame:
        """Every problem, in file, sheet and row order (the downloadable error list)."""
        return problems_frame(self.problems)


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """Problems as a table with Chinese column names; values stay text (shown escaped)."""
    columns = [t(f"data.col.{k}") for k in ("file", "sheet", "row", "column", "value", "problem")]
    rows = [(p.file, p.sheet, p.row, p.column or "", p.value or "", p.message) for p in problems]
    frame = pd.DataFrame(rows, columns=columns)
    frame[columns[2]] = frame[columns[2]].astype("Int64")
    return frame


# ----- matching a sheet to its table ----------------------------------------------------------


def normalize_header(value: Any) -> str:
    """A header as compared: NFKC, no spaces, no required-mark (* or （必填）)."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(text.split())
    for mark in ("(必填)", "(选填)", "*"):
        text = text.replace(mark, "")
    return text


def headers_of(model: type[Record]) -> list[str]:
    """The template headers of a record type, in field order."""
    return [f.alias or name for name, f in model.model_fields.items()]


def _name_hint(sheet: RawSheet) -> type[Record] | None:
    hint = normalize_header(sheet.sheet).lower()
    for model in RECORD_TYPES:
        if hint in (normalize_header(model.sheet), model.table):
            return model
    return None


@dataclass
class _Matched:
    model: type[Record]
    header_row: int
    columns: list[tuple[int, str]]  # (cell index, template header)
    headed: frozenset[int] = frozenset()  # every cell index with a header, known or not


def match_sheet(sheet: RawSheet) -> tuple[_Matched | None, list[Problem]]:
    """The record type whose headers a sheet carries, or the problems that say why not."""

    def problem(message: str, row: int | None = None) -> list[Problem]:
        return [Problem(sheet.file, sheet.sheet, row, None, None, message)]

    known = {normalize_header(h): h for m in RECORD_TYPES for h in headers_of(m)}
    header_number, header_cells = None, []
    for number, cells in sheet.rows[:10]:
        names = [normalize_header(c) for c in cells]
        if sum(1 for n in names if n in known) >= 2:
            header_number, header_cells = number, names
            break
    if header_number is None:
        first = next(((n, c) for n, c in sheet.rows if any(_filled(x) for x in c)), None)
        if first is None:
            return None, problem(t("data.err.no_rows"))
        hint = _name_hint(sheet)
        if hint is None:
            shown = "、".join(str(c) for c in first[1] if _filled(c))[:80]
            message = t("data.err.unknown_headers", headers=shown)
            if sheet.encoding == "GB18030":
                message += t("data.err.encoding_hint")
            return None, problem(message, first[0])
        header_number, header_cells = first[0], [normalize_header(c) for c in first[1]]

    present = {n for n in header_cells if n}
    hint = _name_hint(sheet)

    def score(model: type[Record]) -> tuple[float, bool]:
        wanted = {normalize_header(h) for h in headers_of(model)}
        return len(wanted & present) / len(wanted | present), model is hint

    model = max(RECORD_TYPES, key=score)
    if score(model)[0] < 0.5 and hint is not None:
        model = hint
    problems: list[Problem] = []
    wanted = {normalize_header(h): h for h in headers_of(model)}
    seen: set[str] = set()
    columns: list[tuple[int, str]] = []
    for index, name in enumerate(header_cells):
        if not name:
            continue
        if name not in wanted:
            problems += problem(t("data.err.unknown_column", column=name), header_number)
        elif name in seen:
            problems += problem(t("data.err.duplicate_column", column=name), header_number)
        else:
            seen.add(name)
            columns.append((index, wanted[name]))
    missing = [h for n, h in wanted.items() if n not in seen]
    if missing:
        problems += problem(
            t("data.err.missing_columns", table=model.sheet, columns="、".join(missing)),
            header_number,
        )
    headed = frozenset(i for i, name in enumerate(header_cells) if name)
    return _Matched(model, header_number, columns, headed), problems


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# ----- validating rows -------------------------------------------------------------------------


@dataclass
class _Row:
    file: str
    sheet: str
    number: int
    raw: dict[str, Any]
    record: Record | None = None


_ADAPTERS: dict[type[Record], TypeAdapter[list[Any]]] = {}


def _adapter(model: type[Record]) -> TypeAdapter[list[Any]]:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    return _ADAPTERS[model]


def validate_rows(model: type[Record], rows: list[_Row]) -> list[Problem]:
    """Validate all rows at once (pydantic's list validator); set `record` on the good ones."""
    problems: list[Problem] = []
    pending = rows
    for _attempt in range(2):  # the second pass re-validates only the rows without errors
        try:
            records = _adapter(model).validate_python([r.raw for r in pending])
        except ValidationError as exc:
            bad: set[int] = set()
            for error in exc.errors(include_url=False):
                index = error["loc"][0]
                row = pending[index]  # type: ignore[index]
                bad.add(index)  # type: ignore[arg-type]
                problems.append(_problem_for(model, row, error))
            pending = [r for i, r in enumerate(pending) if i not in bad]
            continue
        for row, record in zip(pending, records, strict=True):
            row.record = record
        break
    return problems


def _problem_for(model: type[Record], row: _Row, error: dict[str, Any]) -> Problem:
    loc = error["loc"][1:]
    column = str(loc[0]) if loc else None
    raw = row.raw.get(column) if column else None
    return Problem(row.file, row.sheet, row.number, column, _shown(raw), _message(model, error))


def _message(model: type[Record], error: dict[str, Any]) -> str:
    """pydantic's error in the office's words."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = error["loc"][1:]
    if kind == "literal_error" and loc:
        field_name = _field_by_alias(model, str(loc[0]))
        options = enumerations(model).get(field_name, ())
        return t("data.err.enum", options="、".join(options))
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        return t(f"data.err.{kind}", bound=_shown(bound))
    if kind == "string_pattern_mismatch" and loc and str(loc[0]) == "期间":
        return t("data.err.period")
    if kind == "too_short" and loc:
        return t("data.err.empty_list")
    known = {
        "missing": "data.err.required",
        "float_parsing": "data.err.number", "float_type": "data.err.number",
        "finite_number": "data.err.number",
        "int_parsing": "data.err.integer", "int_type": "data.err.integer",
        "int_from_float": "data.err.integer",
        "string_type": "data.err.text", "string_pattern_mismatch": "data.err.pattern",
        "date_type": "data.err.date", "date_parsing": "data.err.date",
        "date_from_datetime_parsing": "data.err.date",
        "date_from_datetime_inexact": "data.err.date",
        "list_type": "data.err.text",
        "extra_forbidden": "data.err.extra",
    }  # fmt: skip
    if kind in known:
        return t(known[kind])
    return t("data.err.invalid", detail=error["msg"])


def _field_by_alias(model: type[Record], alias: str) -> str:
    for name, info in model.model_fields.items():
        if info.alias == alias or name == alias:
            return name
    return alias


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = shown_controls(text)  # issue 20: a refused control character is quoted visibly
    return text if len(text) <= _VALUE_SHOWN else text[: _VALUE_SHOWN - 1] + "…"


# ----- the plan --------------------------------------------------------------------------------


def prepare_import(
    con: duckdb.DuckDBPyConnection,
    uploads: Sequence[tuple[str, bytes]],
    *,
    max_bytes: int | None = None,
) -> ImportPlan:
    """Read, validate, check and compare every uploaded file; writes nothing."""
    limit = config.max_upload_bytes() if max_bytes is None else max_bytes
    files: list[UploadedFile] = []
    sheets: list[SheetMatch] = []
    problems: list[Problem] = []
    rows_by_model: dict[type[Record], list[_Row]] = {}
    rejected_sheets: dict[str, int] = {}

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
            if not any(any(_filled(c) for c in cells) for _, cells in raw.rows):
                continue  # an empty sheet (Excel's spare Sheet2) is no data, not an error
            matched, sheet_problems = match_sheet(raw)
            data_rows, stray = _data_rows(raw, matched) if matched else ([], [])
            problems += sheet_problems + stray
            file_rows += len(data_rows)
            table = matched.model.table if matched else None
            sheets.append(SheetMatch(name, raw.sheet, table, len(data_rows)))
            if matched is None:
                continue
            if sheet_problems:
                rejected_sheets[table] = rejected_sheets.get(table, 0) + len(data_rows)
                continue
            rows_by_model.setdefault(matched.model, []).extend(data_rows)
        if file_rows == 0 and not any(p.file == name for p in problems):
            problems.append(Problem(name, stem(name), None, None, None, t("data.err.no_rows")))

    for model, rows in rows_by_model.items():
        problems += validate_rows(model, rows)
    problems += _check_duplicates(rows_by_model)
    problems += _check_references(con, rows_by_model)

    bad_rows = {(p.file, p.sheet, p.row) for p in problems if p.row is not None}
    tables: dict[str, TableDiff] = {}
    for model, rows in rows_by_model.items():
        good = [r for r in rows if (r.file, r.sheet, r.number) not in bad_rows]
        diff = _diff(con, model, [r.record for r in good if r.record is not None])
        diff.rejected = len(rows) - len(good)
        tables[model.table] = diff
    for table, n in rejected_sheets.items():
        tables.setdefault(table, TableDiff(table)).rejected += n
    problems.sort(key=lambda p: (p.file, p.sheet, p.row or 0))
    return ImportPlan(files, sheets, problems, tables, data_version(con))


def _data_rows(raw: RawSheet, matched: _Matched) -> tuple[list[_Row], list[Problem]]:
    """The rows below the header, as {template header: cell}; blank rows are skipped.

    Content in a column without a header would be silently lost, so it is a problem (once per
    column, at its first row).
    """
    rows: list[_Row] = []
    width = max((i for i, _ in matched.columns), default=-1) + 1
    stray: dict[int, list[int]] = {}
    for number, cells in raw.rows:
        if number <= matched.header_row or not any(_filled(c) for c in cells):
            continue
        for index in range(len(cells)):
            if index not in matched.headed and _filled(cells[index]):
                stray.setdefault(index, []).append(number)
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        rows.append(_Row(raw.file, raw.sheet, number, {h: cells[i] for i, h in matched.columns}))
    problems = [
        Problem(
            raw.file, raw.sheet, numbers[0], t("data.col.nth", n=index + 1), None,
            t("data.err.headless_column", n=len(numbers)),
        )
        for index, numbers in stray.items()
    ]  # fmt: skip
    return rows, problems


def _key_of(record: Record) -> tuple[Any, ...]:
    return tuple(getattr(record, k) for k in record.key)


def _key_headers(model: type[Record]) -> str:
    return "+".join(model.model_fields[k].alias or k for k in model.key)


def _check_duplicates(rows_by_model: dict[type[Record], list[_Row]]) -> list[Problem]:
    """A key may appear once per upload: which of two rows would win is not for us to guess."""
    problems: list[Problem] = []
    for model, rows in rows_by_model.items():
        first: dict[tuple[Any, ...], _Row] = {}
        for row in rows:
            if row.record is None:
                continue
            key = _key_of(row.record)
            if key not in first:
                first[key] = row
                continue
            earlier = first[key]
            where = (
                t("data.place.row", row=earlier.number)
                if (earlier.file, earlier.sheet) == (row.file, row.sheet)
                else f"{earlier.file} › {earlier.sheet}{t('data.place.row', row=earlier.number)}"
            )
            problems.append(
                Problem(
                    row.file, row.sheet, row.number, _key_headers(model),
                    " / ".join(_shown(k) or "" for k in key),
                    t("data.err.duplicate_key", where=where),
                )
            )  # fmt: skip
    return problems


def _check_references(
    con: duckdb.DuckDBPyConnection, rows_by_model: dict[type[Record], list[_Row]]
) -> list[Problem]:
    """Every 工号 must name a cadre and every 活动编号 an activity, known or in this upload."""
    known = {"cadres": _ids(con, "cadres", "cadre_id"),
             "activities": _ids(con, "activities", "activity_id")}  # fmt: skip
    for model, rows in rows_by_model.items():
        if model.table in known:
            field_name = model.key[0]
            alias = model.model_fields[field_name].alias or field_name
            for row in rows:
                # A rejected parent row still counts as named, so its children are not flagged
                # too: one mistake, one message.
                value = getattr(row.record, field_name) if row.record else row.raw.get(alias)
                if _filled(value):
                    known[model.table].add(_plain_id(value))
    problems: list[Problem] = []
    for model, rows in rows_by_model.items():
        checks = [(f, "cadres") for f in CADRE_REFERENCES.get(model.table, ())]
        checks += [(f, "activities") for f in ACTIVITY_REFERENCES.get(model.table, ())]
        for field_name, target in checks:
            alias = model.model_fields[field_name].alias or field_name
            message_key = f"data.err.unknown_{'cadre' if target == 'cadres' else 'activity'}"
            for row in rows:
                value = (
                    getattr(row.record, field_name)
                    if row.record is not None
                    else _raw_reference(row.raw.get(alias), is_list=field_name in LIST_REFERENCES)
                )
                for item in value if isinstance(value, list) else [value]:
                    if item is not None and item not in known[target]:
                        problems.append(
                            Problem(row.file, row.sheet, row.number, alias, item, t(message_key))
                        )
    return problems


def _raw_reference(value: Any, *, is_list: bool) -> list[str]:
    """The ids a row that failed validation names, so its unknown 工号 is reported as well."""
    if not _filled(value):
        return []
    try:
        return parse_id_list(value) if is_list else [_plain_id(value)]
    except (TypeError, ValueError):
        return []


def _plain_id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _ids(con: duckdb.DuckDBPyConnection, table: str, column: str) -> set[str]:
    if table not in ("cadres", "activities") or column not in ("cadre_id", "activity_id"):
        raise ValueError(table)  # identifiers only from this allow-list
    return {r[0] for r in con.execute(f"SELECT {column} FROM {table}").fetchall()}


def _diff(con: duckdb.DuckDBPyConnection, model: type[Record], records: list[Record]) -> TableDiff:
    """New, changed and unchanged rows against the database; the writes a commit would make."""
    table = model.table
    diff = TableDiff(table)
    if table not in TABLE_ORDER:
        raise ValueError(table)
    columns = table_columns(con, table)
    key_positions = [columns.index(k) for k in model.key]
    # Only the stored rows that could match an uploaded one: those sharing the key's first
    # column (a VARCHAR in every table), not a whole table of a city's attendance.
    first = model.key[0]
    uploaded = sorted({str(getattr(r, first)) for r in records})
    existing = {
        tuple(row[i] for i in key_positions): row
        for row in con.execute(
            f"SELECT * FROM {table} WHERE {first} IN (SELECT unnest($keys))", {"keys": uploaded}
        ).fetchall()
    }
    child = CHILD_TABLES.get(table)
    existing_children: dict[Any, set[tuple[Any, ...]]] = {}
    child_columns: list[str] = []
    if child:
        child_table, parent_key = child  # the parent key is the main table's whole key
        child_columns = table_columns(con, child_table)
        for row in con.execute(
            f"SELECT * FROM {child_table} WHERE {parent_key} IN (SELECT unnest($keys))",
            {"keys": uploaded},
        ).fetchall():
            values = dict(zip(child_columns, row, strict=True))
            existing_children.setdefault(values[parent_key], set()).add(row)
    writes: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        rows = record.db_rows()
        main = rows[table][0]
        before = existing.get(_key_of(record))
        same = before is not None and before == tuple(main[c] for c in columns)
        if child and same:
            child_table, parent_key = child
            wanted = {tuple(r[c] for c in child_columns) for r in rows[child_table]}
            same = wanted == existing_children.get(main[parent_key], set())
        if same:
            diff.unchanged += 1
            continue
        if before is None:
            diff.new += 1
        else:
            diff.changed += 1
        for name, table_rows in rows.items():
            writes.setdefault(name, []).extend(table_rows)
    diff.writes = writes
    return diff


# ----- commit ----------------------------------------------------------------------------------


class StalePlanError(RuntimeError):
    """The database changed after the preview; the user previews again."""


def commit_import(
    con: duckdb.DuckDBPyConnection, plan: ImportPlan, *, who: str, audit: AuditHook | None = None
) -> int | None:
    """Write a clean plan in one transaction and log it; returns the import's id (None when
    there was nothing to change, in which case nothing is written, not even a log row).
    `audit` writes the audit row inside the same transaction: if it fails, nothing is imported."""
    ensure_not_demo(con)  # issue 20: real data never goes into the demo (DemoDatabaseError)
    if not plan.ok:
        raise ValueError(t("data.err.not_clean"))
    if not plan.has_changes:
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        if data_version(con) != plan.version:
            raise StalePlanError(t("data.err.stale"))
        for table in TABLE_ORDER:
            diff = plan.tables.get(table)
            if diff is None or not diff.writes:
                continue
            child = CHILD_TABLES.get(table)
            if child:
                child_table, parent_key = child
                parents = pd.DataFrame(  # noqa: F841 (read by DuckDB below)
                    {parent_key: [r[parent_key] for r in diff.writes[table]]}
                )
                con.execute(
                    f"DELETE FROM {child_table} WHERE {parent_key} IN "
                    f"(SELECT {parent_key} FROM parents)"
                )
            for name in (table, *([child[0]] if child else [])):
                _upsert(con, name, diff.writes.get(name, []))
        bump_data_version(con)
        import_id = con.execute(
            "INSERT INTO import_log (imported_at, imported_by, file_name, sha256, counts) "
            "VALUES (?, ?, ?, ?, ?) RETURNING import_id",
            [
                dt.datetime.now().replace(microsecond=0),
                who,
                "、".join(f.name for f in plan.files),
                " ".join(f.sha256 for f in plan.files),
                json.dumps(
                    {
                        k: {n: v[n] for n in ("new", "changed", "unchanged")}
                        for k, v in plan.counts().items()
                    },
                    ensure_ascii=False,
                ),  # fmt: skip
            ],
        ).fetchone()[0]
        if audit is not None:
            counts = plan.counts().values()
            audit(con, sum(c["new"] + c["changed"] for c in counts))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return int(import_id)


def _upsert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if table not in TABLE_ORDER:  # identifiers only from the allow-list
        raise ValueError(table)
    columns = table_columns(con, table)
    frame = pd.DataFrame(rows, columns=columns)  # noqa: F841 (read by DuckDB below)
    con.execute(f"INSERT OR REPLACE INTO {table} SELECT * FROM frame")


# ----- history ---------------------------------------------------------------------------------


def import_history(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """Past imports, newest first: when, who, files, SHA-256 and the counts summed over tables."""
    rows = con.execute(
        "SELECT import_id, imported_at, imported_by, file_name, sha256, counts "
        "FROM import_log ORDER BY import_id DESC LIMIT ?",
        [limit],
    ).fetchall()
    records = []
    for import_id, at, who, names, digests, counts in rows:
        parsed = json.loads(counts)
        total = {k: sum(c.get(k, 0) for c in parsed.values()) for k in ("new", "changed")}
        tables = "、".join(
            f"{MODELS_BY_TABLE[name].sheet if name in MODELS_BY_TABLE else name}"
            f" +{c.get('new', 0)}/~{c.get('changed', 0)}"
            for name, c in parsed.items()
            if c.get("new") or c.get("changed")
        )
        records.append(
            {
                t("data.col.import_id"): import_id,
                t("data.col.imported_at"): at,
                t("data.col.imported_by"): who,
                t("data.col.file"): names,
                t("data.col.new"): total["new"],
                t("data.col.changed"): total["changed"],
                t("data.col.tables"): tables,
                t("data.col.sha256"): digests,
            }
        )
    columns = [
        t(f"data.col.{k}")
        for k in ("import_id", "imported_at", "imported_by", "file", "new", "changed", "tables",
                  "sha256")
    ]  # fmt: skip
    return pd.DataFrame(records, columns=columns)


def previous_import_of(con: duckdb.DuckDBPyConnection, digests: Iterable[str]) -> str | None:
    """When a file with one of these SHA-256 digests was last committed (formatted), if ever."""
    for digest in digests:
        row = con.execute(
            "SELECT max(imported_at) FROM import_log WHERE contains(sha256, ?)", [digest]
        ).fetchone()
        if row and row[0] is not None:
            return row[0].strftime("%Y-%m-%d %H:%M")
    return None


# ----- command line ----------------------------------------------------------------------------


def _counts_lines(plan: ImportPlan) -> list[str]:
    return [
        t("data.cli.counts", table=MODELS_BY_TABLE[table].sheet, **c)
        for table, c in plan.counts().items()
    ]


def main(argv: list[str] | None = None) -> int:
    """Import files into the database; 0 when committed (or nothing to change), 1 on errors."""
    parser = argparse.ArgumentParser(
        prog="python -m analytics.dataio.importer", description=t("data.cli.description")
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help=t("data.cli.files"))
    parser.add_argument("--db", type=Path, default=None, help=t("data.cli.db"))
    args = parser.parse_args(argv)
    uploads: list[tuple[str, bytes]] = []
    for path in args.files:
        try:
            uploads.append((path.name, path.read_bytes()))
        except OSError as exc:
            print(t("data.cli.unreadable", path=path, detail=exc.strerror), file=sys.stderr)
            return 1
    db_path = args.db if args.db is not None else config.db_path()
    try:
        con = connect(db_path)
    except duckdb.Error as exc:
        print(t("data.cli.db_error", path=db_path, detail=exc), file=sys.stderr)
        return 1
    try:
        refusal = demo_refusal(con)  # issue 20: before reading anything, say where data goes
        if refusal is not None:
            print(refusal, file=sys.stderr)
            return 1
        plan = prepare_import(con, uploads)
        if plan.problems:
            for problem in plan.problems:
                print(problem.text(), file=sys.stderr)
            print(t("data.cli.failed", n=len(plan.problems)), file=sys.stderr)
            return 1
        for line in _counts_lines(plan):
            print(line)
        if not plan.has_changes:
            print(t("data.no_changes"))
            return 0
        import_id = commit_import(con, plan, who=t("data.who.cli", user=getpass.getuser()))
        print(t("data.cli.committed", id=import_id, db=db_path))
        return 0
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(main())
