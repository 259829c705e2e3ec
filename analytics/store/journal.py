"""The change journal: every row a write touched, as it was and as it is, so that any change
can be shown, its deleted rows restored, and the change undone exactly.

A writer of records opens a change (`begin`) inside its own transaction, notes the rows it is
about to touch before it writes them (`note_frame` for rows named by key, e.g. an import's
upserts; `note_where` for rows matched by a condition, e.g. a cadre's attendance), writes, and
calls `finish` before COMMIT: the journal then holds each noted row's before-image (NULL: it
did not exist) and after-image (NULL: it was deleted), and drops the rows left as they were.
`revert` writes the before-images of one change back as a new change of its own, so an undo is
journaled like any other write. Rows are JSON of the whole row (DuckDB's to_json / from_json,
exact for every type the record tables use); keys are JSON lists of the key's values as text.

Nothing here updates or deletes a committed journal row (`finish` completes the rows of the
change still being written): the journal is part of the audit trail.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics.store.db import TABLE_ORDER

KINDS = ("import", "edit", "delete", "merge", "undo", "targets")


@dataclass(frozen=True)
class Shape:
    """A record table as the journal sees it: columns with their types, and the key."""

    table: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    key: tuple[str, ...]

    def row_json(self, alias: str) -> str:
        """SQL: the whole row of `alias` as JSON (NULL when the row is absent)."""
        fields = ", ".join(f"{_q(c)} := {alias}.{_q(c)}" for c in self.columns)
        return f"CASE WHEN {alias}.{_q(self.key[0])} IS NULL THEN NULL " \
               f"ELSE to_json(struct_pack({fields})) END"  # fmt: skip

    def key_json(self, alias: str) -> str:
        """SQL: the key of `alias` as a JSON list of text."""
        return "to_json([" + ", ".join(f"CAST({alias}.{_q(k)} AS VARCHAR)" for k in self.key) + "])"

    def joins(self, left: str, right: str) -> str:
        """SQL: `left` and `right` have the same key."""
        return " AND ".join(f"{left}.{_q(k)} = {right}.{_q(k)}" for k in self.key)

    def parsed_keys(self, change: str = "$j_change") -> str:
        """SQL: one change's journal rows of this table with their key as typed columns (the
        change given as the parameter named by `change`, this table as $j_table)."""
        types = dict(zip(self.columns, self.types, strict=True))
        parts = ", ".join(
            f"CAST(json_extract_string(row_key, '$[{i}]') AS {types[k]}) AS {_q(k)}"
            for i, k in enumerate(self.key)
        )
        return (
            f"SELECT row_key, before, after, {parts} FROM change_rows "
            f"WHERE change_id = {change} AND tbl = $j_table"
        )

    def struct_type(self) -> str:
        """from_json's structure for a whole row."""
        return json.dumps(dict(zip(self.columns, self.types, strict=True)))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def shape(con: duckdb.DuckDBPyConnection, table: str) -> Shape:
    """The journal's view of a record table (only tables of TABLE_ORDER: identifiers never
    come from input)."""
    if table not in TABLE_ORDER:
        raise ValueError(table)
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    key = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE table_name = ? AND schema_name = 'main' AND constraint_type = 'PRIMARY KEY'",
        [table],
    ).fetchone()
    return Shape(table, tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(key[0]))


def begin(
    con: duckdb.DuckDBPyConnection, kind: str, actor: str, summary: str, *,
    import_id: int | None = None, undoes: int | None = None, at: dt.datetime | None = None,
) -> int:  # fmt: skip
    """Open a change (inside the caller's transaction); returns its id."""
    if kind not in KINDS:
        raise ValueError(kind)
    row = con.execute(
        "INSERT INTO change_log (logged_at, actor, kind, summary, import_id, undoes) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING change_id",
        [at or dt.datetime.now(), actor, kind, summary, import_id, undoes],
    ).fetchone()
    return int(row[0])


def note_frame(
    con: duckdb.DuckDBPyConnection, change_id: int, table: str, frame: pd.DataFrame
) -> None:
    """Note the rows of `table` whose keys are in `frame` (they need not exist yet)."""
    s = shape(con, table)
    keys_frame = frame[list(s.key)]  # noqa: F841 (read by DuckDB below)
    _note(con, change_id, s, "SELECT * FROM keys_frame", {}, keys_frame)


