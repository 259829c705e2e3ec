"""Opening the database, creating the schema, and the few facts every page needs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.store.models import Record

SCHEMA_SQL = (Path(__file__).parent / "sql" / "schema.sql").read_text(encoding="utf-8")

# Insert order respects the references the importer checks (parents before children).
TABLE_ORDER: tuple[str, ...] = (
    "cadres", "activities", "attendance", "reports", "report_authors", "awards",
    "award_winners", "assessments", "assignments", "training", "mentorships", "group_mentors",
    "targets",
)  # fmt: skip


# Columns made optional after databases had been created with them NOT NULL: schema.sql says so
# for new files, and an older file is altered once (identifiers from this list only).
_NOW_OPTIONAL: tuple[tuple[str, str], ...] = (
    ("cadres", "gender"), ("assignments", "destination"), ("training", "category"),
    ("training", "mode"),
)  # fmt: skip


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view; safe to run on a database that already has them."""
    con.execute(SCHEMA_SQL)
    for table, column in _NOW_OPTIONAL:
        row = con.execute(
            "SELECT is_nullable FROM information_schema.columns "
            "WHERE table_name = ? AND column_name = ?",
            [table, column],
        ).fetchone()
        if row is not None and row[0] == "NO":
            con.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL")


def connect(
    path: str | Path, *, read_only: bool = False, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a database file with the schema and derived tables up to date.

    `memory_limit` (e.g. "512MB") caps DuckDB's memory before anything runs (see apply_settings).
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if memory_limit:
        apply_settings(con, memory_limit=memory_limit)
    if not read_only:
        create_schema(con)
        refresh_derived(con)  # a file written before the derived tables existed, or by hand
    return con


def is_lock_conflict(exc: BaseException) -> bool:
    """Whether opening the file failed because another process holds it (DuckDB lets one
    process open a file for writing at a time: a running app, or the import command line)."""
    text = str(exc)
    return isinstance(exc, duckdb.IOException) and (
        "Could not set lock" in text or "Conflicting lock" in text
    )


@contextmanager
def building(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new database file for `path`, written beside it and renamed into place only when the
    block completes, so the app never opens a half-built file (an error leaves `path` as it was).
    """
    path = Path(path)
    tmp = path.with_suffix(".building")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = connect(tmp)
    try:
        yield con
        con.execute("CHECKPOINT")
    finally:
        con.close()
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    tmp.replace(path)


def apply_settings(
    con: duckdb.DuckDBPyConnection, *, memory_limit: str, threads: int | None = None
) -> None:
    """Cap DuckDB's memory (it spills to disk beyond it) and optionally its threads.

    SET takes no parameters, so the values are checked against a strict pattern first.
    """
    if not _MEMORY.fullmatch(memory_limit):
        raise ValueError(f"memory_limit: {memory_limit!r} (expected e.g. 512MB or 1GB)")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")


_MEMORY = re.compile(r"[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)")


def refresh_derived(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """Rebuild the derived tables if the records they come from changed; True when rebuilt.

    Every write path ends here (insert_rows, bump_data_version, connect), so pages can read
    the stored copy. A fingerprint of the source columns makes the call cheap when nothing
    changed, e.g. bump_data_version right after insert_rows.
    """
    # What the derived tables depend on; any write to these columns changes the fingerprint.
    fingerprint = """
    SELECT concat_ws('|',
        (SELECT count(*) || ':' || coalesce(sum(hash(cadre_id, study_group, division, join_date,
                                                      leave_date)), 0) FROM cadres),
        (SELECT count(*) || ':' || coalesce(sum(hash(activity_id, date, scope, organizer_group,
                                                      category, form)), 0) FROM activities),
        (SELECT count(*) || ':' || coalesce(sum(hash(activity_id, cadre_id, role, status,
                                                      credited_hours)), 0) FROM attendance),
        (SELECT count(*) || ':' || coalesce(sum(hash(cadre_id, type, start_date, end_date)), 0)
         FROM assignments))
    """
    state = con.execute(fingerprint).fetchone()[0]
    row = con.execute("SELECT value FROM meta WHERE key = 'derived_state'").fetchone()
    if not force and row is not None and row[0] == state:
        return False
    # The copy covers every cadre (no visible_group here): pages read it through
    # scoped_expected, which applies the sidebar filter and the row restriction.
    con.execute(
        """
        CREATE OR REPLACE TABLE expected_attendance_facts AS
        SELECT r.*, c.study_group, c.division
        FROM expected_attendance_rule AS r
        LEFT JOIN cadres AS c USING (cadre_id)
        ORDER BY r.date, r.activity_id
        """
    )
    con.execute("INSERT OR REPLACE INTO meta VALUES ('derived_state', ?)", [state])
    return True


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of a table in their stored order."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def rows_by_table(records: Iterable[Record]) -> dict[str, list[dict[str, Any]]]:
    """Flatten records into database rows grouped by table, in insert order."""
    grouped: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLE_ORDER}
    for record in records:
        for table, rows in record.db_rows().items():
            grouped[table].extend(rows)
    return {t: rows for t, rows in grouped.items() if rows}


def insert_rows(
    con: duckdb.DuckDBPyConnection, rows: Mapping[str, list[dict[str, Any]]]
) -> dict[str, int]:
    """Append rows to their tables (column order from the schema); returns counts per table."""
    counts: dict[str, int] = {}
    for table in TABLE_ORDER:
        if not rows.get(table):  # tables are named only from TABLE_ORDER, never from input
            continue
        columns = table_columns(con, table)
        frame = pd.DataFrame(rows[table], columns=columns)  # noqa: F841 (read by DuckDB below)
        con.execute(f"INSERT INTO {table} SELECT * FROM frame")
        counts[table] = len(rows[table])
    refresh_derived(con)
    return counts


def adopt_default_targets(con: duckdb.DuckDBPyConnection, years: Iterable[int]) -> int:
    """Write the defaults (target_defaults, points weighting included) as the own targets of
    `years`, where a year has no value of its own; returns the number of rows written."""
    before = con.execute("SELECT count(*) FROM targets").fetchone()[0]
    con.execute(
        """
        INSERT INTO targets (metric, year, value)
        SELECT d.metric, y.year, d.value
        FROM target_defaults AS d, (SELECT unnest(CAST($years AS INTEGER[])) AS year) AS y
        ON CONFLICT DO NOTHING
        """,
        {"years": list(years)},
    )
    return con.execute("SELECT count(*) FROM targets").fetchone()[0] - before


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Mark the data as changed so that cached results keyed on the version are not reused.

    Also brings the derived tables up to date, so a writer using plain SQL only has to bump.
    """
    refresh_derived(con)
    con.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
        "WHERE key = 'data_version'"
    )
    return data_version(con)


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The current data version (grows with every write)."""
    row = con.execute(
        "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'data_version'"
    ).fetchone()
    return int(row[0]) if row else 0


def as_of_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest date any record carries: the data speak for when they were taken."""
    row = con.execute(
        """
        SELECT greatest(
            (SELECT max(date) FROM activities),
            (SELECT max(submit_date) FROM reports),
            (SELECT max(date) FROM awards),
            (SELECT max(completion_date) FROM training)
        )
        """
    ).fetchone()
    return row[0] if row and row[0] is not None else None


def data_start(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The earliest date any record carries (the same records as as_of_date): before it the
    office kept no data, so a period that ends earlier has no figures to compare with."""
    row = con.execute(
        """
        SELECT least(
            (SELECT min(date) FROM activities),
            (SELECT min(submit_date) FROM reports),
            (SELECT min(date) FROM awards),
            (SELECT min(completion_date) FROM training)
        )
        """
    ).fetchone()
    return row[0] if row and row[0] is not None else None


_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _chinese_number(text: str) -> int:
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + digit


def natural_key(name: str) -> tuple[Any, ...]:
    """Sort 第二学习小组 before 第十学习小组 and 第2组 before 第10组 (plain sorting does not)."""
    parts = re.split(r"([0-9]+|[零一二两三四五六七八九十百千]+)", name)
    key: list[Any] = []
    for part in parts:
        if not part:
            continue
        if part.isdigit():
            key.append((0, int(part)))
        elif all(ch in _CN_DIGITS or ch in _CN_UNITS for ch in part):
            key.append((0, _chinese_number(part)))
        else:
            key.append((1, part))
    return tuple(key)


def data_source(con: duckdb.DuckDBPyConnection) -> str | None:
    """Who wrote the database: 'demo' (analytics.generators.demo), 'city'
    (analytics.generators.citygen) or None."""
    row = con.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()
    return row[0] if row else None


def sort_natural(frame: pd.DataFrame, column: str, *then: str) -> pd.DataFrame:
    """Rows ordered by `column` the way people count (第二 before 第十; gaps last), then by
    `then`; a fresh 0..n index."""
    if frame.empty:
        return frame.reset_index(drop=True)
    rank = {v: i for i, v in enumerate(sorted(frame[column].dropna().unique(), key=natural_key))}
    order = frame[column].map(rank).fillna(len(rank))
    keys = ["_order", *then]
    return (
        frame.assign(_order=order).sort_values(keys).drop(columns="_order").reset_index(drop=True)
    )


def dimension_values(con: duckdb.DuckDBPyConnection) -> dict[str, list[Any]]:
    """What the sidebar offers: years with records, study groups and divisions."""
    years = [
        r[0]
        for r in con.execute(
            """
            SELECT DISTINCT year(d) AS y FROM (
                SELECT date AS d FROM activities UNION ALL SELECT submit_date FROM reports
                UNION ALL SELECT completion_date FROM training UNION ALL SELECT date FROM awards
            ) ORDER BY y
            """
        ).fetchall()
    ]
    groups = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT study_group FROM cadres WHERE study_group IS NOT NULL"
        ).fetchall()
    ]
    divisions = [r[0] for r in con.execute("SELECT DISTINCT division FROM cadres").fetchall()]
    groups.sort(key=natural_key)
    divisions.sort(key=natural_key)
    return {"years": years, "groups": groups, "divisions": divisions}
