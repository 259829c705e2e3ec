"""The audit trail: who looked at whom, who exported, imported, changed targets or signed in.

Append-only by construction: this module offers `record` (an INSERT) and `entries` (a SELECT),
never an UPDATE or DELETE. A caller whose action must not happen unrecorded writes the row in
the same transaction as the action (`audited`), or writes it first and lets a failure stop the
action: "if the audit write fails, the action fails".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

import duckdb
import pandas as pd

from analytics.common.filters import Filters
from analytics.common.labels import headed, t


class Action(StrEnum):
    """What was done. Stored as its value; the audit page labels it in Chinese."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    VIEW_PROFILE = "view_profile"
    EXPORT = "export"
    IMPORT = "import"
    TARGETS_CHANGE = "targets_change"
    ACCOUNT_CREATE = "account_create"
    ACCOUNT_DISABLE = "account_disable"
    ACCOUNT_RESET = "account_reset"
    VIEW_SAVE = "view_save"  # 自助分析: a question saved (or re-saved) under a name
    VIEW_DELETE = "view_delete"
    RECORD_EDIT = "record_edit"  # 数据管理: one record changed in the form
    RECORD_DELETE = "record_delete"  # a record (and what depends on it) deleted
    CADRE_MERGE = "cadre_merge"  # two 工号 of one person merged into one
    UNDO = "undo"  # an import, edit, deletion or merge undone (deleted rows restored)


# Called by a write function inside its transaction, just before COMMIT, with the rows it wrote:
# it appends the audit row, and if that fails the write function rolls back.
AuditHook = Callable[[duckdb.DuckDBPyConnection, int], None]

COLUMNS = [
    "id", "logged_at", "actor", "role", "action", "target", "filters", "row_count", "detail",
    "client",
]  # fmt: skip


def record(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: Action | str,
    *,
    role: str | None = None,
    target: str | None = None,
    filters: Filters | dict[str, Any] | None = None,
    row_count: int | None = None,
    detail: str | None = None,
    client: str | None = None,
    at: dt.datetime | None = None,
) -> int:
    """Append one audit row and return its id; raises (and so fails the caller) on any error.

    `client` is the request's address, kept for sign-in attempts (None: a local connection).
    """
    action = Action(action)  # an unknown action is a programming error, not a new kind of row
    if not actor:
        raise ValueError("audit row without an actor")
    if isinstance(filters, Filters):
        filters_json: str | None = filters.model_dump_json()
    elif filters is not None:
        filters_json = json.dumps(filters, ensure_ascii=False, default=str, sort_keys=True)
    else:
        filters_json = None
    row = con.execute(
        """
        INSERT INTO audit_log
            (logged_at, actor, role, action, target, filters, row_count, detail, client)
        VALUES ($at, $actor, $role, $action, $target, $filters, $rows, $detail, $client)
        RETURNING id
        """,
        {
            "at": at or dt.datetime.now(),
            "actor": actor,
            "role": role,
            "action": action.value,
            "target": target,
            "filters": filters_json,
            "rows": row_count,
            "detail": detail,
            "client": client,
        },
    ).fetchone()
    if row is None:  # pragma: no cover - INSERT … RETURNING always returns the row
        raise RuntimeError("audit row not written")
    return int(row[0])


@contextmanager
def audited(con: duckdb.DuckDBPyConnection, actor: str, action: Action | str,
            **entry: Any) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Run the body and its audit row in one transaction: both are kept, or neither.

    The body may fill `entry` (the yielded dict) with e.g. row_count once it knows it.
    """
    fields: dict[str, Any] = dict(entry)
    con.execute("BEGIN TRANSACTION")
    try:
        yield fields
        record(con, actor, action, **fields)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def entries(
    con: duckdb.DuckDBPyConnection,
    start: dt.date | None = None,
    end: dt.date | None = None,
    actor: str | None = None,
    actions: list[str] | None = None,
    target: str | None = None,
    limit: int = 5000,
) -> pd.DataFrame:
    """Audit rows newest first, filtered by day range, actor, actions and target (substring)."""
    return con.execute(
        """
        SELECT id, logged_at, actor, role, action, target, filters, row_count, detail, client
        FROM audit_log
        WHERE ($start IS NULL OR CAST(logged_at AS DATE) >= $start)
          AND ($end IS NULL OR CAST(logged_at AS DATE) <= $end)
          AND ($actor IS NULL OR actor = $actor)
          AND ($no_actions OR list_contains($actions, action))
          AND ($target IS NULL OR contains(target, $target))
        ORDER BY id DESC
        LIMIT $limit
        """,
        {
            "start": start,
            "end": end,
            "actor": actor or None,
            "no_actions": not actions,
            "actions": list(actions or []),
            "target": target or None,
            "limit": limit,
        },
    ).df()


def actors(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every actor that has an audit row, for the audit page's filter."""
    return [r[0] for r in con.execute("SELECT DISTINCT actor FROM audit_log ORDER BY 1").fetchall()]


def filters_text(raw: str | None) -> str:
    """A stored filters value as a reader says it (2025年第3季度 · 第一学习小组), not JSON;
    blank when there were none."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)) or raw == "":
        return ""
    try:
        return Filters.model_validate_json(raw).describe()
    except ValueError:  # a plain mapping recorded by an older version: its values, in order
        try:
            values = json.loads(raw)
        except ValueError:
            return str(raw)
        if isinstance(values, dict):
            return " · ".join(str(v) for v in values.values() if v not in (None, ""))
        return str(values)


def display(rows: pd.DataFrame) -> pd.DataFrame:
    """Audit rows as the 审计日志 page shows and exports them: actions in words, blanks for
    missing values, Chinese headers."""
    shown = rows.assign(
        action=rows["action"].map(lambda a: t(f"access.action.{a}")),
        role=rows["role"].fillna(""), target=rows["target"].fillna(""),
        filters=rows["filters"].map(filters_text), detail=rows["detail"].fillna(""),
        client=rows["client"].fillna(""),
    )  # fmt: skip
    return headed(shown, "access.audit", COLUMNS)
