"""Accounts: password hashing, roles deny by default, lock-out, audit of every attempt, the CLI."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import pytest

from analytics.access import auth, signin
from analytics.access.auth import (
    AccountError,
    Capability,
    Role,
    can,
    create_account,
    disable_account,
    hash_password,
    parse_role,
    reset_password,
    verify_password,
)
from analytics.access.signin import authenticate, sign_in_trusted
from analytics.store.db import connect
from tests.factories import database

T0 = dt.datetime(2025, 11, 30, 9, 0)
LOCK = dt.timedelta(minutes=15)
PASSWORD = "correct-horse-9"


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests need no brute-force resistance; the stored cost travels with each hash."""
    monkeypatch.setattr(auth, "SCRYPT_N", 2**10)
    monkeypatch.setattr(signin, "_DUMMY_HASH", None)


def audit_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT actor, action, role, detail FROM audit_log ORDER BY id").fetchall()


def with_account(role: str = "领导", **kw) -> duckdb.DuckDBPyConnection:
    con = database([])
    create_account(con, "li", PASSWORD, role, now=T0, **kw)
    return con


def test_hash_is_salted_scrypt_and_verifies_only_the_right_password():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second  # a fresh salt each time
    scheme, n, r, p, salt, key = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**10), "8", "1")
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(key)) == 32
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)
    assert not verify_password(PASSWORD + "x", first)
    assert not verify_password(PASSWORD, "md5$abc") and not verify_password(PASSWORD, "")


def test_the_default_cost_is_slow_enough():
    assert auth.SCRYPT_R * 128 * 2**15 >= 32 * 1024 * 1024  # the module's real default
    assert auth.MAX_FAILED_ATTEMPTS == 5


@pytest.mark.parametrize(
    ("value", "role"),
    [("领导", Role.LEADER), ("管理员", Role.ADMIN), (" 小组导师 ", Role.MENTOR),
     ("admin", Role.ADMIN), ("", None), (None, None), ("老板", None), ("超级管理员", None)],
)  # fmt: skip
def test_roles_are_an_enumeration_and_anything_else_is_no_role(value, role):
    assert parse_role(value) is role


def test_capabilities_are_denied_by_default():
    assert all(can(Role.ADMIN, c) for c in Capability)
    for role in (Role.LEADER, Role.MENTOR, None, "", "老板"):
        assert not any(can(role, c) for c in Capability)


def test_personal_fields_leave_exports_unless_the_role_may_export_them():
    import pandas as pd

    frame = pd.DataFrame({"工号": ["A"], "出生日期": ["1990-01-01"], "考核结果": ["优秀"],
                          "birth_date": [None], "score": [90], "参与率": [0.9]})  # fmt: skip
    kept, dropped = auth.strip_personal(frame, Role.LEADER)
    assert list(kept.columns) == ["工号", "参与率"]
    assert dropped == ["出生日期", "考核结果", "birth_date", "score"]
    assert list(auth.strip_personal(frame, Role.ADMIN)[0].columns) == list(frame.columns)
    assert list(auth.strip_personal(frame, None)[0].columns) == ["工号", "参与率"]


@pytest.mark.parametrize(
    ("name", "password", "role", "group", "message"),
    [
        ("li", "short", "领导", None, "至少需要 10"),
        ("li", "aaaaaaaaaaaa", "领导", None, "过于简单"),
        ("wangfang12", "wangfang12", "领导", None, "不能与用户名相同"),
        ("li", PASSWORD, "老板", None, "未知角色"),
        ("li", PASSWORD, "小组导师", None, "学习小组"),
        ("l i", PASSWORD, "领导", None, "用户名"),
    ],
)
def test_bad_accounts_are_refused_with_a_chinese_reason(name, password, role, group, message):
    con = database([])
    with pytest.raises(AccountError, match=message):
        create_account(con, name, password, role, group=group)
    assert con.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0


def test_create_stores_no_password_and_refuses_a_taken_name():
    con = with_account("小组导师", group="一组", display_name="李老师")
    stored = con.execute("SELECT password_hash, role, study_group FROM accounts").fetchone()
    assert PASSWORD not in stored[0] and stored[1:] == ("小组导师", "一组")
    account = auth.get_account(con, "li")
    assert account.visible_group == "一组" and account.display_name == "李老师"
    with pytest.raises(AccountError, match="已存在"):
        create_account(con, "li", PASSWORD, "领导")
    assert [r[:2] for r in audit_rows(con)] == [("system", "account_create")]


def test_sign_in_succeeds_and_is_audited():
    con = with_account()
    result = authenticate(con, "li", PASSWORD, now=T0, lockout=LOCK)
    assert result.ok and result.account.role is Role.LEADER
    assert audit_rows(con)[-1] == ("li", "sign_in", "领导", "密码登录")


def test_unknown_name_and_wrong_password_look_the_same_and_are_audited():
    con = with_account()
    unknown = authenticate(con, "nobody", PASSWORD, now=T0, lockout=LOCK)
    wrong = authenticate(con, "li", "wrong-password-1", now=T0, lockout=LOCK)
    assert unknown.outcome == wrong.outcome == "refused"
    assert (unknown.reason, wrong.reason) == ("unknown", "wrong_password")
    assert audit_rows(con)[-2:] == [
        ("未登录", "sign_in_failed", None, "密码登录失败：无此账号；尝试的用户名：nobody"),
        ("未登录", "sign_in_failed", None,
         "密码登录失败：密码错误（连续第 1/5 次）；尝试的用户名：li"),
    ]  # fmt: skip


