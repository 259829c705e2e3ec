"""Accounts, roles and what each role may do. Deny by default.

Passwords are stored as scrypt hashes (hashlib.scrypt, per-account random salt, cost stored with
the hash so it can be raised later) and compared in constant time. After MAX_FAILED_ATTEMPTS
consecutive failures an account is locked for config.lockout_minutes(); signing in (counting,
locking, auditing each attempt) is analytics.access.signin.

Command line (the password is read with getpass, or from stdin with --password-stdin; it is never
echoed or taken from the command line, where `ps` and shell history would show it):

    python -m analytics.access.auth create NAME --role 领导|管理员|小组导师 \
        [--group G] [--display D]
    python -m analytics.access.auth disable NAME
    python -m analytics.access.auth reset NAME          # new password, clears a lock-out
    python -m analytics.access.auth list
    (each takes --db PATH; default $CADRE_DB or the demo database)
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import hashlib
import hmac
import re
import secrets
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from analytics.access import audit
from analytics.common import config
from analytics.common.labels import t
from analytics.store.db import connect
from analytics.store.provenance import DemoDatabaseError, ensure_not_demo
from analytics.store.snapshot import command_line


class Role(StrEnum):
    """The roles an account can hold. Anything else (empty, misspelt, retired) is no role."""

    LEADER = "领导"
    ADMIN = "管理员"
    MENTOR = "小组导师"


ROLE_ALIASES = {"leader": Role.LEADER, "admin": Role.ADMIN, "mentor": Role.MENTOR}


def parse_role(value: object) -> Role | None:
    """The Role a stored or typed value names, or None (which is allowed nothing)."""
    if isinstance(value, Role):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return Role(text)
    except ValueError:
        return ROLE_ALIASES.get(text.lower())


class Capability(StrEnum):
    """Actions beyond reading the dashboards (which pages a role opens: ui.navigation)."""

    EXPORT_PERSONAL = "export_personal"  # 出生日期 and assessment results in downloads
    IMPORT_DATA = "import_data"  # 数据管理: templates, upload, commit
    EDIT_TARGETS = "edit_targets"  # the targets editor
    VIEW_AUDIT = "view_audit"  # the audit page
    SHARE_VIEWS = "share_views"  # 自助分析: offer a saved question to every account
    EDIT_RECORDS = "edit_records"  # 数据管理: edit, delete, merge 工号, undo a change
    FULL_BACKUP = "full_backup"  # 数据管理: the complete backup (accounts and audit log included)


ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.LEADER: frozenset(),
    Role.MENTOR: frozenset(),
}


def can(role: Role | str | None, capability: Capability) -> bool:
    """True only when a known role is granted `capability` (deny by default)."""
    known = parse_role(role)
    return known is not None and capability in ROLE_CAPABILITIES.get(known, frozenset())


class NotPermittedError(PermissionError):
    """A write refused because the role may not make it (message in Chinese)."""


def ensure_can(role: Role | str | None, capability: Capability) -> None:
    """Raise NotPermittedError unless `role` has `capability`: the check a function that
    writes makes itself, whatever page or command called it."""
    if not can(role, capability):
        known = parse_role(role)
        shown = known.value if known else t("access.no_role")
        raise NotPermittedError(t("access.write_refused", role=shown))


def restricted_group(role: Role | str | None, group: str | None) -> str | None:
    """The study group a role's rows are limited to (a 小组导师's own), None = not limited."""
    return group if parse_role(role) is Role.MENTOR else None


# Columns that are personal data under the office's rules (PIPL "minimum necessary"): left out
# of exports unless the role has EXPORT_PERSONAL. Both the database names and the Chinese
# headers a page may have renamed them to.
PERSONAL_COLUMNS: frozenset[str] = frozenset({
    "birth_date", "出生日期", "age", "年龄",
    "assessment", "assessments", "assessment_result", "result", "score", "grade_result",
    "考核结果", "考核等次", "结果", "分数", "得分", "评分", "考核", "考核情况",
})  # fmt: skip


def strip_personal(df: pd.DataFrame, role: Role | str | None) -> tuple[pd.DataFrame, list[str]]:
    """The frame a role may export, and the personal columns left out of it."""
    if can(role, Capability.EXPORT_PERSONAL):
        return df, []
    dropped = [c for c in df.columns if str(c).strip().lower() in PERSONAL_COLUMNS]
    return df.drop(columns=dropped), dropped


@dataclass(frozen=True)
class User:
    """Who is using the app in this session, and how they got in."""

    name: str  # account name; 演示:<role> in demo mode
    display_name: str
    role: Role | None
    study_group: str | None = None
    method: Literal["password", "header", "demo", "cli"] = "password"

    @property
    def visible_group(self) -> str | None:
        """The group this user's rows are limited to (None = every group)."""
        return restricted_group(self.role, self.study_group)

    @property
    def role_name(self) -> str | None:
        """The role as stored in audit rows and export sheets (None without a role)."""
        return self.role.value if self.role else None

    @property
    def label(self) -> str:
        """Who, as export sheets and the import log name them: 显示名（账号）."""
        return f"{self.display_name}（{self.name}）"

    @property
    def cache_scope(self) -> str:
        """What a cached result depends on besides the filters: role and row restriction."""
        return f"{self.role_name or '-'}|{self.visible_group or '*'}"


