"""Real-database mode: nothing before sign-in, sign-in and failures audited, lock-out, idle
timeout, sign-out, no-role accounts, the trusted proxy header; and per-role cache entries."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

import ui.auth
from analytics.access import auth
from analytics.access.auth import Role
from analytics.generators.demo import build_demo
from analytics.store.db import connect
from tests.app.conftest import APP, query, visible
from ui.navigation import PAGE_SPECS

PASSWORD = "correct-horse-9"
# One answer to every refused sign-in: no reply tells an unknown name from a locked account.
REFUSED = "用户名或密码错误，或账号暂不可用。连续输错 5 次密码，账号将锁定 15 分钟；如需帮助请联系管理员。"
ACCOUNTS = [
    ("boss", Role.LEADER, None),
    ("admin", Role.ADMIN, None),
    ("mentor2", Role.MENTOR, "第二学习小组"),
    ("norole", Role.LEADER, None),  # its role is blanked below
    ("oddrole", Role.LEADER, None),  # its role is set to an unknown one below
]


@pytest.fixture(scope="session")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo records, but not marked as the demo: sign-in is required."""
    path = tmp_path_factory.mktemp("real") / "office.duckdb"
    build_demo(path)
    con = connect(path)
    saved = auth.SCRYPT_N
    auth.SCRYPT_N = 2**10  # cheap hashes for tests; the cost is stored with each hash
    try:
        con.execute("UPDATE meta SET value = 'import' WHERE key = 'source'")
        for name, role, group in ACCOUNTS:
            auth.create_account(con, name, PASSWORD, role, group=group)
        con.execute("UPDATE accounts SET role = NULL WHERE username = 'norole'")
        con.execute("UPDATE accounts SET role = '老板' WHERE username = 'oddrole'")
    finally:
        auth.SCRYPT_N = saved
        con.close()
    return path


