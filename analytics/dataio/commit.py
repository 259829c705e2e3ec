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
from analytics.dataio.plan import CHILD_TABLES, MODELS_BY_TABLE, ImportPlan, TableDiff
from analytics.store.db import TABLE_ORDER, bump_data_version, data_version, table_columns
from analytics.store.models import Record
from analytics.store.provenance import ensure_not_demo


def diff_table(
    con: duckdb.DuckDBPyConnection, model: type[Record], records: list[Record]
) -> TableDiff:
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
        before = existing.get(key_of(record))
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
    ensure_not_demo(con)  # real data never goes into the demo (DemoDatabaseError)
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