def cli_user() -> User:
    """Who a command line (import, undo, backup) acts as: whoever may open the database file,
    i.e. the machine's administrator, so 管理员; named by the operating-system account."""
    name = getpass.getuser()
    return User(f"cli:{name}", t("data.who.cli", user=name), Role.ADMIN, method="cli")


# ----- passwords -----
SCRYPT_N = 2**15  # ~32 MiB and ~0.1 s per hash: slow for a guesser, fine for a sign-in
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_PASSWORD_LENGTH = 10
MAX_FAILED_ATTEMPTS = 5


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
        maxmem=256 * r * n + 1024 * 1024,
    )  # fmt: skip


def hash_password(password: str) -> str:
    """A storable hash: scrypt$n$r$p$salt$key with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches a stored hash (constant-time compare; False if malformed)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
        return hmac.compare_digest(candidate, bytes.fromhex(key))
    except (ValueError, TypeError):
        return False


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is refused (Chinese), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。"
    if username and password.strip().lower() == username.strip().lower():
        return "密码不能与用户名相同。"
    if len(set(password)) < 4:
        return "密码过于简单，请混用字母、数字或符号。"
    return None


# ----- accounts -----
USERNAME = re.compile(r"[A-Za-z0-9_.@\-\u4e00-\u9fff]{2,64}")


class AccountError(ValueError):
    """A refused account change, with a message for the person who asked for it."""


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: Role | None  # None: empty or unknown in the table, so allowed nothing
    study_group: str | None
    disabled: bool
    failed_attempts: int
    locked_until: dt.datetime | None

    @property
    def visible_group(self) -> str | None:
        """The group this account's rows are limited to (None = every group)."""
        return restricted_group(self.role, self.study_group)


_ACCOUNT_COLUMNS = (
    "username, display_name, role, study_group, disabled, failed_attempts, locked_until"
)


def get_account(con: duckdb.DuckDBPyConnection, username: str) -> Account | None:
    """The account named `username`, or None."""
    row = con.execute(
        f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE username = ?", [username]
    ).fetchone()
    if row is None:
        return None
    return Account(row[0], row[1], parse_role(row[2]), row[3], bool(row[4]), int(row[5]), row[6])


def _checked_new(username: str, password: str, role: Role | str, group: str | None) -> Role:
    if not USERNAME.fullmatch(username or ""):
        raise AccountError("用户名须为 2–64 个字母、数字、汉字或 _ . @ -。")
    known = parse_role(role)
    if known is None:
        raise AccountError(f"未知角色：{role}（可选：{'、'.join(r.value for r in Role)}）。")
    if known is Role.MENTOR and not (group or "").strip():
        raise AccountError("小组导师须指定所负责的学习小组（--group）。")
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)
    return known


def create_account(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    role: Role | str,
    *,
    group: str | None = None,
    display_name: str | None = None,
    actor: str = "system",
    now: dt.datetime | None = None,
) -> Account:
    """Add an account (refused if the name is taken, the role unknown or the password weak)."""
    known = _checked_new(username, password, role, group)
    if get_account(con, username) is not None:
        raise AccountError(f"账号 {username} 已存在。")
    now = now or dt.datetime.now()
    group = group.strip() if known is Role.MENTOR and group else None
    detail = f"role={known.value}" + (f" group={group}" if group else "")
    with audit.audited(con, actor, audit.Action.ACCOUNT_CREATE, target=username, detail=detail):
        con.execute(
            "INSERT INTO accounts (username, display_name, role, study_group, password_hash, "
            "created_at, password_set_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [username, display_name or username, known.value, group, hash_password(password),
             now, now],
        )  # fmt: skip
    account = get_account(con, username)
    assert account is not None
    return account


def disable_account(
    con: duckdb.DuckDBPyConnection, username: str, *, actor: str = "system"
) -> None:
    """Stop an account from signing in (its audit history stays)."""
    if get_account(con, username) is None:
        raise AccountError(f"账号 {username} 不存在。")
    with audit.audited(con, actor, audit.Action.ACCOUNT_DISABLE, target=username):
        con.execute("UPDATE accounts SET disabled = true WHERE username = ?", [username])


