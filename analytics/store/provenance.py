"""Which database files hold only generated data: real data is never shown without sign-in and
never deleted by a command meant for the demo.

The demo generator stamps its file (meta `demo_fingerprint`) with a SHA-256 of every record it
wrote. A file is the generated demo only while its records still match the stamp: an import, a
hand edit, any change to a person's records ends demo mode for good, so from then on the app
asks for a sign-in, and `make clean` and `demo --force` leave the file alone. The targets (the
settings a demo visitor may try in the targets editor) are not part of the stamp. Imports into
a demo file are refused before any of that happens (`ensure_not_demo`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from analytics.common.labels import t
from analytics.store.db import TABLE_ORDER, data_source

DEMO_SOURCE = "demo"
CITY_SOURCE = "city"
FINGERPRINT_KEY = "demo_fingerprint"
# Every record table but the targets: what a person's data would be written into.
FINGERPRINTED: tuple[str, ...] = tuple(t for t in TABLE_ORDER if t != "targets")


class DemoDatabaseError(ValueError):
    """Real data refused for, or a command refused on, the generated demo database (or a file
    that is not it); the message says what to do instead, in Chinese."""


def records_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """SHA-256 over every record table's rows in a fixed order (Python values, so that the same
    rows give the same digest whatever DuckDB version wrote them)."""
    digest = hashlib.sha256()
    for table in FINGERPRINTED:  # identifiers from TABLE_ORDER only, never from input
        rows = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        digest.update(f"{table}\n{rows!r}\n".encode())
    return digest.hexdigest()


def stamp_demo(con: duckdb.DuckDBPyConnection) -> None:
    """Mark the records now in `con` as the generated demo (the demo generator's last step)."""
    con.execute("INSERT OR REPLACE INTO meta VALUES ('source', ?)", [DEMO_SOURCE])
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)", [FINGERPRINT_KEY, records_fingerprint(con)]
    )


def is_generated_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` holds the generated demo and nothing else: only then may it be served
    without sign-in. A demo file from before stamps counts while nothing was ever imported."""
    if data_source(con) != DEMO_SOURCE:
        return False
    row = con.execute("SELECT value FROM meta WHERE key = ?", [FINGERPRINT_KEY]).fetchone()
    if row is None:
        return not _has_rows(con, "import_log")
    return row[0] == records_fingerprint(con)


def demo_refusal(con: duckdb.DuckDBPyConnection) -> str | None:
    """Why data may not be imported into `con` (it is marked as the demo, whether or not its
    records are still the generated ones), with how to start a real database; None otherwise."""
    if data_source(con) != DEMO_SOURCE:
        return None
    return t("store.demo_refused")


def ensure_not_demo(con: duckdb.DuckDBPyConnection) -> None:
    """Raise DemoDatabaseError unless `con` may take real data (see demo_refusal)."""
    refusal = demo_refusal(con)
    if refusal is not None:
        raise DemoDatabaseError(refusal)


def generated_kind(path: str | Path) -> str | None:
    """'demo' or 'city' when the file at `path` holds only what a generator wrote, so deleting
    it loses nothing; None for anything else, a file that cannot be opened (in use, not a
    database) included. Opens the file read-only and changes nothing."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        if is_generated_demo(con):
            return DEMO_SOURCE
        untouched = not _has_rows(con, "import_log") and not _has_rows(con, "accounts")
        if data_source(con) == CITY_SOURCE and untouched:
            return CITY_SOURCE
        return None
    except duckdb.Error:  # no meta table, an older schema …: not ours to delete
        return None
    finally:
        con.close()


def _has_rows(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    if table not in ("import_log", "accounts"):  # identifiers only from this allow-list
        raise ValueError(table)
    return bool(con.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0])