@pytest.fixture(autouse=True)
def _use_real_db(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_DB", str(real_db))
    # AppTest sessions all come from one (local) address; the tests' failures add up in the
    # shared database, so the per-client limit is tested on its own below.
    monkeypatch.setenv("CADRE_CLIENT_MAX_FAILURES", "1000")


def audit_rows(db: Path, actor: str) -> list[tuple]:
    """An account's audit rows, its failed sign-ins (logged under 未登录, target the account)
    included."""
    return query(
        db, "SELECT action, detail FROM audit_log WHERE actor = ? OR (actor = '未登录' AND "
        "target = ?) ORDER BY id", [actor, actor],
    )  # fmt: skip


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_in_username").input(name)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()
    assert not at.exception
    return at


def page_files(at: AppTest) -> set[str]:
    return {Path(str(i["script_path"])).name for i in at._registered_pages.values()
            if i.get("script_path")}  # fmt: skip


def test_a_real_database_shows_nothing_before_sign_in():
    at = start()
    assert [t.value for t in at.title] == ["登录"]
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox
    assert not any("数据截至" in c.value for c in at.sidebar.caption)
    assert page_files(at) == set()  # only the sign-in page (a function) is registered
    with pytest.raises(ValueError):
        at.switch_page("pages/overview.py")
    at.query_params["group"] = "第一学习小组"  # a shared link does not get past the form
    at.run()
    assert [t.value for t in at.title] == ["登录"] and not at.metric


def test_a_wrong_password_is_refused_and_audited(real_db):
    at = sign_in(start(), "boss", "not-the-password")
    assert [visible(e.value) for e in at.error] == [REFUSED]
    assert not at.metric
    assert audit_rows(real_db, "boss")[-1] == (
        "sign_in_failed",
        "密码登录失败：密码错误（连续第 1/5 次）；尝试的用户名：boss",
    )


ALL_FILES = {Path(spec.path).name for spec in PAGE_SPECS}


@pytest.mark.parametrize(
    ("name", "pages"),
    [("boss", ALL_FILES - {"data.py", "audit.py"}), ("admin", ALL_FILES)],
)
def test_sign_in_opens_the_roles_pages_and_is_audited(real_db, name, pages):
    at = sign_in(start(), name)
    assert [t.value for t in at.title] == ["总览"]
    assert {m.label: m.value for m in at.metric}["在岗青年干部"] == "82 人"
    assert page_files(at) == pages
    assert audit_rows(real_db, name)[-1] == ("sign_in", "密码登录")
    assert any(f"当前用户：{name}" in visible(c.value) for c in at.sidebar.caption)


def test_a_mentor_signs_in_to_their_own_group_only():
    at = sign_in(start(), "mentor2")
    box = at.selectbox(key="f_group")
    assert box.value == "第二学习小组" and box.disabled
    assert {m.label: m.value for m in at.metric}["在岗青年干部"] != "82"


@pytest.mark.parametrize("name", ["norole", "oddrole"])
def test_an_account_without_a_known_role_sees_nothing_but_a_message(name):
    at = sign_in(start(), name)
    assert [t.value for t in at.title] == ["无权访问"]
    assert "尚未分配有效角色" in at.warning[0].value
    assert page_files(at) == set() and not at.metric and not at.sidebar.selectbox
    with pytest.raises(ValueError):
        at.switch_page("pages/overview.py")


def test_five_failures_lock_the_account_even_for_the_right_password(real_db, monkeypatch):
    con = connect(real_db)
    auth.create_account(con, "victim", PASSWORD, Role.LEADER)
    con.close()
    at = start()
    for _ in range(5):
        sign_in(at, "victim", "guess-guess-1")
        assert visible(at.error[0].value) == REFUSED
    sign_in(at, "victim", PASSWORD)
    assert visible(at.error[0].value) == REFUSED and not at.metric
    details = [d for a, d in audit_rows(real_db, "victim") if a == "sign_in_failed"]
    assert "账号锁定至" in details[4] and len(details) == 6
    assert details[-1].startswith("密码登录失败：账号锁定中")


def test_a_locked_account_and_an_unknown_name_get_the_same_answer(real_db):
    con = connect(real_db)
    auth.create_account(con, "locked1", PASSWORD, Role.LEADER)
    con.close()
    at = start()
    for _ in range(5):
        sign_in(at, "locked1", "guess-guess-1")
    answers = {}
    for name in ("locked1", "nobody-at-all"):
        sign_in(at, name, PASSWORD)
        answers[name] = [e.value for e in at.error]
    assert answers["locked1"] == answers["nobody-at-all"]
    assert [visible(e) for e in answers["locked1"]] == [REFUSED]
    locked = query(real_db, "SELECT locked_until FROM accounts WHERE username = 'locked1'")
    assert locked[0][0] is not None  # the lock is recorded all the same


def test_a_client_over_its_limit_is_told_to_wait(monkeypatch):
    monkeypatch.setenv("CADRE_CLIENT_MAX_FAILURES", "1")
    monkeypatch.setattr(ui.auth, "_client_address", lambda: "203.0.113.9")
    at = sign_in(start(), "boss", "guess-guess-1")
    sign_in(at, "boss", PASSWORD)
    assert [visible(e.value) for e in at.error] == ["此地址登录失败次数过多，请 15 分钟后再试。"]
    assert not at.metric


def test_idle_sessions_are_signed_out(real_db):
    at = sign_in(start(), "boss")
    assert at.metric
    at.session_state["_auth_last_seen"] = time.time() - 31 * 60
    at.run()
    assert [t.value for t in at.title] == ["登录"] and not at.metric
    assert "已自动退出登录" in at.info[0].value
    assert audit_rows(real_db, "boss")[-1] == ("sign_out", "idle")


def test_sign_out_returns_to_the_sign_in_page(real_db):
    at = sign_in(start(), "boss")
    at.sidebar.button(key="sign_out").click().run()
    assert [t.value for t in at.title] == ["登录"] and not at.metric
    assert audit_rows(real_db, "boss")[-1] == ("sign_out", "button")


def test_trusted_header_is_off_by_default_and_signs_in_when_set(real_db, monkeypatch):
    monkeypatch.setattr(ui.auth, "_request_headers", lambda: {"X-Remote-User": "boss"})
    at = start()
    assert [t.value for t in at.title] == ["登录"]  # the header is ignored unless configured
    monkeypatch.setenv("CADRE_TRUSTED_USER_HEADER", "X-Remote-User")
    at = start()
    assert [t.value for t in at.title] == ["总览"]
    assert audit_rows(real_db, "boss")[-1] == ("sign_in", "统一认证登录")
    monkeypatch.setattr(ui.auth, "_request_headers", lambda: {"X-Remote-User": "mallory"})
    at = start()
    assert [t.value for t in at.title] == ["登录"]
    assert "mallory" in at.info[0].value
    assert query(real_db, "SELECT detail FROM audit_log WHERE actor = '未登录' AND "
                 "detail LIKE '%mallory%'") == [("统一认证登录失败：无此账号；尝试的用户名：mallory",)]  # fmt: skip


# ----- a cache entry filled for one role is never served to another -----
def _cached_groups_script() -> None:
    import streamlit as st

    from analytics.access.auth import Role, User
    from analytics.common.filters import Filters
    from tests.app.test_access_signin import every_group, every_group_unfiltered
    from ui.state import metric

    role = Role(st.session_state["as_role"])
    st.session_state["user"] = User("t", "t", role, "第二学习小组")
    # The same Filters for both roles, widened as a page comparing groups would.
    f = Filters(year=2025, as_of="2025-11-30", group=None)
    st.write("|".join(metric(every_group, f)["study_group"]))
    st.write("|".join(metric(every_group_unfiltered)["study_group"]))


def every_group(con: duckdb.DuckDBPyConnection, f) -> object:
    from analytics.store.query import run

    return run(con, "SELECT DISTINCT study_group FROM scoped_cadres(NULL, NULL) ORDER BY 1", f)


def every_group_unfiltered(con: duckdb.DuckDBPyConnection) -> object:
    return con.execute("SELECT DISTINCT study_group FROM scoped_cadres(NULL, NULL) ORDER BY 1").df()


@pytest.mark.parametrize("order", [["领导", "小组导师"], ["小组导师", "领导"]])
def test_a_cache_entry_filled_for_one_role_is_never_served_to_another(order):
    import streamlit as st

    st.cache_data.clear()
    seen = {}
    for role in order:
        at = AppTest.from_function(_cached_groups_script, default_timeout=60)
        at.session_state["as_role"] = role
        at.run()
        assert not at.exception
        seen[role] = [m.value for m in at.markdown]
    everyone = "第一学习小组|第三学习小组|第二学习小组|第四学习小组"
    assert seen["领导"] == [everyone, everyone]
    assert seen["小组导师"] == ["第二学习小组", "第二学习小组"]


def test_a_new_database_without_accounts_says_how_to_make_the_first(tmp_path, monkeypatch):
    monkeypatch.setenv("CADRE_DB", str(tmp_path / "new.duckdb"))
    at = start()
    assert [t.value for t in at.title] == ["登录"] and not at.metric
    assert "python -m analytics.access.auth create" in at.info[0].value
    at = sign_in(at, "admin", PASSWORD)
    assert [visible(e.value) for e in at.error] == [REFUSED]
