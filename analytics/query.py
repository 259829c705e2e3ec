"""Running SQL: files from analytics/sql, values only as parameters."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.filters import Filters

SQL_DIR = Path(__file__).parent / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@functools.cache
def sql_text(name: str) -> str:
    """The text of analytics/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    f: Filters | None = None,
    **extra: Any,
) -> pd.DataFrame:
    """Run `sql` (text, or the name of a file in analytics/sql) with the filters as parameters.

    Only the parameters the statement names are passed (DuckDB refuses unused ones).
    With filters, the connection's row-level restriction is set from f.visible_group first.
    """
    text = sql_text(sql) if re.fullmatch(r"[a-z0-9_]+", sql) else sql
    if f is not None:
        restrict(con, f.visible_group)
    values: dict[str, Any] = dict(f.params()) if f is not None else {}
    values.update(extra)
    wanted = set(_PARAM.findall(text))
    missing = wanted - values.keys()
    if missing:
        raise KeyError(f"SQL parameters without values: {sorted(missing)}")
    return con.execute(text, _only(values, wanted)).df()


def restrict(con: duckdb.DuckDBPyConnection, visible_group: str | None) -> None:
    """Limit scoped_cadres on this connection to one study group (None lifts the limit).

    A DuckDB variable belongs to the connection (each cursor is one), so a restriction set on
    one Streamlit session's cursor never reaches another's.
    """
    con.execute("SET VARIABLE visible_group = $g", {"g": visible_group})


def _only(values: Mapping[str, Any], names: set[str]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in names}
