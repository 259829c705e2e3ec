"""Signing in: one attempt at a time per account, every attempt audited, one answer for all
refusals.

An attempt checks the password (scrypt, outside any lock), then, under one process-wide lock and
in one transaction, reads the account as it is now, counts the failure or clears the count,
locks the account at the fifth consecutive failure, and writes the audit row; if that row cannot
be written, nothing changes and the sign-in fails. A client (the request's address) that failed
too often within the lock-out period is refused before any account is looked at. Whatever the
reason, a refusal looks the same from outside (outcome "refused", the same time spent); the
reason goes to the audit log, under the actor 未登录 with the name tried as detail.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import duckdb

from analytics.access import audit
from analytics.access.auth import (
    MAX_FAILED_ATTEMPTS,
    Account,
    get_account,
    hash_password,
    verify_password,
)
from analytics.common import config
from analytics.common.labels import t
from analytics.common.text import printable

Outcome = Literal["ok", "refused"]
# Why an attempt was refused. It goes to the audit log and never to the person signing in, who
# gets one message for all of them: an unknown name must look like a locked or disabled one.
Reason = Literal["ok", "unknown", "wrong_password", "locked", "disabled", "client_limit"]
MAX_TRIED_NAME = 64  # characters of an attempted name kept in its audit row
# An attempt reads an account's counters, decides and writes them back. Two sessions doing that
# at once would count from the same value, or DuckDB would fail one on a write conflict before
# its audit row was written. One process owns the database file, so one lock in this process
# around read-decide-write-audit makes every attempt count and every attempt logged.
_ATTEMPTS = threading.Lock()


@dataclass(frozen=True)
class SignIn:
    """One attempt's result. `ok` is all the person signing in is told."""

    outcome: Outcome
    reason: Reason
    account: Account | None = None  # the account signed in; None when refused
    failures: int = 0  # consecutive wrong passwords, this one included
    locked_until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def authenticate(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    *,
    client: str | None = None,
    now: dt.datetime | None = None,
    lockout: dt.timedelta | None = None,
    method: str = "password",
) -> SignIn:
    """Check a sign-in, count failures, lock after MAX_FAILED_ATTEMPTS, and audit the attempt.

    Every refusal has the same outcome and costs the same scrypt check: an unknown name, a
    locked or disabled account, a wrong password, or a `client` (the request's address) that
    failed config.client_max_failures() times within the lock-out period, which stops one
    client trying name after name. The count, the lock and the audit row are written under one
    lock in one transaction, so parallel attempts are all counted and the fifth failure locks.
    """
    now = now or dt.datetime.now()
    lockout = lockout or dt.timedelta(minutes=config.lockout_minutes())
    name = (username or "").strip()
    stored = con.execute("SELECT password_hash FROM accounts WHERE username = ?", [name]).fetchone()
    # The slow check runs outside the lock: once per attempt, whatever is decided next.
    matches = verify_password(password, stored[0]) if stored else _spend_as_if_checking(password)
    with _ATTEMPTS, _transaction(con):
        limit = config.client_max_failures()
        if _client_failures(con, client, now - lockout) >= limit:
            result = SignIn("refused", "client_limit")
        else:
            result = _apply_attempt(con, name, matches, now, lockout)
        _record_attempt(con, name, result, method, client, now)
    return result


def sign_in_trusted(
    con: duckdb.DuckDBPyConnection,
    username: str,
    *,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> SignIn:
    """Sign in a user a trusted reverse proxy has already authenticated (no password).

    The account must still exist, be enabled and not locked; the attempt is audited.
    """
    now = now or dt.datetime.now()
    name = (username or "").strip()
    with _ATTEMPTS, _transaction(con):
        result = _apply_attempt(con, name, True, now, dt.timedelta(0))
        _record_attempt(con, name, result, "header", client, now)
    return result


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _apply_attempt(
    con: duckdb.DuckDBPyConnection, name: str, matches: bool, now: dt.datetime,
    lockout: dt.timedelta,
) -> SignIn:  # fmt: skip
    """Decide one attempt on the account as it is now (inside the caller's transaction) and
    write its counters: reset on success, one more failure otherwise, locked at the fifth."""
    account = get_account(con, name)
    if account is None:
        return SignIn("refused", "unknown")
    if account.disabled:
        return SignIn("refused", "disabled")
    if account.locked_until is not None and account.locked_until > now:
        return SignIn("refused", "locked", locked_until=account.locked_until)
    if matches:
        con.execute(
            "UPDATE accounts SET failed_attempts = 0, locked_until = NULL WHERE username = ?",
            [name],
        )
        return SignIn("ok", "ok", account)
    # A lock that has run out starts a fresh count.
    failures = 1 if account.locked_until is not None else account.failed_attempts + 1
    locked_until = now + lockout if failures >= MAX_FAILED_ATTEMPTS else None
    con.execute(
        "UPDATE accounts SET failed_attempts = ?, locked_until = ? WHERE username = ?",
        [0 if locked_until else failures, locked_until, name],
    )
    return SignIn("refused", "wrong_password", failures=failures, locked_until=locked_until)


def _client_failures(con: duckdb.DuckDBPyConnection, client: str | None, since: dt.datetime) -> int:
    """Failed attempts from `client` (None: a local connection) since `since`."""
    row = con.execute(
        "SELECT count(*) FROM audit_log WHERE action = ? AND logged_at > ? "
        "AND client IS NOT DISTINCT FROM ?",
        [audit.Action.SIGN_IN_FAILED.value, since, client],
    ).fetchone()
    return int(row[0])


def tried_name(username: str | None) -> str:
    """An attempted account name as its audit row keeps it: printable, at most 64 characters."""
    name = printable(username or "").strip()
    if len(name) > MAX_TRIED_NAME:
        name = name[: MAX_TRIED_NAME - 1] + "…"
    return name or t("access.empty_name")


def _record_attempt(
    con: duckdb.DuckDBPyConnection, name: str, result: SignIn, method: str,
    client: str | None, now: dt.datetime,
) -> None:  # fmt: skip
    """The attempt's audit row. A refused one is logged under one actor, 未登录, with the name
    tried as detail, so names an attacker makes up never fill the log's list of actors."""
    how = t(f"access.method.{method}")
    if result.ok and result.account is not None:
        audit.record(con, name, audit.Action.SIGN_IN, role=_role_text(result.account),
                     detail=t("access.detail.signed_in", method=how), client=client,
                     at=now)  # fmt: skip
        return
    until = f"{result.locked_until:%Y-%m-%d %H:%M}" if result.locked_until else ""
    reason = t(f"access.reason.{result.reason}", n=result.failures, max=MAX_FAILED_ATTEMPTS,
               until=until)  # fmt: skip
    if result.reason == "wrong_password" and result.locked_until is not None:
        reason += t("access.reason.now_locked", until=until)
    known = result.reason in ("wrong_password", "locked", "disabled")
    audit.record(
        con, t("access.anonymous"), audit.Action.SIGN_IN_FAILED, target=name if known else None,
        detail=t("access.detail.failed", method=how, reason=reason, name=tried_name(name)),
        client=client, at=now,
    )  # fmt: skip


def _role_text(account: Account | None) -> str | None:
    return account.role.value if account is not None and account.role is not None else None


_DUMMY_HASH: str | None = None


def _spend_as_if_checking(password: str) -> bool:
    """Take as long as a real check, so timing does not tell which account names exist; False."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    verify_password(password, _DUMMY_HASH)
    return False
