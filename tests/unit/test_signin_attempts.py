"""Sign-in attempts under pressure: parallel guesses, probing for names, a flood of made-up
names from one client. Cheap hashes (2**10) keep the 40 parallel attempts under a second."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from analytics.access import auth, signin
from analytics.access.auth import create_account, disable_account
from analytics.access.signin import authenticate
from analytics.store.db import connect

PASSWORD = "correct-horse-9"
LOCK = dt.timedelta(minutes=15)


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "SCRYPT_N", 2**10)
    monkeypatch.setattr(signin, "_DUMMY_HASH", None)


@pytest.fixture
def office(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A database file with one account, opened as the app opens it (one connection, a cursor
    per session)."""
    con = connect(tmp_path / "office.duckdb")
    create_account(con, "li", PASSWORD, "领导")
    yield con
    con.close()


def failed_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT actor, target, detail FROM audit_log WHERE action = 'sign_in_failed' ORDER BY id"
    ).fetchall()


def test_parallel_wrong_passwords_are_each_counted_audited_and_lock_at_the_fifth(
    office, monkeypatch
):
    monkeypatch.setenv("CADRE_CLIENT_MAX_FAILURES", "100")  # the account's lock alone, here
    sessions = 40
    cursors = [office.cursor() for _ in range(sessions)]
    start = threading.Barrier(sessions)

    def attempt(cur: duckdb.DuckDBPyConnection):
        start.wait()  # all at once, each on its own cursor, as Streamlit sessions are
        try:
            return authenticate(cur, "li", "wrong-password-x", lockout=LOCK)
        except Exception as exc:  # a write conflict would lose the attempt and its audit row
            return exc

    with ThreadPoolExecutor(sessions) as pool:
        results = list(pool.map(attempt, cursors))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert not any(r.ok for r in results)
    details = [d for _, _, d in failed_rows(office)]
    assert len(details) == sessions  # every attempt audited
    wrong = [d for d in details if "密码错误" in d]
    assert [d.split("（")[1][:7] for d in wrong] == [f"连续第 {n}/5" for n in range(1, 6)]
    assert "账号锁定至" in wrong[-1]
    assert sum("账号锁定中" in d for d in details) == sessions - 5
    locked_until = office.execute("SELECT locked_until FROM accounts").fetchone()[0]
    assert locked_until is not None
    assert not authenticate(office.cursor(), "li", PASSWORD, lockout=LOCK).ok  # still locked


def test_a_locked_or_disabled_account_answers_like_an_unknown_name(office):
    for n in range(5):
        authenticate(office, "li", f"wrong-{n}-xxxxx", lockout=LOCK)
    create_account(office, "zhao", PASSWORD, "领导")
    disable_account(office, "zhao")
    answers = {
        name: authenticate(office, name, PASSWORD, lockout=LOCK)
        for name in ("li", "zhao", "nobody")
    }
    assert {a.outcome for a in answers.values()} == {"refused"}
    assert [a.reason for a in answers.values()] == ["locked", "disabled", "unknown"]
    assert office.execute("SELECT locked_until IS NOT NULL FROM accounts WHERE username = 'li'"
                          ).fetchone() == (True,)  # the lock is still recorded  # fmt: skip


def test_every_refusal_costs_one_password_check(office, monkeypatch):
    checks: list[str] = []
    real = signin.verify_password
    monkeypatch.setattr(signin, "verify_password", lambda p, h: checks.append(p) or real(p, h))
    for n in range(5):
        authenticate(office, "li", f"wrong-{n}-xxxxx", lockout=LOCK)
    checks.clear()
    for name in ("li", "nobody"):  # locked, unknown: timing must not tell them apart
        authenticate(office, name, PASSWORD, lockout=LOCK)
    assert len(checks) == 2


def test_made_up_names_are_logged_under_one_actor_with_the_name_as_detail(office):
    for n in range(30):
        authenticate(office, f"guess{n:02d}", PASSWORD, lockout=LOCK)
    authenticate(office, "x" * 500, PASSWORD, lockout=LOCK)
    rows = failed_rows(office)
    assert {actor for actor, _, _ in rows} == {"未登录"}
    assert all(target is None for _, target, _ in rows)  # no account by those names
    assert rows[0][2] == "密码登录失败：无此账号；尝试的用户名：guess00"
    tried = rows[-1][2].rsplit("：", 1)[1]
    assert tried == "x" * 63 + "…"  # capped at 64 characters
    actors = office.execute("SELECT DISTINCT actor FROM audit_log").fetchall()
    assert actors == [("system",), ("未登录",)]  # the account's creation, and the attempts


def test_one_client_cannot_try_name_after_name(office, monkeypatch):
    monkeypatch.setenv("CADRE_CLIENT_MAX_FAILURES", "20")
    attacker, colleague = "203.0.113.7", "198.51.100.4"
    reasons = [
        authenticate(office, f"name{n}", "guess-guess-1", client=attacker, lockout=LOCK).reason
        for n in range(25)
    ]
    assert reasons == ["unknown"] * 20 + ["client_limit"] * 5
    # Not even the right password gets through from there, nor is the account's count touched;
    # another client signs in as usual.
    assert authenticate(office, "li", PASSWORD, client=attacker, lockout=LOCK).reason == (
        "client_limit"
    )
    assert authenticate(office, "li", PASSWORD, client=colleague, lockout=LOCK).ok
    addresses = office.execute(
        "SELECT DISTINCT client FROM audit_log WHERE action = 'sign_in_failed'"
    ).fetchall()
    assert addresses == [(attacker,)]


def test_the_client_limit_runs_out_with_the_lock_out_period(office, monkeypatch):
    monkeypatch.setenv("CADRE_CLIENT_MAX_FAILURES", "3")
    t0 = dt.datetime(2025, 11, 30, 9, 0)
    for n in range(3):
        authenticate(office, f"name{n}", "guess-guess-1", client="203.0.113.7", now=t0,
                     lockout=LOCK)  # fmt: skip
    assert authenticate(office, "li", PASSWORD, client="203.0.113.7", now=t0, lockout=LOCK
                        ).reason == "client_limit"  # fmt: skip
    later = t0 + LOCK + dt.timedelta(seconds=1)
    assert authenticate(office, "li", PASSWORD, client="203.0.113.7", now=later, lockout=LOCK).ok
