"""Who is using this session: sign-in page, demo-mode role picker, trusted proxy header,
idle timeout and sign-out. app.py asks `session_user` first and builds navigation from the role.

- Demo database (meta source = 'demo'): no sign-in; a clearly labelled 演示模式 picker in the
  sidebar chooses the role (管理员 by default, so `make run` shows every page).
- Any other database: nothing but the sign-in page until a password sign-in succeeds, or, when
  $CADRE_TRUSTED_USER_HEADER is set, the account a trusted reverse proxy names in that header.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import streamlit as st

from analytics.access import audit
from analytics.access.auth import (
    Capability,
    Role,
    User,
    can,
    has_accounts,
)
from analytics.access.signin import authenticate, sign_in_trusted
from analytics.common import config
from analytics.common.labels import t
from analytics.common.text import md
from ui.state import current_user, facts, signed_in_user, writing

USER_KEY = "user"
LAST_SEEN_KEY = "_auth_last_seen"
FLASH_KEY = "_auth_flash"
HEADER_TRIED_KEY = "_auth_header_tried"
DEMO_ROLE_KEY = "demo_role"
DEMO_GROUP_KEY = "demo_group"


def session_user(known: dict[str, Any]) -> User | None:
    """The user of this run (drawing the demo picker in demo mode), or None: sign in first."""
    if known.get("is_demo"):
        user = _demo_user(known)
        st.session_state[USER_KEY] = user
        return user
    user = current_user()
    if user is not None and user.method == "demo":  # the database is no longer the demo one
        user = None
        st.session_state.pop(USER_KEY, None)
    if user is not None and _idle_too_long():
        _sign_out(user, reason="idle")
        st.session_state[FLASH_KEY] = t(
            "access.idle_signed_out", minutes=f"{config.idle_timeout_minutes():g}"
        )
        user = None
    if user is None:
        user = _from_trusted_header()
    if user is not None:
        st.session_state[LAST_SEEN_KEY] = time.time()
    return user


def _idle_too_long() -> bool:
    last = st.session_state.get(LAST_SEEN_KEY)
    return last is not None and time.time() - last > 60 * config.idle_timeout_minutes()


def _from_trusted_header() -> User | None:
    header = config.trusted_user_header()
    if header is None:
        return None
    name = (_request_headers().get(header) or "").strip()
    if not name or st.session_state.get(HEADER_TRIED_KEY) == name:
        return None  # a refused name is audited once per session, not on every rerun
    st.session_state[HEADER_TRIED_KEY] = name
    try:
        with writing() as con:
            result = sign_in_trusted(con, name, client=_client_address())
    except Exception:  # the audit row could not be written: no sign-in
        st.session_state[FLASH_KEY] = t("access.audit_failed")
        return None
    if not result.ok or result.account is None:
        st.session_state[FLASH_KEY] = t("access.header_refused", name=name)
        return None
    account = result.account
    user = User(account.username, account.display_name, account.role, account.study_group,
                method="header")  # fmt: skip
    st.session_state[USER_KEY] = user
    return user


def _request_headers() -> Any:
    """The headers of the request that opened this session (set by the reverse proxy)."""
    return st.context.headers


def _client_address() -> str | None:
    """The address this session connects from (None: the same machine). Behind a reverse proxy
    on this machine it is the X-Forwarded-For the proxy sets (uvicorn trusts it from there)."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # AppTest's context is a mock


def _demo_user(known: dict[str, Any]) -> User:
    """The demo picker's choice, read before the picker is drawn (widget state is set before
    the run starts), so that navigation can be built from it; 管理员 until changed."""
    role = Role(st.session_state.get(DEMO_ROLE_KEY, Role.ADMIN))
    groups: list[str] = known.get("groups") or []
    group = None
    if role is Role.MENTOR:
        group = st.session_state.get(DEMO_GROUP_KEY)
        if group not in groups:
            group = groups[0] if groups else None
    return User(f"演示:{role.value}", t("access.demo.user", role=role.value), role, group, "demo")


def _demo_picker(known: dict[str, Any]) -> None:
    groups: list[str] = known.get("groups") or []
    with st.sidebar.container(border=True):
        st.markdown(f"**{t('access.demo.title')}**")
        st.caption(t("access.demo.hint"))
        role = st.selectbox(
            t("access.demo.role"), list(Role), index=list(Role).index(Role.ADMIN),
            key=DEMO_ROLE_KEY, format_func=lambda r: Role(r).value,
        )  # fmt: skip
        if Role(role) is Role.MENTOR and groups:
            st.selectbox(t("access.demo.group"), groups, key=DEMO_GROUP_KEY)


