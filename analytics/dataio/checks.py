"""Checking an upload before anything is written: which table a sheet is, which of its rows
are data, and each row through the pydantic models (analytics.store.models, the one home of row
rules). Keys and references across rows: analytics.dataio.keys.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from analytics.common.labels import t
from analytics.common.text import shown_controls
from analytics.dataio.plan import Problem
from analytics.dataio.readers import ERROR_VALUES, CellError, FormulaWithoutValue, RawSheet
from analytics.store.models import (
    CLEAR_MARKER,
    RECORD_TYPES,
    Record,
    enumerations,
)
from analytics.store.vocabulary import folded, header_lookup

_VALUE_SHOWN = 60  # characters of an offending value quoted in a message


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


def required_headers(model: type[Record]) -> list[str]:
    """The headers a sheet of this record type must have: its required fields (the key among
    them, unless the key is derived from the other facts)."""
    return [f.alias or name for name, f in model.model_fields.items() if f.is_required()]


def _name_hint(sheet: RawSheet) -> type[Record] | None:
    hint = normalize_header(sheet.sheet).lower()
    for model in RECORD_TYPES:
        if hint in (normalize_header(model.sheet), model.table):
            return model
    return None


HEADER_SEARCH_ROWS = 30  # the header row is looked for in this many rows (title rows above it)


@functools.cache
def _header_lookups() -> dict[type[Record], dict[str, str]]:
    """Per record type: each template header and synonym (normalized) → the template header."""
    return {m: header_lookup(headers_of(m)) for m in RECORD_TYPES}


@dataclass
class _Matched:
    model: type[Record]
    header_row: int
    columns: list[tuple[int, str]]  # (cell index, template header)
    headed: frozenset[int] = frozenset()  # every cell index with a header, known or not
    ignored: tuple[str, ...] = ()  # headers of columns not in the template, left unread


def match_sheet(sheet: RawSheet) -> tuple[_Matched | None, list[Problem]]:
    """The record type whose headers a sheet carries, or the problems that say why not.

    The header row is the one among the first 30 with the most known headers (template headers
    or their synonyms, analytics.store.vocabulary); rows above it (titles) are not data. A
    column whose header is not the record type's is ignored and listed in the preview.
    """

    def problem(message: str, row: int | None = None) -> list[Problem]:
        return [Problem(sheet.file, sheet.sheet, row, None, None, message)]

    lookups = _header_lookups()
    known = set().union(*lookups.values())
    header_number, header_cells, best = None, [], 1
    for number, cells in sheet.rows:
        if number > HEADER_SEARCH_ROWS:
            break
        names = [normalize_header(c) for c in cells]
        hits = len({n for n in names if n in known})
        if hits > best:
            header_number, header_cells, best = number, names, hits
    if header_number is None:
        first = next(((n, c) for n, c in sheet.rows if any(filled(x) for x in c)), None)
        if first is None:
            return None, problem(t("data.err.no_rows"))
        hint = _name_hint(sheet)
        if hint is None:
            listed = "、".join(str(c) for c in first[1] if filled(c))[:80]
            message = t("data.err.unknown_headers", headers=listed)
            if sheet.encoding == "GB18030":
                message += t("data.err.encoding_hint")
            return None, problem(message, first[0])
        header_number, header_cells = first[0], [normalize_header(c) for c in first[1]]

    present = {n for n in header_cells if n}
    hint = _name_hint(sheet)

    def score(model: type[Record]) -> tuple[float, bool]:
        wanted = {lookups[model][n] for n in present if n in lookups[model]}
        return len(wanted) / (len(headers_of(model)) + len(present) - len(wanted)), model is hint

    model = max(RECORD_TYPES, key=score)
    if score(model)[0] < 0.5 and hint is not None:
        model = hint
    problems: list[Problem] = []
    wanted = lookups[model]
    seen: set[str] = set()
    columns: list[tuple[int, str]] = []
    ignored: list[str] = []
    for index, name in enumerate(header_cells):
        if not name:
            continue
        if name not in wanted:
            ignored.append(str(sheet_header(sheet, header_number, index)))
        elif wanted[name] in seen:
            problems += problem(t("data.err.duplicate_column", column=wanted[name]), header_number)
        else:
            seen.add(wanted[name])
            columns.append((index, wanted[name]))
    # Only the key and the facts a figure cannot do without must be there (required fields);
    # an optional column the office does not keep reads as blank in every row.
    missing = [h for h in required_headers(model) if h not in seen]
    if missing:
        problems += problem(
            t("data.err.missing_columns", table=model.sheet, columns="、".join(missing)),
            header_number,
        )
    headed = frozenset(i for i, name in enumerate(header_cells) if name)
    return _Matched(model, header_number, columns, headed, tuple(ignored)), problems


def sheet_header(sheet: RawSheet, number: int, index: int) -> Any:
    """The header cell as the sheet spells it (for the preview's list of ignored columns)."""
    cells = next(c for n, c in sheet.rows if n == number)
    return str(cells[index]).strip()


def filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# ----- validating rows -------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One data row: its cells under the sheet's template headers, then its record if valid.

    The cells are a tuple beside one tuple of headers per sheet, not a dict per row: a 20 MB
    upload is some 700,000 rows. They are let go once the row is validated (or refused as a
    repeat); `raw` is the cells by header, built when asked for.
    """

    file: str
    sheet: str
    number: int
    values: tuple[Any, ...]  # the cells, in the order of `headers`
    headers: tuple[str, ...]  # the sheet's template headers, one tuple shared by its rows
    record: Record | None = None
    flagged: frozenset[str] = frozenset()  # headers whose cell is already refused (#N/A …)
    repeated: bool = False  # refused as a repeat of an earlier row's key; never validated

    @classmethod
    def of(cls, file: str, sheet: str, number: int, cells: dict[str, Any]) -> Row:
        """A row from its cells by template header (a form's fields, say)."""
        return cls(file, sheet, number, tuple(cells.values()), tuple(cells))

    @property
    def raw(self) -> dict[str, Any]:
        """The cells by template header (empty once they are let go)."""
        return dict(zip(self.headers, self.values, strict=False))


_ADAPTERS: dict[type[Record], TypeAdapter[list[Any]]] = {}


def _adapter(model: type[Record]) -> TypeAdapter[list[Any]]:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    return _ADAPTERS[model]


VALIDATE_CHUNK = 20_000  # rows per call of pydantic's list validator: bounds its working memory


def validate_rows(model: type[Record], rows: list[Row]) -> list[Problem]:
    """Validate the rows (pydantic's list validator, a chunk at a time); set `record` on the
    good ones, and let go of their raw cells (a row that failed keeps them for its messages).

    Rows refused already as repeats (`repeated_rows`) are not validated again."""
    problems: list[Problem] = []
    keep_cells = bool(model.key_facts)  # whether a key was made from the facts is read later
    shared: dict[frozenset[str], set[str]] = {}
    rows = [r for r in rows if not r.repeated]
    for start in range(0, len(rows), VALIDATE_CHUNK):
        chunk = rows[start : start + VALIDATE_CHUNK]
        problems += _validate_chunk(model, chunk)
        for row in chunk:
            if row.record is not None:
                _share_fields_set(row.record, shared)
                if not keep_cells:
                    row.values = ()
    return problems


def _share_fields_set(record: Record, shared: dict[frozenset[str], set[str]]) -> None:
    """Give the record the one set object of every record that set the same fields.

    pydantic keeps, per record, the set of fields its row gave (which the diff reads: a blank
    cell keeps the stored value): some 700 bytes each, three quarters of an attendance record,
    though an upload's rows set only a few different combinations. The records are frozen, so
    nothing adds to the shared set (pydantic's model_copy copies it before changing it)."""
    fields = record.__pydantic_fields_set__
    one = shared.setdefault(frozenset(fields), fields)
    if one is not fields:
        object.__setattr__(record, "__pydantic_fields_set__", one)


def _validate_chunk(model: type[Record], rows: list[Row]) -> list[Problem]:
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
                if row.flagged and len(error["loc"]) > 1 and error["loc"][1] in row.flagged:
                    continue  # the cell is refused already, in its own words
                problems.append(_problem_for(model, row, error))
            pending = [r for i, r in enumerate(pending) if i not in bad]
            continue
        for row, record in zip(pending, records, strict=True):
            if not row.flagged:  # a row with a refused cell is never written
                row.record = record
        break
    return problems


def _problem_for(model: type[Record], row: Row, error: dict[str, Any]) -> Problem:
    loc = error["loc"][1:]
    column = str(loc[0]) if loc else None
    raw = row.raw.get(column) if column else None
    if error["type"] == "two_cells":  # a rule across cells: name them all, and their values
        column = str((error.get("ctx") or {}).get("columns", "")) or None
        cells = [c for c in (column or "").split("、") if c]
        quoted = [f"{c} {shown(row.raw.get(c)) or '（空）'}" for c in cells]
        return Problem(row.file, row.sheet, row.number, column, "，".join(quoted) or None,
                       _message(model, error))  # fmt: skip
    if isinstance(raw, str) and folded(raw) == folded(CLEAR_MARKER):
        return Problem(row.file, row.sheet, row.number, column, raw, t("data.err.cannot_clear"))
    return Problem(row.file, row.sheet, row.number, column, shown(raw), _message(model, error))


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
    if kind == "two_cells":
        return str(error["msg"])
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        return t(f"data.err.{kind}", bound=shown(bound))
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


def shown(value: Any) -> str | None:
    """A cell's value as a problem quotes it: dates in ISO form, control characters visible,
    at most 60 characters."""
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
    text = shown_controls(text)  # a refused control character is quoted visibly
    return text if len(text) <= _VALUE_SHOWN else text[: _VALUE_SHOWN - 1] + "…"


# A row that is a sheet's footer, not a record: totals, and who drew up or checked the table.
_FOOTER = re.compile(
    r"^(?:(?:合计|小计|总计|共计|累计)[:：]?$|(?:制表|审核|审批|填表|填报|经办|负责|复核)人?[:：]"
    r"|(?:制表|审核|填表|填报|经办|复核)人|(?:制表|填表|填报)日期|(?:备注|注|说明)[:：])"
)


@dataclass
class SheetRows:
    """The data rows below a sheet's header, and what was skipped on the way (for the preview)."""

    rows: list[Row]
    problems: list[Problem]
    footer_rows: int = 0  # 合计 / 制表人 … rows
    blank_rows: int = 0  # rows with nothing in them


_FOOTER_START = frozenset("合小总共累制审填经负复备注说")
_NONE: frozenset[str] = frozenset()
_PLAIN = frozenset((int, float, bool, type(None), dt.date, dt.datetime))  # never an error value


def is_footer(first: Any) -> bool:
    """Whether a row is a 合计/小计 line or a 制表人/审核人 signature, by its first filled cell."""
    if type(first) is not str or first.lstrip()[:1] not in _FOOTER_START:
        return False
    return bool(_FOOTER.match(folded(first)))


def data_rows(raw: RawSheet, matched: _Matched) -> SheetRows:
    """The rows below the header, each its cells under the template headers (`Row`); blank
    and footer rows skipped. The sheet's rows are handed over (`raw.rows` is empty after).

    Content in a column without a header would be silently lost, so it is a problem (once per
    column, at its first row). A cell holding an Excel error (#N/A …, typed or computed) or a
    formula saved without its value is refused where it is, in its own words.
    """
    out = SheetRows([], [])
    width = max((i for i, _ in matched.columns), default=-1) + 1
    headers = tuple(h for _, h in matched.columns)
    indexes = [i for i, _ in matched.columns]
    stray: dict[int, list[int]] = {}
    last = max([matched.header_row, *raw.blank_rows[-1:], *(n for n, _ in raw.rows[-1:])])
    unheaded: dict[int, list[int]] = {}  # by row length: the cell indexes without a header
    pending, raw.rows = raw.rows[::-1], []  # consumed: a big sheet's cells are not held twice
    while pending:
        number, cells = pending.pop()
        if number <= matched.header_row:
            continue
        first = next((c for c in cells if filled(c)), None)
        if first is None:
            continue
        if is_footer(first):
            out.footer_rows += 1
            continue
        size = len(cells)
        if size not in unheaded:
            unheaded[size] = [i for i in range(size) if i not in matched.headed]
        for index in unheaded[size]:
            if filled(cells[index]):
                stray.setdefault(index, []).append(number)
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        values = [cells[i] for i in indexes]
        flagged: list[str] = []
        for j, value in enumerate(values):
            kind = type(value)
            if kind is str and value[:1] != "#" or kind in _PLAIN:
                continue
            message = cell_refusal(value)
            if message is not None:
                out.problems.append(
                    Problem(raw.file, raw.sheet, number, headers[j], shown(str(value)), message)
                )
                flagged.append(headers[j])
                values[j] = None
        out.rows.append(
            Row(raw.file, raw.sheet, number, tuple(values), headers, None,
                frozenset(flagged) if flagged else _NONE)
        )  # fmt: skip
    # Every row below the header that is neither data nor footer is blank (gaps included).
    out.blank_rows = last - matched.header_row - len(out.rows) - out.footer_rows
    out.problems += [
        Problem(
            raw.file, raw.sheet, numbers[0], t("data.col.nth", n=index + 1), None,
            t("data.err.headless_column", n=len(numbers)),
        )
        for index, numbers in stray.items()
    ]  # fmt: skip
    return out


def cell_refusal(value: Any) -> str | None:
    """Why a cell cannot be read as anything at all, or None: an error value, a bare formula."""
    kind = type(value)
    if kind is str:
        if "#" not in value[:2] or value.strip() not in ERROR_VALUES:
            return None
    elif kind is int or kind is float or value is None:
        return None
    if isinstance(value, CellError | str):
        return t("data.err.error_value", code=str(value).strip())
    if isinstance(value, FormulaWithoutValue):
        return t("data.err.formula_without_value")
    return None


def key_of(record: Record) -> tuple[Any, ...]:
    return tuple(getattr(record, k) for k in record.key)