def reset_password(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    *,
    actor: str = "system",
    enable: bool = False,
    now: dt.datetime | None = None,
) -> None:
    """Set a new password and clear any lock-out (and re-enable the account if asked)."""
    account = get_account(con, username)
    if account is None:
        raise AccountError(f"账号 {username} 不存在。")
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)
    with audit.audited(con, actor, audit.Action.ACCOUNT_RESET, target=username,
                       detail="enabled" if enable else None):  # fmt: skip
        con.execute(
            "UPDATE accounts SET password_hash = ?, password_set_at = ?, failed_attempts = 0, "
            "locked_until = NULL, disabled = CASE WHEN ? THEN false ELSE disabled END "
            "WHERE username = ?",
            [hash_password(password), now or dt.datetime.now(), enable, username],
        )


def has_accounts(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any account exists (a new database has none until the CLI creates one)."""
    return con.execute("SELECT EXISTS (SELECT 1 FROM accounts)").fetchone()[0]


def list_accounts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every account without its hash: name, role, group, state."""
    return con.execute(
        f"SELECT {_ACCOUNT_COLUMNS}, created_at, password_set_at FROM accounts ORDER BY username"
    ).df()


# ----- command line -----
def _read_password(from_stdin: bool, username: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"{username} 的新密码：")
    if getpass.getpass("再次输入：") != first:
        raise AccountError("两次输入的密码不一致。")
    return first


def _print_accounts(frame: pd.DataFrame) -> None:
    if frame.empty:
        print("（没有账号）")
        return
    for row in frame.itertuples():
        state = "停用" if row.disabled else "正常"
        if row.locked_until is not None and not pd.isna(row.locked_until):
            state += f"，锁定至 {row.locked_until:%Y-%m-%d %H:%M}"
        role = parse_role(row.role)
        group = f"（{row.study_group}）" if isinstance(row.study_group, str) else ""
        print(f"{row.username}\t{row.display_name}\t{role.value if role else '无角色'}{group}\t"
              f"{state}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analytics.access.auth",
        description="管理看板账号 (manage dashboard accounts)",
    )
    parser.add_argument("--db", type=Path, default=None, help="数据库文件（默认 $CADRE_DB）")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="新建账号")
    create.add_argument("username")
    create.add_argument("--role", required=True, help="领导 / 管理员 / 小组导师")
    create.add_argument("--group", help="小组导师所负责的学习小组")
    create.add_argument("--display", help="显示名称（默认同用户名）")
    create.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    disable = commands.add_parser("disable", help="停用账号")
    disable.add_argument("username")
    reset = commands.add_parser("reset", help="重设密码并解除锁定")
    reset.add_argument("username")
    reset.add_argument("--enable", action="store_true", help="同时重新启用已停用的账号")
    reset.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    commands.add_parser("list", help="列出账号")
    for sub in commands.choices.values():  # --db is accepted after the command, too
        sub.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    path = (args.db or config.db_path()).expanduser().resolve()
    actor = f"cli:{getpass.getuser()}"
    with command_line(path):  # app processes on snapshots see the result (make run-multi)
        try:
            con = connect(path)
        except duckdb.IOException as exc:
            print(f"无法打开数据库 {path}：{exc}\n若看板正在运行，请先停止看板再管理账号。",
                  file=sys.stderr)  # fmt: skip
            return 2
        try:
            if args.command == "list":
                _print_accounts(list_accounts(con))
                return 0
            if args.command == "disable":
                disable_account(con, args.username, actor=actor)
                print(f"已停用账号 {args.username}。")
                return 0
            if args.command == "create":
                ensure_not_demo(con)  # accounts on the demo do nothing: it opens without sign-in
            password = _read_password(args.password_stdin, args.username)
            if args.command == "create":
                if args.group and args.group not in _known_groups(con):
                    print(f"提示：数据中暂无学习小组“{args.group}”。", file=sys.stderr)
                account = create_account(
                    con, args.username, password, args.role, group=args.group,
                    display_name=args.display, actor=actor,
                )  # fmt: skip
                print(f"已创建账号 {account.username}（{account.role}）。")
            else:
                reset_password(con, args.username, password, actor=actor, enable=args.enable)
                print(f"已重设账号 {args.username} 的密码" + ("并启用。" if args.enable else "。"))
            return 0
        except (AccountError, DemoDatabaseError) as exc:
            print(str(exc), file=sys.stderr)
            return 1
        finally:
            con.close()


def _known_groups(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT DISTINCT study_group FROM cadres WHERE study_group IS NOT NULL")
    return {r[0] for r in rows.fetchall()}


if __name__ == "__main__":
    sys.exit(main())
