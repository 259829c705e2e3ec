"""Comparing a checked upload with the database, and writing it: the diff (new / changed /
unchanged per table), the one-transaction commit with its `import_log` row, and the history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd

from analytics.access.audit import AuditHook
from analytics.common.labels import t
from analytics.dataio.checks import key_of
from analytics.dataio.plan import (
    CHILD_TABLES,
    LIST_FIELDS,
    MODELS_BY_TABLE,
    ImportPlan,
    TableDiff,
)
from analytics.store import journal
from analytics.store.db import TABLE_ORDER, bump_data_version, data_version, table_columns
from analytics.store.models import Record
from analytics.store.provenance import ensure_not_demo


def diff_table(
    con: duckdb.DuckDBPyConnection, model: type[Record], records: list[Record],
    *, writes_needed: bool = True,
) -> TableDiff:  # fmt: skip
    """New, changed and unchanged rows against the database; the writes a commit would make
    (not kept when `writes_needed` is false: an upload with problems is never committed)."""
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
        before = existing.get(key_of(record))
        stored: dict[str, Any] = {}
        list_changes: dict[str, tuple[Any, Any]] = {}
        if before is not None:
            stored = dict(zip(columns, before, strict=True))
            _keep_blank_cells(model, record, main, stored)
            if child:
                child_table, parent_key = child
                old_children = existing_children.get(main[parent_key], set())
                rows[child_table] = _keep_blank_list(
                    model, record, rows[child_table], old_children, child_columns
                )
        same = before is not None and before == tuple(main[c] for c in columns)
        if child and before is not None:
            child_table, parent_key = child
            old_children = existing_children.get(main[parent_key], set())
            wanted = {tuple(r[c] for c in child_columns) for r in rows[child_table]}
            if wanted != old_children:
                same = False
                list_changes = _list_changes(model, old_children, wanted, child_columns)
        if same:
            diff.unchanged += 1
            continue
        if before is None:
            diff.new += 1
        else:
            diff.changed += 1
            _record_changes(diff, model, record, stored, main, list_changes)
        if writes_needed:
            for name, table_rows in rows.items():
                writes.setdefault(name, []).extend(table_rows)
    diff.writes = writes
    return diff


MAX_CHANGE_LINES = 5000  # field-by-field lines kept for the preview (the counts are exact)


def _keep_blank_cells(
    model: type[Record], record: Record, main: dict[str, Any], stored: dict[str, Any]
) -> None:
    """A blank (or absent) cell keeps the stored value; only （清空） clears it (`main` is
    updated in place). The fields a row set are pydantic's `model_fields_set`: the model drops
    blank cells before validation and keeps （清空） as an explicit None."""
    given = record.model_fields_set
    for column in main:
        if column in model.model_fields and column not in given and column not in model.key:
            main[column] = stored[column]


def _keep_blank_list(
    model: type[Record], record: Record, rows: list[dict[str, Any]],
    old_children: set[tuple[Any, ...]], child_columns: list[str],
) -> list[dict[str, Any]]:  # fmt: skip
    """A list field (参与人工号) left blank keeps the stored list, as any blank cell does."""
    given = record.model_fields_set
    out = list(rows)
    for (table, field_name), (_child, role) in LIST_FIELDS.items():
        if table != model.table or field_name in given or role is None:
            continue
        listed = {r["cadre_id"] for r in out}
        for old in sorted(old_children):
            values = dict(zip(child_columns, old, strict=True))
            if values.get("role") == role and values["cadre_id"] not in listed:
                out.append(values)
        out = [r for r in out if r.get("role") != role or r["cadre_id"] != _lead(out)]
    return out


def _lead(rows: list[dict[str, Any]]) -> Any:
    return next((r["cadre_id"] for r in rows if r.get("role") == "执笔"), None)


def _list_changes(
    model: type[Record], old: set[tuple[Any, ...]], new: set[tuple[Any, ...]],
    child_columns: list[str],
) -> dict[str, tuple[Any, Any]]:  # fmt: skip
    """The list fields whose members changed: header → (old list, new list), as 、-joined text."""
    out: dict[str, tuple[Any, Any]] = {}
    for (table, field_name), (_child, role) in LIST_FIELDS.items():
        if table != model.table:
            continue

        def members(rows: set[tuple[Any, ...]], role: str | None = role) -> str:
            picked = [dict(zip(child_columns, r, strict=True)) for r in rows]
            return "、".join(sorted(r["cadre_id"] for r in picked
                                   if role is None or r.get("role") == role))  # fmt: skip

        before, after = members(old), members(new)
        if before != after:
            out[model.model_fields[field_name].alias or field_name] = (before, after)
    return out


def _record_changes(
    diff: TableDiff, model: type[Record], record: Record, stored: dict[str, Any],
    main: dict[str, Any], lists: dict[str, tuple[Any, Any]],
) -> None:  # fmt: skip
    """Every field of a changed row, old → new, for the preview (up to MAX_CHANGE_LINES)."""
    key = " / ".join(str(getattr(record, k)) for k in model.key)
    for column, value in main.items():
        if column in stored and stored[column] != value and len(diff.changes) < MAX_CHANGE_LINES:
            alias = model.model_fields[column].alias if column in model.model_fields else column
            diff.changes.append((key, alias or column, stored[column], value))
    for alias, (old, new) in lists.items():
        if len(diff.changes) < MAX_CHANGE_LINES:
            diff.changes.append((key, alias, old, new))


# ----- commit ----------------------------------------------------------------------------------


class StalePlanError(RuntimeError):
    """The database changed after the preview; the user previews again."""


def commit_import(
    con: duckdb.DuckDBPyConnection, plan: ImportPlan, *, who: str, audit: AuditHook | None = None
) -> int | None:
    """Write a clean plan in one transaction and log it; returns the import's id (None when
    there was nothing to change, in which case nothing is written, not even a log row).
    `audit` writes the audit row inside the same transaction: if it fails, nothing is imported."""
    ensure_not_demo(con)  # real data never goes into the demo (DemoDatabaseError)
    if not plan.ok:
        raise ValueError(t("data.err.not_clean"))
    if not plan.has_changes:
        return None
    con.execute("BEGIN TRANSACTION")
    try:
        if data_version(con) != plan.version:
            raise StalePlanError(t("data.err.stale"))
        names = "、".join(f.name for f in plan.files)
        import_id = con.execute(
            "INSERT INTO import_log (imported_at, imported_by, file_name, sha256, counts) "
            "VALUES (?, ?, ?, ?, ?) RETURNING import_id",
            [
                dt.datetime.now().replace(microsecond=0),
                who,
                names,
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
        # Every row the import inserts or changes keeps its before-image (undo_change).
        change_id = journal.begin(con, "import", who, t("data.change.import", files=names),
                                  import_id=int(import_id))  # fmt: skip
        for table in TABLE_ORDER:
            diff = plan.tables.get(table)
            if diff is None or not diff.writes:
                continue
            child = CHILD_TABLES.get(table)
            frame = _frame(con, table, diff.writes[table])
            journal.note_frame(con, change_id, table, frame)
            if child:
                child_table, parent_key = child
                parents = frame[[parent_key]]  # noqa: F841 (read by DuckDB below)
                journal.note_where(con, change_id, child_table,
                                   f"t.{parent_key} IN (SELECT unnest($parents))",
                                   {"parents": list(frame[parent_key])})  # fmt: skip
                children = _frame(con, child_table, diff.writes.get(child_table, []))
                journal.note_frame(con, change_id, child_table, children)
                con.execute(
                    f"DELETE FROM {child_table} WHERE {parent_key} IN "
                    f"(SELECT {parent_key} FROM parents)"
                )
            _upsert(con, table, frame)
            if child:
                _upsert(con, child[0], children)
        journal.finish(con, change_id)
        bump_data_version(con)
        if audit is not None:
            counts = plan.counts().values()
            audit(con, sum(c["new"] + c["changed"] for c in counts))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return int(import_id)


def _frame(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows to write as a frame in the table's column order."""
    if table not in TABLE_ORDER:  # identifiers only from the allow-list
        raise ValueError(table)
    return pd.DataFrame(rows, columns=table_columns(con, table))