def sign_in_page() -> None:
    """The only page of a session that has not signed in."""
    st.title(t("access.sign_in.title"))
    st.caption(t("app.title"))
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:  # may name the account a proxy header gave: shown, never rendered
        st.info(md(flash), icon=":material/info:")
    if facts().get("demo_tainted"):
        st.warning(t("access.demo_tainted"), icon=":material/shield_lock:")
    with writing() as con:
        no_accounts = not has_accounts(con)
    if no_accounts:
        st.info(t("access.no_accounts"), icon=":material/person_add:")
    with st.form("sign_in", clear_on_submit=True):
        username = st.text_input(t("access.username"), key="sign_in_username")
        password = st.text_input(t("access.password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("access.sign_in.submit"), type="primary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(t("access.missing"))
        return
    try:
        with writing() as con:
            result = authenticate(con, username.strip(), password, client=_client_address())
    except Exception:  # the audit row could not be written: no sign-in
        st.error(t("access.audit_failed"))
        return
    if result.ok and result.account is not None:
        account = result.account
        st.session_state[USER_KEY] = User(
            account.username, account.display_name, account.role, account.study_group
        )
        st.session_state[LAST_SEEN_KEY] = time.time()
        st.session_state.pop("_filters_seeded", None)  # seed this user's filters from the URL
        st.rerun()
    else:  # one message whatever the reason, so that no answer tells which names exist
        minutes = f"{config.lockout_minutes():g}"
        limited = result.reason == "client_limit"  # about this address, not about any account
        st.error(md(t("access.client_limited" if limited else "access.refused", minutes=minutes)))


def no_access_page() -> None:
    """What an account with no role, or an unknown one, sees: a message and nothing else."""
    st.title(t("access.no_access.title"))
    st.warning(t("access.no_access.body"), icon=":material/block:")


def account_box(user: User, known: dict[str, Any]) -> None:
    """Who is signed in, in the sidebar, with sign-out; in demo mode the 演示模式 role picker."""
    if user.method == "demo":
        _demo_picker(known)
        return
    role = user.role_name or t("access.no_role")
    scope = f" · {user.study_group}" if user.visible_group else ""
    with st.sidebar:
        st.caption(md(t("access.signed_in_as", name=user.display_name, role=role) + scope))
        if st.button(t("access.sign_out"), key="sign_out", icon=":material/logout:"):
            _sign_out(user, reason="button")
            st.rerun()


def _sign_out(user: User, reason: str) -> None:
    for key in (USER_KEY, LAST_SEEN_KEY, HEADER_TRIED_KEY, "_filters_seeded"):
        st.session_state.pop(key, None)
    # Giving up access must never fail for want of a log row.
    with contextlib.suppress(Exception), writing() as con:
        audit.record(con, user.name, audit.Action.SIGN_OUT, role=user.role_name, detail=reason)


PROFILE_OPENED_KEY = "_profile_opened"


def record_profile_view(cadre_id: str) -> None:
    """Audit the opening of one cadre's 干部档案 (once per opening: a new cadre, new filters, or
    coming back from another page; not every rerun). Stops the page if the row cannot be
    written, so no record is shown unlogged."""
    user = signed_in_user()
    f = st.session_state.get("filters")
    opening = (cadre_id, f.model_dump_json() if f is not None else "")
    if st.session_state.get(PROFILE_OPENED_KEY) == opening:
        return
    try:
        with writing() as con:
            audit.record(con, user.name, audit.Action.VIEW_PROFILE, target=cadre_id, filters=f,
                         role=user.role_name)  # fmt: skip
    except Exception:
        st.error(t("access.audit_failed"), icon=":material/error:")
        st.stop()
    st.session_state[PROFILE_OPENED_KEY] = opening


def left_page(url_path: str) -> None:
    """Forget per-page openings when another page runs, so coming back is a new opening."""
    if url_path != "profile":
        st.session_state.pop(PROFILE_OPENED_KEY, None)


def audit_hook(
    action: audit.Action, target: str | None = None, detail: str | None = None
) -> audit.AuditHook:
    """An audit row for a write function to append inside its own transaction (who, when, what,
    the page's filters, how many rows); if it cannot be written, the write is rolled back."""
    user = signed_in_user()
    filters = st.session_state.get("filters")

    def write(con: Any, rows: int) -> None:
        audit.record(con, user.name, action, role=user.role_name,
                     target=target, filters=filters, row_count=rows, detail=detail)  # fmt: skip

    return write


def may(capability: Capability) -> bool:
    """Whether the signed-in user's role has `capability` (for showing or hiding a control)."""
    user = current_user()
    return user is not None and can(user.role, capability)


def require(capability: Capability) -> User:
    """Stop the page with a message unless the signed-in user's role has `capability`."""
    user = signed_in_user()  # stops a run that bypassed app.py (see ui.state)
    if not can(user.role, capability):
        st.error(t("access.not_permitted"), icon=":material/block:")
        st.stop()
    return user
