"""Settings read from the environment, with the defaults a fresh clone runs on."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DB_PATH = PROJECT_ROOT / "data" / "demo.duckdb"


def db_path() -> Path:
    """The DuckDB file the app reads: $CADRE_DB, else the generated demo database."""
    return Path(os.environ.get("CADRE_DB", str(DEMO_DB_PATH))).expanduser().resolve()