def test_five_failures_lock_the_account_until_the_period_has_passed():
    con = with_account()
    for attempt in range(1, 5):
        result = authenticate(con, "li", f"wrong-{attempt}-xxxx", now=T0, lockout=LOCK)
        assert (result.outcome, result.failures) == ("refused", attempt)
    fifth = authenticate(con, "li", "wrong-5-xxxx", now=T0, lockout=LOCK)
    assert fifth.outcome == "refused" and fifth.locked_until == T0 + LOCK
    assert audit_rows(con)[-1][3] == (
        "密码登录失败：密码错误（连续第 5/5 次），账号锁定至 2025-11-30 09:15；尝试的用户名：li"
    )
    # Even the right password is refused while locked, and the refusal is audited.
    during = authenticate(con, "li", PASSWORD, now=T0 + LOCK - dt.timedelta(seconds=1),
                          lockout=LOCK)  # fmt: skip
    assert (during.outcome, during.reason) == ("refused", "locked") and not during.ok
    assert audit_rows(con)[-1][3] == (
        "密码登录失败：账号锁定中（至 2025-11-30 09:15），未校验密码；尝试的用户名：li"
    )
    after = authenticate(con, "li", PASSWORD, now=T0 + LOCK, lockout=LOCK)
    assert after.ok
    failed = [r for r in audit_rows(con) if r[1] == "sign_in_failed"]
    assert len(failed) == 6


def test_a_success_resets_the_count_and_an_expired_lock_starts_a_fresh_one():
    con = with_account()

    def attempt(password: str, when: dt.datetime = T0) -> tuple[str, int, bool]:
        result = authenticate(con, "li", password, now=when, lockout=LOCK)
        return result.reason, result.failures, result.locked_until is not None

    for _ in range(4):
        attempt("wrong-password")
    assert attempt(PASSWORD)[0] == "ok"
    # Four more after a success count from one and do not lock; the fifth does.
    assert [attempt("wrong-password") for _ in range(5)] == [
        ("wrong_password", n, n == 5) for n in range(1, 6)
    ]
    later = T0 + LOCK + dt.timedelta(minutes=1)
    # The lock ran out: this is failure 1 of a new count, not an instant re-lock.
    assert attempt("wrong-password", later) == ("wrong_password", 1, False)


def test_disabled_accounts_cannot_sign_in_and_reset_unlocks():
    con = with_account()
    for _ in range(5):
        authenticate(con, "li", "wrong-password", now=T0, lockout=LOCK)
    reset_password(con, "li", "another-horse-7", actor="cli:root")
    assert authenticate(con, "li", "another-horse-7", now=T0, lockout=LOCK).ok
    disable_account(con, "li", actor="cli:root")
    refused = authenticate(con, "li", "another-horse-7", now=T0, lockout=LOCK)
    assert (refused.outcome, refused.reason) == ("refused", "disabled")
    actions = [r[1] for r in audit_rows(con)]
    assert "account_reset" in actions and "account_disable" in actions


def test_a_failed_audit_write_fails_the_sign_in_and_keeps_the_counters():
    con = with_account()
    authenticate(con, "li", "wrong-password", now=T0, lockout=LOCK)
    con.execute("ALTER TABLE audit_log RENAME TO audit_log_gone")
    with pytest.raises(duckdb.Error):
        authenticate(con, "li", PASSWORD, now=T0, lockout=LOCK)
    with pytest.raises(duckdb.Error):
        authenticate(con, "li", "wrong-password", now=T0, lockout=LOCK)
    assert con.execute("SELECT failed_attempts FROM accounts").fetchone()[0] == 1


def test_an_account_with_an_unknown_role_signs_in_with_no_role():
    con = database([])
    create_account(con, "li", PASSWORD, "领导")
    con.execute("UPDATE accounts SET role = '老板'")
    result = authenticate(con, "li", PASSWORD, now=T0, lockout=LOCK)
    assert result.ok and result.account.role is None


def test_trusted_header_sign_in_needs_an_enabled_account_and_is_audited():
    con = with_account()
    assert sign_in_trusted(con, "li", now=T0).ok
    assert sign_in_trusted(con, "mallory", now=T0).outcome == "refused"
    assert [r[:2] + (r[3],) for r in audit_rows(con)[-2:]] == [
        ("li", "sign_in", "统一认证登录"),
        ("未登录", "sign_in_failed", "统一认证登录失败：无此账号；尝试的用户名：mallory"),
    ]  # fmt: skip


def test_command_line_creates_lists_resets_and_disables(tmp_path, monkeypatch, capsys):
    db = tmp_path / "office.duckdb"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert auth.main(["create", "zhang", "--role", "小组导师", "--group", "第一学习小组",
                      "--display", "张老师", "--password-stdin", "--db", str(db)]) == 0  # fmt: skip
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return "fresh-horse-42"

    monkeypatch.setattr(auth.getpass, "getpass", fake_getpass)
    assert auth.main(["--db", str(db), "reset", "zhang"]) == 0
    assert len(prompts) == 2  # asked twice, never echoed
    assert auth.main(["disable", "zhang", "--db", str(db)]) == 0
    assert auth.main(["list", "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert "zhang\t张老师\t小组导师（第一学习小组）\t停用" in out.out
    assert PASSWORD not in out.out + out.err and "fresh-horse-42" not in out.out + out.err
    assert auth.main(["disable", "nobody", "--db", str(db)]) == 1
    assert "不存在" in capsys.readouterr().err
    con = connect(db)
    account = con.execute("SELECT password_hash, disabled FROM accounts").fetchone()
    assert verify_password("fresh-horse-42", account[0]) and account[1] is True
    actions = [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY id").fetchall()]
    assert actions == ["account_create", "account_reset", "account_disable"]
    con.close()
