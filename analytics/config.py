"""Settings read from the environment, with the defaults a fresh clone runs on."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DB_PATH = PROJECT_ROOT / "data" / "demo.duckdb"


def db_path() -> Path:
    """The DuckDB file the app reads: $CADRE_DB, else the generated demo database."""
    return Path(os.environ.get("CADRE_DB", str(DEMO_DB_PATH))).expanduser().resolve()


def duckdb_memory_limit() -> str:
    """DuckDB's memory cap for the app's connection ($CADRE_DUCKDB_MEMORY, default 512MB).

    The app process must stay under 1 GB at city scale (scripts/bench.py measures it); beyond
    the cap DuckDB spills to a temporary directory beside the database instead of growing.
    """
    return os.environ.get("CADRE_DUCKDB_MEMORY", "512MB")


DEFAULT_MAX_UPLOAD_MB = 20.0


def max_upload_bytes() -> int:
    """The largest file the importer reads: $CADRE_MAX_UPLOAD_MB megabytes (default 20)."""
    raw = os.environ.get("CADRE_MAX_UPLOAD_MB", "")
    try:
        megabytes = float(raw) if raw.strip() else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        megabytes = DEFAULT_MAX_UPLOAD_MB
    if not megabytes > 0:
        megabytes = DEFAULT_MAX_UPLOAD_MB
    return int(megabytes * 1024 * 1024)
