"""Editing one record in place: found by its table and key, changed field by field, checked
by exactly what checks an uploaded row (the record's pydantic model, the 工号/活动编号
references, the plausibility rules across fields) and written in one transaction with an audit
row holding every field's old and new value.

The key is not edited here (a 工号 keyed wrongly is merged into the right one,
analytics.curation.remove.merge_cadres; any other wrong key is deleted and entered again). In
the form every field is shown, so an emptied field clears the stored value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from analytics.access import audit
from analytics.access.auth import User
from analytics.common.labels import t
from analytics.curation.change import RecordError, may_write, one_change
from analytics.dataio.checks import Row, validate_rows
from analytics.dataio.keys import check_references
from analytics.dataio.plan import CHILD_TABLES, LIST_FIELDS, MODELS_BY_TABLE, Problem
from analytics.dataio.plausible import plausibility
from analytics.store import journal
from analytics.store.db import table_columns
from analytics.store.models import Record, enumerations

EDITABLE_TABLES: tuple[str, ...] = tuple(MODELS_BY_TABLE)  # every record type of the template


class StaleRecordError(RecordError):
    """The record changed between opening the form and saving it."""


@dataclass(frozen=True)
class FieldSpec:
    """One field of the edit form: its name, header, allowed options (enumerations), and
    whether it is part of the key (shown, not edited) or required."""

    name: str
    header: str
    options: tuple[str, ...] | None
    is_key: bool
    required: bool
    is_list: bool


@dataclass(frozen=True)
class RecordView:
    """A stored record as the form shows it, and the stored rows it was read from (so a save
    can tell whether someone changed the record meanwhile)."""

    table: str
    key: tuple[Any, ...]
    values: dict[str, Any]  # field name → stored value (a list field as its 工号)
    row: tuple[Any, ...]
    children: frozenset[tuple[Any, ...]] = frozenset()

    @property
    def model(self) -> type[Record]:
        return MODELS_BY_TABLE[self.table]

    @property
    def label(self) -> str:
        """青年干部 Q101 / 出勤 HD01 / Q101 …"""
        return f"{self.model.sheet} {' / '.join(_text(k) for k in self.key)}"


@dataclass
class EditResult:
    """What a save did: the problems that stopped it, or every field old → new."""

    problems: list[Problem] = field(default_factory=list)
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (header, old, new)
    change_id: int | None = None

    @property
    def changed(self) -> list[tuple[str, str, str]]:
        return [f for f in self.fields if f[1] != f[2]]


def form_fields(table: str) -> list[FieldSpec]:
    """The fields of a record type in template order."""
    model = _model(table)
    options = enumerations(model)
    lists = {name for (tbl, name) in LIST_FIELDS if tbl == table}
    return [
        FieldSpec(name, info.alias or name, options.get(name), name in model.key,
                  info.is_required(), name in lists)
        for name, info in model.model_fields.items()
    ]  # fmt: skip


def parse_key(table: str, entered: dict[str, Any]) -> tuple[Any, ...]:
    """The typed key from what was typed (dates in any spelling the import takes); raises
    RecordError naming the field that is not a valid key value."""
    model = _model(table)
    key = []
    for name in model.key:
        info = model.model_fields[name]
        value = entered.get(name)
        header = info.alias or name
        if value is None or str(value).strip() == "":
            raise RecordError(t("data.edit.key_missing", column=header))
        try:
            key.append(TypeAdapter(info.rebuild_annotation()).validate_python(value))
        except ValidationError:
            raise RecordError(t("data.edit.key_invalid", column=header, value=value)) from None
    return tuple(key)


def find_record(
    con: duckdb.DuckDBPyConnection, table: str, key: tuple[Any, ...]
) -> RecordView | None:
    """The stored record with this key, or None."""
    model = _model(table)
    columns = table_columns(con, table)
    where = " AND ".join(f"{k} = ?" for k in model.key)
    row = con.execute(f"SELECT * FROM {table} WHERE {where}", list(key)).fetchone()
    if row is None:
        return None
    stored = dict(zip(columns, row, strict=True))
    values = {name: stored.get(name) for name in model.model_fields}
    children: frozenset[tuple[Any, ...]] = frozenset()
    child = CHILD_TABLES.get(table)
    if child:
        child_table, parent_key = child
        rows = con.execute(f"SELECT * FROM {child_table} WHERE {parent_key} = ?", [key[0]])
        children = frozenset(rows.fetchall())
        child_columns = table_columns(con, child_table)
        for (tbl, name), (_child, role) in LIST_FIELDS.items():
            if tbl == table:
                picked = [dict(zip(child_columns, r, strict=True)) for r in children]
                values[name] = sorted(r["cadre_id"] for r in picked
                                      if role is None or r.get("role") == role)  # fmt: skip
    return RecordView(table, key, values, row, children)


def form_values(view: RecordView) -> dict[str, str]:
    """Each field's stored value as the form shows it: text, dates as 2025-03-05, a list of
    工号 joined with 、, nothing as an empty string."""
    return {name: _text(value) for name, value in view.values.items()}


def edit_record(
    con: duckdb.DuckDBPyConnection, view: RecordView, entered: dict[str, Any], user: User,
    *, today: dt.date | None = None,
) -> EditResult:  # fmt: skip
    """Check and save the form of `view` (field name → what the form holds); nothing is written
    when there are problems or nothing changed. Raises NotPermittedError for a role that may not
    edit, DemoDatabaseError on the demo, StaleRecordError if the record changed meanwhile."""
    may_write(con, user)
    model = view.model
    raw: dict[str, Any] = {}
    for spec in form_fields(view.table):
        value = view.values[spec.name] if spec.is_key else entered.get(spec.name)
        raw[spec.header] = _text(value) if spec.is_key else value
    row = Row.of("", model.sheet, 0, raw)
    problems = validate_rows(model, [row])
    if row.record is not None:
        problems += check_references(con, {model: [row]})
        problems += plausibility(con, {model: [row]}, today or dt.date.today())
    if problems:
        return EditResult(problems=problems)
    record = row.record
    assert record is not None
    new_rows = record.db_rows()
    columns = table_columns(con, view.table)
    main = new_rows[view.table][0]
    fields = [
        (spec.header, _text(view.values[spec.name]), _text(_new_value(record, spec.name)))
        for spec in form_fields(view.table)
    ]
    result = EditResult(fields=fields)
    child = CHILD_TABLES.get(view.table)
    same_children = True
    if child:
        child_columns = table_columns(con, child[0])
        wanted = {tuple(r[c] for c in child_columns) for r in new_rows[child[0]]}
        same_children = wanted == set(view.children)
    if tuple(main[c] for c in columns) == view.row and same_children:
        return result  # nothing changed: nothing written
    with one_change(con, user, "edit", audit.Action.RECORD_EDIT,
                    t("data.change.edit", record=view.label), view.label) as change:  # fmt: skip
        _still_as_shown(con, view)
        key_where = " AND ".join(f"t.{k} = $k{i}" for i, k in enumerate(model.key))
        key_params = {f"k{i}": v for i, v in enumerate(view.key)}
        journal.note_where(con, change.change_id, view.table, key_where, key_params)
        con.execute(f"DELETE FROM {view.table} AS t WHERE {key_where}", key_params)
        frame = pd.DataFrame([main], columns=columns)  # noqa: F841 (read by DuckDB below)
        con.execute(f"INSERT INTO {view.table} SELECT * FROM frame")
        if child:
            child_table, parent_key = child
            parent = {"parent": view.key[0]}
            journal.note_where(con, change.change_id, child_table, f"t.{parent_key} = $parent",
                               parent)  # fmt: skip
            children = pd.DataFrame(new_rows[child_table], columns=child_columns)
            journal.note_frame(con, change.change_id, child_table, children)
            con.execute(f"DELETE FROM {child_table} WHERE {parent_key} = $parent", parent)
            con.execute(f"INSERT INTO {child_table} SELECT * FROM children")
        change.detail = {
            "table": view.table, "record": view.label,
            "fields": {header: {"old": old, "new": new} for header, old, new in fields},
        }  # fmt: skip
    result.change_id = change.change_id
    return result


def problem_text(problem: Problem) -> str:
    """A refusal as the form shows it: 〔列〕问题（值：“…”）, without file or row."""
    column = t("data.place.column", column=problem.column) if problem.column else ""
    value = t("data.place.value", value=problem.value) if problem.value else ""
    return f"{column}{problem.message}{value}"


def _still_as_shown(con: duckdb.DuckDBPyConnection, view: RecordView) -> None:
    now = find_record(con, view.table, view.key)
    if now is None or now.row != view.row or now.children != view.children:
        raise StaleRecordError(t("data.edit.stale", record=view.label))


def _new_value(record: Record, name: str) -> Any:
    value = getattr(record, name)
    if isinstance(value, list):
        lead = getattr(record, "lead_author", None)
        return sorted(dict.fromkeys(v for v in value if v != lead))
    return value


def _model(table: str) -> type[Record]:
    if table not in MODELS_BY_TABLE:  # identifiers only from the record types
        raise ValueError(table)
    return MODELS_BY_TABLE[table]


def _text(value: Any) -> str:
    """A stored value as text in the form and the audit row."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
