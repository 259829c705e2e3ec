"""One change to the records, done the one way every edit, deletion, merge and undo is done:
the role checked by the function that writes (not only by the page), the demo refused, and
the writes, their journal rows (analytics.store.journal), the data version (so the derived
tables and every cached figure follow at once) and the audit row in one transaction: all of
it is kept, or none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb

from analytics.access import audit
from analytics.access.auth import Capability, User, ensure_can
from analytics.store import journal
from analytics.store.db import bump_data_version
from analytics.store.provenance import ensure_not_demo


class RecordError(ValueError):
    """A change refused before anything was written (message in Chinese, for the page)."""


@dataclass
class Change:
    """The change being written: its journal id, and what its audit row will say."""

    change_id: int
    detail: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # rows touched per table, at the end


def may_write(con: duckdb.DuckDBPyConnection, user: User) -> None:
    """Raise unless `user` may change records in `con` (NotPermittedError, DemoDatabaseError)."""
    ensure_can(user.role, Capability.EDIT_RECORDS)
    ensure_not_demo(con)


@contextmanager
def one_change(
    con: duckdb.DuckDBPyConnection, user: User, kind: str, action: audit.Action, summary: str,
    target: str, *, check: Callable[[], None] | None = None, **journal_fields: Any,
) -> Iterator[Change]:  # fmt: skip
    """The body writes; on leaving, the journal is completed, the data version bumped and the
    audit row written (its detail: the change id and the body's `detail`), then COMMIT. Any
    error, the audit row's included, rolls everything back. `check` runs first inside the
    transaction, before the change is opened (a refusal that must see the state as it is)."""
    may_write(con, user)
    con.execute("BEGIN TRANSACTION")
    try:
        if check is not None:
            check()
        change = Change(journal.begin(con, kind, user.label, summary, **journal_fields))
        yield change
        change.counts = journal.finish(con, change.change_id)
        bump_data_version(con)
        detail = json.dumps({"change": change.change_id, **change.detail},
                            ensure_ascii=False, default=str)  # fmt: skip
        audit.record(con, user.name, action, role=user.role_name, target=target,
                     row_count=sum(change.counts.values()), detail=detail)  # fmt: skip
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