def _upsert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    if table not in TABLE_ORDER:  # identifiers only from the allow-list
        raise ValueError(table)
    con.execute(f"INSERT OR REPLACE INTO {table} SELECT * FROM frame")


# ----- history ---------------------------------------------------------------------------------


def import_history(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """Past imports, newest first: when, who, files, SHA-256 and the counts summed over tables."""
    rows = con.execute(
        """
        SELECT l.import_id, l.imported_at, l.imported_by, l.file_name, l.sha256, l.counts,
               (SELECT min(u.change_id) FROM change_log AS c JOIN change_log AS u
                    ON u.kind = 'undo' AND u.undoes = c.change_id
                WHERE c.kind = 'import' AND c.import_id = l.import_id) AS undone_by
        FROM import_log AS l ORDER BY l.import_id DESC LIMIT ?
        """,
        [limit],
    ).fetchall()
    records = []
    for import_id, at, who, names, digests, counts, undone_by in rows:
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
                t("data.col.state"): ""
                if undone_by is None
                else t("data.undo.state_undone", by=undone_by),
                t("data.col.sha256"): digests,
            }
        )
    columns = [
        t(f"data.col.{k}")
        for k in ("import_id", "imported_at", "imported_by", "file", "new", "changed", "tables",
                  "state", "sha256")
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
