"""Running SQL: files from analytics/store/sql, values only as parameters."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.common.filters import Filters

SQL_DIR = Path(__file__).parent / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


_INCLUDE = re.compile(r"^[ \t]*-- include: ([a-z0-9_]+)[ \t]*$", re.MULTILINE)


@functools.cache
def sql_text(name: str) -> str:
    """The text of analytics/store/sql/<name>.sql, a line `-- include: <other>` replaced by the
    text of <other>.sql (a part several statements share, kept once)."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda m: sql_text(m.group(1)), text)


def run(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    f: Filters | None = None,
    **extra: Any,
) -> pd.DataFrame:
    """Run `sql` (text, or the name of a file in analytics/store/sql) with the filters
    as parameters.

    Only the parameters the statement names are passed (DuckDB refuses unused ones).
    With filters, the connection's row-level restriction is set from f.visible_group first.
    """
    text = sql_text(sql) if re.fullmatch(r"[a-z0-9_]+", sql) else sql
    if f is not None:
        restrict(con, f.visible_group)
    values: dict[str, Any] = dict(f.params()) if f is not None else {}
    values.update(extra)
    params = bind(text, values)
    missing = set(_PARAM.findall(text)) - params.keys()
    if missing:
        raise KeyError(f"SQL parameters without values: {sorted(missing)}")
    answers = _MEMO.get()
    if answers is None:
        return con.execute(text, params).df()
    restriction = (
        f.visible_group
        if f is not None
        else con.execute("SELECT getvariable('visible_group')").fetchone()[0]
    )
    key = (id(con), restriction, text, tuple(sorted((k, _hashable(v)) for k, v in params.items())))
    if key not in answers:
        answers[key] = con.execute(text, params).df()
    return answers[key].copy()  # callers may add columns to what they get


# Statement + parameters → result, while a memo() block is open (per thread and task).
_MEMO: ContextVar[dict[Any, pd.DataFrame] | None] = ContextVar("query_memo", default=None)


@contextmanager
def memo() -> Iterator[None]:
    """Inside the block, run() answers a statement it has already run with the same parameters
    from memory. For one read-only computation: a metric and the metrics it calls (the 季度座谈会
    pack asks for the same year-to-date figures some twenty times). Writes are not seen."""
    token = _MEMO.set({}) if _MEMO.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _MEMO.reset(token)


def _hashable(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    return value


def restrict(con: duckdb.DuckDBPyConnection, visible_group: str | None) -> None:
    """Limit scoped_cadres on this connection to one study group (None lifts the limit).

    A DuckDB variable belongs to the connection (each cursor is one), so a restriction set on
    one Streamlit session's cursor never reaches another's.
    """
    con.execute("SET VARIABLE visible_group = $g", {"g": visible_group})


def bind(text: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Of `values`, the ones `text` names as $name: DuckDB refuses parameters a statement
    does not use."""
    names = set(_PARAM.findall(text))
    return {k: v for k, v in values.items() if k in names}
