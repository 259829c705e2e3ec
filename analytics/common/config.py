"""Settings read from the environment, with the defaults a fresh clone runs on."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_DB_PATH = PROJECT_ROOT / "data" / "demo.duckdb"


def db_path() -> Path:
    """The DuckDB file the app reads: $CADRE_DB, else the generated demo database."""
    return Path(os.environ.get("CADRE_DB", str(DEMO_DB_PATH))).expanduser().resolve()


def shared_processes() -> bool:
    """$CADRE_SNAPSHOTS=1: this process is one of several serving the database (make run-multi),
    so it reads published snapshots and writes under the writer lock (analytics.store.snapshot).
    """
    return os.environ.get("CADRE_SNAPSHOTS", "0") == "1"


def duckdb_memory_limit() -> str:
    """DuckDB's memory cap for the app's connection ($CADRE_DUCKDB_MEMORY, default 512MB).

    The app process must stay under 1 GB at city scale (scripts/bench.py measures it); beyond
    the cap DuckDB spills to a temporary directory beside the database instead of growing.
    """
    return os.environ.get("CADRE_DUCKDB_MEMORY", "512MB")


def _positive(name: str, default: float) -> float:
    """$name as a positive number; unset, empty, not a number, zero or less → default."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


DEFAULT_MAX_UPLOAD_MB = 20.0


def max_upload_bytes() -> int:
    """The largest file the importer reads: $CADRE_MAX_UPLOAD_MB megabytes (default 20)."""
    return int(_positive("CADRE_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024)


# ----- access control (issue 10) -----
def idle_timeout_minutes() -> float:
    """$CADRE_IDLE_MINUTES: a signed-in session idle this long is signed out (default 30)."""
    return _positive("CADRE_IDLE_MINUTES", 30)


def lockout_minutes() -> float:
    """$CADRE_LOCKOUT_MINUTES: how long an account stays locked after 5 failures (default 15)."""
    return _positive("CADRE_LOCKOUT_MINUTES", 15)


def client_max_failures() -> int:
    """$CADRE_CLIENT_MAX_FAILURES: failed sign-ins one address (st.context.ip_address; every
    local connection counts as one) may make within the lock-out period before its attempts
    are refused unchecked (default 20)."""
    return int(_positive("CADRE_CLIENT_MAX_FAILURES", 20))


def trusted_user_header() -> str | None:
    """$CADRE_TRUSTED_USER_HEADER: take the account name from this request header, set by a
    trusted reverse proxy that has already authenticated the user. Off (None) by default."""
    value = os.environ.get("CADRE_TRUSTED_USER_HEADER", "").strip()
    return value or None


# ----- end access control -----
