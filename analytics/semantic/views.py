"""常用视图: questions saved under a name, per account; a 管理员 may share one with everyone.

Every write goes with its audit row in one transaction (analytics.access.audit): if the row
cannot be written, nothing is saved. What is stored is the question's query parameters; a view
is checked against the catalogue again when it is opened (question.from_params), so a view
saved before a measure changed opens with a note rather than an error.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from analytics.access.audit import AuditHook
from analytics.access.auth import Capability, Role, can
from analytics.common.labels import t
from analytics.semantic.question import Question, to_params

MAX_NAME = 40
COLUMNS = ["id", "owner", "name", "question", "shared", "saved_at"]


class ViewError(ValueError):
    """A view that cannot be saved or removed (message in Chinese, for the page)."""


def save_view(
    con: duckdb.DuckDBPyConnection,
    owner: str,
    role: Role | str | None,
    name: str,
    question: Question,
    audit: AuditHook,
    *,
    shared: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """Store `question` as `owner`'s view `name` (the same name again replaces it) with its
    audit row, in one transaction; returns the view's id. Only a role with SHARE_VIEWS may
    share; raises ViewError (nothing written) for a bad name or a share without the right."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise ViewError(t("explore.views.error.name", n=MAX_NAME))
    if shared and not can(role, Capability.SHARE_VIEWS):
        raise ViewError(t("explore.views.error.share"))
    text = json.dumps(to_params(question), ensure_ascii=False, sort_keys=True)
    con.execute("BEGIN TRANSACTION")
    try:
        row = con.execute(
            """
            INSERT INTO saved_views (owner, name, question, shared, saved_at)
            VALUES ($owner, $name, $question, $shared, $at)
            ON CONFLICT (owner, name) DO UPDATE
                SET question = excluded.question, shared = excluded.shared,
                    saved_at = excluded.saved_at
            RETURNING id
            """,
            {"owner": owner, "name": name, "question": text, "shared": shared,
             "at": now or dt.datetime.now()},
        ).fetchone()  # fmt: skip
        audit(con, 1)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return int(row[0])


def delete_view(con: duckdb.DuckDBPyConnection, owner: str, view_id: int, audit: AuditHook) -> None:
    """Remove one of `owner`'s own views, with its audit row, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        gone = con.execute(
            "DELETE FROM saved_views WHERE id = $id AND owner = $owner RETURNING id",
            {"id": int(view_id), "owner": owner},
        ).fetchall()
        if not gone:
            raise ViewError(t("explore.views.error.delete"))
        audit(con, 1)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def views_for(con: duckdb.DuckDBPyConnection, user: str) -> pd.DataFrame:
    """The views `user` may open: their own and every shared one, own first, by name."""
    frame = con.execute(
        """
        SELECT id, owner, name, question, shared, saved_at
        FROM saved_views
        WHERE owner = $user OR shared
        ORDER BY owner <> $user, name, id
        """,
        {"user": user},
    ).df()
    return frame[COLUMNS]


def view_params(view_question: str) -> dict[str, list[str]]:
    """A stored view's query parameters, each as a list of values (as from_params reads them)."""
    stored = json.loads(view_question)
    return {k: v if isinstance(v, list) else [str(v)] for k, v in stored.items()}