def note_where(
    con: duckdb.DuckDBPyConnection, change_id: int, table: str, condition: str,
    params: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """Note the existing rows of `table` (alias t) that match `condition` (SQL from code, its
    values as $parameters)."""
    s = shape(con, table)
    keys = ", ".join(f"t.{_q(k)}" for k in s.key)
    _note(con, change_id, s, f"SELECT {keys} FROM {table} AS t WHERE {condition}", params or {})


def note_keys_sql(
    con: duckdb.DuckDBPyConnection, change_id: int, table: str, keys_sql: str,
    params: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """Note the rows whose keys `keys_sql` selects (its columns named as the key), e.g. the
    keys rows will have after a write that renames them."""
    _note(con, change_id, shape(con, table), keys_sql, params or {})


def _note(
    con: duckdb.DuckDBPyConnection, change_id: int, s: Shape, source: str,
    params: dict[str, Any], keys_frame: pd.DataFrame | None = None,
) -> None:  # fmt: skip
    """Insert a before-image for every key `source` selects that this change has not noted."""
    columns = ", ".join(f"s.{_q(k)}" for k in s.key)
    con.execute(
        f"""
        INSERT INTO change_rows (change_id, tbl, row_key, before)
        SELECT $j_change, $j_table, k.row_key, {s.row_json("t")}
        FROM (SELECT DISTINCT {s.key_json("s")} AS row_key, {columns} FROM ({source}) AS s) AS k
        LEFT JOIN {s.table} AS t ON {s.joins("t", "k")}
        WHERE NOT EXISTS (SELECT 1 FROM change_rows AS c WHERE c.change_id = $j_change
                          AND c.tbl = $j_table AND c.row_key = k.row_key)
        """,
        {"j_change": change_id, "j_table": s.table, **params},
    )


def finish(con: duckdb.DuckDBPyConnection, change_id: int) -> dict[str, int]:
    """Complete a change before COMMIT: the after-image of every noted row, and the rows left
    as they were dropped. Returns the rows touched per table."""
    counts: dict[str, int] = {}
    for table in tables_of(con, change_id):
        s = shape(con, table)
        params = {"j_change": change_id, "j_table": table}
        con.execute(
            f"""
            UPDATE change_rows AS r SET after = a.after
            FROM (SELECT k.row_key, {s.row_json("t")} AS after
                  FROM ({s.parsed_keys()}) AS k JOIN {table} AS t ON {s.joins("t", "k")}) AS a
            WHERE r.change_id = $j_change AND r.tbl = $j_table AND r.row_key = a.row_key
            """,
            params,
        )
        con.execute(
            "DELETE FROM change_rows WHERE change_id = $j_change AND tbl = $j_table "
            "AND before IS NOT DISTINCT FROM after",
            params,
        )
        n = con.execute(
            "SELECT count(*) FROM change_rows WHERE change_id = $j_change AND tbl = $j_table",
            params,
        ).fetchone()[0]
        if n:
            counts[table] = int(n)
    return counts


def tables_of(con: duckdb.DuckDBPyConnection, change_id: int) -> list[str]:
    """The record tables a change noted rows of, in TABLE_ORDER."""
    found = {r[0] for r in con.execute(
        "SELECT DISTINCT tbl FROM change_rows WHERE change_id = ?", [change_id]
    ).fetchall()}  # fmt: skip
    return [t for t in TABLE_ORDER if t in found]


def revert(con: duckdb.DuckDBPyConnection, source: int, change_id: int) -> dict[str, int]:
    """Write back the before-image of every row change `source` touched (deleting the rows it
    created), as change `change_id` (noted and finished here). Returns rows per table."""
    tables = tables_of(con, source)
    shapes = [shape(con, t) for t in tables]
    for s in shapes:
        keys = ", ".join(_q(k) for k in s.key)
        note_keys_sql(con, change_id, s.table,
                      f"SELECT {keys} FROM ({s.parsed_keys('$src_change')})",
                      {"src_change": source})  # fmt: skip
    for s in shapes:
        params = {"j_change": source, "j_table": s.table}
        con.execute(
            f"DELETE FROM {s.table} AS t USING ({s.parsed_keys()}) AS k WHERE {s.joins('t', 'k')}",
            params,
        )
    for s in shapes:
        con.execute(
            f"INSERT INTO {s.table} SELECT unnest(from_json(before, $j_struct)) FROM change_rows "
            "WHERE change_id = $j_change AND tbl = $j_table AND before IS NOT NULL",
            {"j_change": source, "j_table": s.table, "j_struct": s.struct_type()},
        )
    return finish(con, change_id)


def drifted(con: duckdb.DuckDBPyConnection, change_id: int) -> int:
    """How many rows of a change are no longer as it left them (changed since by something
    the journal did not see, or by a later change)."""
    total = 0
    for table in tables_of(con, change_id):
        s = shape(con, table)
        total += con.execute(
            f"""
            SELECT count(*) FROM ({s.parsed_keys()}) AS k LEFT JOIN {table} AS t
                ON {s.joins("t", "k")}
            WHERE k.after IS DISTINCT FROM {s.row_json("t")}
            """,
            {"j_change": change_id, "j_table": table},
        ).fetchone()[0]
    return int(total)


def later_overlaps(con: duckdb.DuckDBPyConnection, change_id: int) -> pd.DataFrame:
    """The later changes that touched rows this one touched, with how many, oldest first.

    A later change that was undone and the undo of it cancel out: neither counts.
    """
    return con.execute(
        """
        WITH mine AS (SELECT tbl, row_key FROM change_rows WHERE change_id = $id),
        later AS (
            SELECT * FROM change_log
            WHERE change_id > $id
              AND change_id NOT IN (SELECT undoes FROM change_log WHERE kind = 'undo')
              AND NOT (kind = 'undo' AND undoes > $id)
        )
        SELECT l.change_id, l.logged_at, l.actor, l.kind, l.summary, l.import_id,
               count(*) AS rows
        FROM later AS l JOIN change_rows AS r USING (change_id) JOIN mine USING (tbl, row_key)
        GROUP BY ALL ORDER BY l.change_id
        """,
        {"id": change_id},
    ).df()


def change(con: duckdb.DuckDBPyConnection, change_id: int) -> dict[str, Any] | None:
    """One change_log row with `undone_by` (the undo that reverted it, or None)."""
    row = con.execute(
        """
        SELECT c.change_id, c.logged_at, c.actor, c.kind, c.summary, c.import_id, c.undoes,
               (SELECT min(u.change_id) FROM change_log AS u
                WHERE u.kind = 'undo' AND u.undoes = c.change_id) AS undone_by
        FROM change_log AS c WHERE c.change_id = ?
        """,
        [change_id],
    ).fetchone()
    if row is None:
        return None
    names = ("change_id", "logged_at", "actor", "kind", "summary", "import_id", "undoes",
             "undone_by")  # fmt: skip
    return dict(zip(names, row, strict=True))


def change_of_import(con: duckdb.DuckDBPyConnection, import_id: int) -> int | None:
    """The change an import was journaled as (None: committed before the journal existed)."""
    row = con.execute(
        "SELECT change_id FROM change_log WHERE kind = 'import' AND import_id = ?", [import_id]
    ).fetchone()
    return int(row[0]) if row else None


def history(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """Changes newest first: id, when, who, kind, summary, rows touched, and which undo (if
    any) reverted each."""
    return con.execute(
        """
        SELECT c.change_id, c.logged_at, c.actor, c.kind, c.summary, c.import_id, c.undoes,
               (SELECT count(*) FROM change_rows AS r WHERE r.change_id = c.change_id) AS rows,
               (SELECT min(u.change_id) FROM change_log AS u
                WHERE u.kind = 'undo' AND u.undoes = c.change_id) AS undone_by
        FROM change_log AS c ORDER BY c.change_id DESC LIMIT ?
        """,
        [limit],
    ).df()


def rows_of(con: duckdb.DuckDBPyConnection, change_id: int) -> pd.DataFrame:
    """Every journal row of one change: table, key, before and after (JSON text)."""
    return con.execute(
        "SELECT tbl, row_key, before, after FROM change_rows WHERE change_id = ? "
        "ORDER BY tbl, row_key",
        [change_id],
    ).df()
