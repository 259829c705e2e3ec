"""The import template and the whole-database backup: one XLSX format for both.

One sheet per record type with the Chinese template headers (analytics.store.models aliases), an
instructions sheet, and dropdowns (data validation) on every enumerated column, read from the
models' Literal types. The backup is the template filled with every row of the database, so
importing it into an empty database gives back the same data.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, get_args

import duckdb
import xlsxwriter
from pydantic.fields import FieldInfo

from analytics.common.labels import LABELS, t
from analytics.common.text import printable
from analytics.dataio.checks import headers_of
from analytics.dataio.plan import CHILD_TABLES, LIST_FIELDS
from analytics.dataio.readers import INSTRUCTIONS_SHEET
from analytics.store.db import table_columns
from analytics.store.models import (
    QUOTA_METRICS,
    RECORD_TYPES,
    ROSTER_FORMS,
    Record,
    enumerations,
    parse_date,
    parse_id_list,
    parse_month,
)
from analytics.store.vocabulary import HEADER_SYNONYMS, VALUE_SYNONYMS

MIN_VALIDATED_ROWS = 2000  # dropdowns reach this far below the header even on an empty sheet


def template_xlsx() -> bytes:
    """The empty import template."""
    return _workbook({model: [] for model in RECORD_TYPES}, title=t("data.xlsx.template_title"))


def backup_xlsx(con: duckdb.DuckDBPyConnection) -> bytes:
    """Every record in the database, in the template format (restores by importing it)."""
    rows = {model: model_rows(con, model) for model in RECORD_TYPES}
    return _workbook(rows, title=t("data.xlsx.backup_title", when=_now()))


def import_rules() -> list[str]:
    """How a sheet is filled in and read, numbered: the template's 填写说明 and the 数据管理 page
    both state these (optional columns, the derived 参加范围 and 获奖编号 among them)."""
    forms = "、".join(f"“{form}”" for form in ROSTER_FORMS)
    rules, n = [], 1
    while f"data.xlsx.rule{n}" in LABELS:
        rules.append(t(f"data.xlsx.rule{n}", forms=forms))
        n += 1
    return rules


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M")


def model_rows(con: duckdb.DuckDBPyConnection, model: type[Record]) -> list[list[Any]]:
    """A table's rows as template cells (field order), list fields joined with 、, by key."""
    columns = table_columns(con, model.table)
    key_positions = [columns.index(k) for k in model.key]
    stored = con.execute(f"SELECT * FROM {_allowed(model.table)}").fetchall()
    stored.sort(key=lambda row: tuple(str(row[i]) for i in key_positions))
    lists: dict[str, dict[Any, list[str]]] = {}
    for (table, field_name), (child, role) in LIST_FIELDS.items():
        if table != model.table:
            continue
        parent_key = CHILD_TABLES[table][1]
        sql = f"SELECT {parent_key}, cadre_id FROM {_allowed(child)}"
        params: list[Any] = []
        if role is not None:
            sql += " WHERE role = ?"
            params.append(role)
        by_parent: dict[Any, list[str]] = {}
        for parent, cadre_id in con.execute(sql + " ORDER BY 1, 2", params).fetchall():
            by_parent.setdefault(parent, []).append(cadre_id)
        lists[field_name] = by_parent
    out: list[list[Any]] = []
    parent_position = key_positions[0]
    for row in stored:
        values = dict(zip(columns, row, strict=True))
        cells = []
        for name in model.model_fields:
            if name in lists:
                cells.append("、".join(lists[name].get(row[parent_position], [])))
            else:
                cells.append(values[name])
        out.append(cells)
    return out


def _allowed(table: str) -> str:
    known = {m.table for m in RECORD_TYPES} | {c for c, _ in CHILD_TABLES.values()}
    if table not in known:
        raise ValueError(table)
    return table


def _kind(name: str, field: FieldInfo, options: dict[str, tuple[str, ...]]) -> str:
    """How a column is written and explained: date, month, ids, number, enum or text."""
    validators = {getattr(m, "func", None) for m in field.metadata}
    if parse_month in validators:
        return "month"
    if parse_date in validators:
        return "date"
    if parse_id_list in validators:
        return "ids"
    if name in options:
        return "enum"
    base = [a for a in (get_args(field.annotation) or (field.annotation,)) if a is not type(None)]
    if base and base[0] in (int, float):
        return "number"
    return "text"


