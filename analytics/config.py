"""Settings read from the environment, with the defaults a fresh clone runs on."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DB_PATH = PROJECT_ROOT / "data" / "demo.duckdb"


def db_path() -> Path:
    """The DuckDB file the app reads: $CADRE_DB, else the generated demo database."""
    return Path(os.environ.get("CADRE_DB", str(DEMO_DB_PATH))).expanduser().resolve()


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