def _workbook(rows: dict[type[Record], list[list[Any]]], *, title: str) -> bytes:
    buffer = io.BytesIO()
    # Text stays text: "=1+1" or a URL typed into a cell is never turned into a formula or link.
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
         "strings_to_numbers": False},
    )  # fmt: skip
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "key": book.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "month": book.add_format({"num_format": "yyyy-mm"}),
        "text": book.add_format({"num_format": "@"}),
    }
    _instructions(book, fmt, title)
    for model, data in rows.items():
        _sheet(book, fmt, model, data)
    book.close()
    return buffer.getvalue()


def _instructions(book: xlsxwriter.Workbook, fmt: dict[str, Any], title: str) -> None:
    ws = book.add_worksheet(INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 4, 10)
    ws.set_column(5, 5, 70)
    ws.set_column(6, 6, 30)
    ws.write_string(0, 0, title, fmt["title"])
    row = 2
    for rule in import_rules():
        ws.write_string(row, 0, rule)
        row += 1
    row += 1
    heads = ["sheet", "column", "required", "key", "kind", "options", "synonyms"]
    for col, head in enumerate(heads):
        ws.write_string(row, col, t(f"data.xlsx.head.{head}"), fmt["header"])
    row += 1
    for model in RECORD_TYPES:
        options = enumerations(model)
        for name, field in model.model_fields.items():
            allowed = "、".join(options.get(name, ()))
            pairs = [f"{s}→{o}" for o in options.get(name, ()) for s in VALUE_SYNONYMS.get(o, ())]
            if pairs:
                allowed += "；" + t("data.xlsx.value_synonyms", pairs="、".join(pairs))
            if model.table == "targets" and name == "metric":
                allowed = t("data.xlsx.metric_options", metrics="、".join(QUOTA_METRICS))
            cells = [
                model.sheet,
                field.alias or name,
                t("data.xlsx.yes") if field.is_required() else "",
                t("data.xlsx.yes") if name in model.key else "",
                t(f"data.xlsx.kind.{_kind(name, field, options)}"),
                allowed,
                "、".join(HEADER_SYNONYMS.get(field.alias or name, ())),
            ]
            for col, value in enumerate(cells):
                if value:
                    ws.write_string(row, col, value, fmt["wrap"])
            row += 1
    ws.freeze_panes(1, 0)


def _sheet(
    book: xlsxwriter.Workbook, fmt: dict[str, Any], model: type[Record], data: list[list[Any]]
) -> None:
    ws = book.add_worksheet(model.sheet)
    headers = headers_of(model)
    options = enumerations(model)
    last_row = max(len(data), MIN_VALIDATED_ROWS)
    for col, (name, field) in enumerate(model.model_fields.items()):
        is_key = name in model.key
        ws.write_string(0, col, headers[col], fmt["key" if is_key else "header"])
        kind = _kind(name, field, options)
        width = max(10, min(40, 2 * len(headers[col]) + 4))
        if kind == "ids" or name in ("title", "competition", "work", "course", "destination"):
            width = 30
        column_format = {"date": fmt["date"], "month": fmt["month"]}.get(kind, fmt["text"])
        if kind == "number":
            column_format = None
        ws.set_column(col, col, width, column_format)
        if name in options:
            ws.data_validation(
                1, col, last_row, col,
                {"validate": "list", "source": list(options[name]), "error_type": "stop",
                 "error_title": t("data.xlsx.invalid_title"),
                 "error_message": t("data.xlsx.invalid_message",
                                    options="、".join(options[name]))[:255]},
            )  # fmt: skip
        elif model.table == "targets" and name == "metric":
            ws.data_validation(
                1, col, last_row, col,
                {"validate": "list", "source": list(QUOTA_METRICS), "error_type": "information",
                 "error_message": t("data.xlsx.metric_message")[:255]},
            )  # fmt: skip
    for r, cells in enumerate(data, start=1):
        for c, value in enumerate(cells):
            _write_cell(ws, r, c, value, fmt)
    ws.freeze_panes(1, 0)
    if data:
        ws.autofilter(0, 0, len(data), len(headers) - 1)


def _write_cell(ws: Any, row: int, col: int, value: Any, fmt: dict[str, Any]) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt["date"])
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt["date"])
    elif isinstance(value, int | float):
        ws.write_number(row, col, value)
    else:
        # A control character from older data would come back as _xHHHH_ and be refused on
        # restore; it carries nothing, so the backup leaves it out.
        ws.write_string(row, col, printable(str(value)), fmt["text"])
