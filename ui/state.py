"""The cached connection, cached metric calls, and the session's current filters.

Each query runs on its own cursor: a DuckDB connection is not thread-safe and Streamlit runs
every browser session in its own thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

import duckdb
import streamlit as st

from analytics.access.auth import User
from analytics.common import config, fmt
from analytics.common.filters import Filters
from analytics.common.labels import t
from analytics.generators.demo import ensure_demo
from analytics.store.db import (
    as_of_date,
    connect,
    data_source,
    data_start,
    data_version,
    dimension_values,
)
from analytics.store.provenance import DEMO_SOURCE, is_generated_demo
from analytics.store.query import memo, restrict
from analytics.store.snapshot import Follower
from analytics.store.snapshot import writer as snapshot_writer
from ui import warm

T = TypeVar("T")


@st.cache_resource(show_spinner="正在打开数据库…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    _ensure_demo(path)
    return connect(path, memory_limit=config.duckdb_memory_limit())


@st.cache_resource(show_spinner="正在打开数据库…")
def _follower(path: str) -> Follower:
    _ensure_demo(path)
    return Follower(Path(path), memory_limit=config.duckdb_memory_limit())


def _ensure_demo(path: str) -> None:
    if Path(path) == config.DEMO_DB_PATH.resolve():
        ensure_demo(Path(path))  # a fresh clone runs on the generated demo database


def connection() -> duckdb.DuckDBPyConnection:
    """The process-wide connection to $CADRE_DB (the demo database by default) for reading:
    the newest published snapshot when several processes serve it (config.shared_processes)."""
    path = str(config.db_path())
    if config.shared_processes():
        return _follower(path).connection()
    return _connection(path)


Writer = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


def writer() -> Writer:
    """Where this session writes, and reads what only writers keep current (accounts, the
    audit log, saved views): a function that opens it for one task, callable from any thread
    (a download's callable runs outside the session: take the writer in the session).

    One process: a cursor of its connection. Several: the database itself under the writer
    lock, which publishes a new snapshot when the data version moved (analytics.store.snapshot).
    """
    path = config.db_path()
    if config.shared_processes():
        return lambda: snapshot_writer(path)
    con = _connection(str(path))
    return lambda: closing(con.cursor())


@contextmanager
def writing() -> Iterator[duckdb.DuckDBPyConnection]:
    """`with writing() as con:` one write (see writer)."""
    with writer()() as con:
        yield con


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of its own for this query (safe across Streamlit's session threads).

    It carries the signed-in user's row-level restriction (see analytics.store.query.restrict).
    """
    cur = connection().cursor()
    user = current_user()
    if user is not None and user.visible_group is not None:
        restrict(cur, user.visible_group)
    return cur


def current_user() -> User | None:
    """The user signed in to this session (ui.auth puts it there), or None."""
    user = st.session_state.get("user")
    return user if isinstance(user, User) else None


def signed_in_user() -> User:
    """The signed-in user with a role; a page never runs without one.

    Streamlit runs a pages/ file on its own, without app.py, in its legacy multipage mode,
    which a fresh server process is in until app.py first calls st.navigation: the first
    visitor's deep link (/participation) would skip the sign-in. Such a run is handed over
    to app.py (see _hand_over_to_app), which signs the visitor in first.
    """
    user = current_user()
    if user is not None and user.role is not None:
        return user
    if "filters" not in st.session_state:
        _hand_over_to_app()  # app.py has not run in this session: let it sign the user in
    st.stop()
    raise PermissionError("no signed-in user with a role")  # st.stop() raised already


def current_data_version() -> int:
    """The data version of the database (grows with every write)."""
    if config.shared_processes():
        return _follower(str(config.db_path())).data_version()
    return data_version(connection().cursor())  # meta is not row-restricted


def current_version() -> str:
    """Database path and data version: part of every cache key, so an import is seen at once
    and two databases (a test's and the demo) never share cached results."""
    return f"{config.db_path()}#{current_data_version()}"


@st.cache_data(show_spinner=False, max_entries=2048)
def _cached_call(
    _fn: Callable[..., T], name: str, _f: Filters | None, filters_key: str, version: str,
    scope: str, _visible_group: str | None, kwargs: dict[str, Any],
) -> T:  # fmt: skip
    con = connection().cursor()
    restrict(con, _visible_group)  # also for metrics called without filters
    with memo():  # a statement the metric repeats (through the metrics it calls) runs once
        return _fn(con, _f, **kwargs) if _f is not None else _fn(con, **kwargs)


def metric(fn: Callable[..., T], f: Filters | None = None, **kwargs: Any) -> T:
    """Call an analytics function `fn(con, f, **kwargs)`, cached by filters and data version.

    The key is the function's qualified name, the filters' JSON, the data version, the user's
    role and row restriction (so no entry filled for one role is served to another) and kwargs.
    Filters that lost the user's restriction (a page's model_copy) get it back here.
    """
    user = signed_in_user()
    visible = user.visible_group
    if f is not None and visible is not None and f.visible_group != visible:
        f = f.model_copy(update={"visible_group": visible, "group": visible})
    name = f"{fn.__module__}.{fn.__qualname__}"
    filters_key = f.model_dump_json() if f is not None else ""
    warm.remember(fn, f, user.cache_scope, kwargs)  # computed again after a write (ui/warm.py)
    return _cached_call(
        fn, name, f, filters_key, current_version(), user.cache_scope, visible, kwargs
    )


def shared(build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """build(*args, **kwargs) once for every session that passes equal arguments: a chart
    (plotly validates every property it is given: the city's cadre × month grid took about a
    sixth of 学习参与's run to build) or the axes a chart's clicks are read against.

    The value is the same object for every session (st.cache_resource, never copied), so
    nothing may change it afterwards: st.plotly_chart only reads a figure. The arguments are
    the key (Streamlit hashes the frames), so new data builds anew.
    """
    return _shared(build, f"{build.__module__}.{build.__qualname__}", args, kwargs)


@st.cache_resource(show_spinner=False, max_entries=256)
def _shared(_build: Callable[..., T], name: str, args: tuple[Any, ...],
            kwargs: dict[str, Any]) -> T:  # fmt: skip
    return _build(*args, **kwargs)


def compute_call(call: warm.Call) -> Any:
    """A remembered metric call, for the current data version, into metric()'s cache (the
    warming thread's; no session, so the user's restriction comes with the call's filters)."""
    f = call.f
    name = f"{call.fn.__module__}.{call.fn.__qualname__}"
    return _cached_call(call.fn, name, f, f.model_dump_json(), current_version(), call.scope,
                        f.visible_group, dict(call.kwargs))  # fmt: skip


def start_warming() -> None:
    """Start this process's cache warmer (ui/warm.py) for $CADRE_DB; never raises."""
    warm.start_warming(str(config.db_path()))


def facts() -> dict[str, Any]:
    """As-of date and the sidebar's choices, cached by data version."""
    return _cached_facts(current_version())


@st.cache_data(show_spinner=False)
def _cached_facts(version: str) -> dict[str, Any]:
    con = connection().cursor()  # the whole database's choices, whoever asks first
    values = dimension_values(con)
    values["as_of"] = as_of_date(con)
    values["data_start"] = data_start(con)
    # Demo mode (no sign-in) only while the records are the generated ones, whatever the
    # file is called or says it is (analytics.store.provenance).
    values["is_demo"] = is_generated_demo(con)
    values["demo_tainted"] = data_source(con) == DEMO_SOURCE and not values["is_demo"]
    return values


DEEP_LINK_KEY = "_deep_link"


def filters() -> Filters:
    """The filters the sidebar set on this run (app.py sets them before the page runs).

    On a database with no records yet there is no period to filter: the page says so and
    stops here, so no page has to handle a missing value.
    """
    if "filters" not in st.session_state:
        _hand_over_to_app()
    signed_in_user()
    f = st.session_state["filters"]
    if f is None:
        st.info(t("app.no_data"))
        st.stop()
    return f


def stop_if_not_started(f: Filters) -> None:
    """A period that starts after the data's as-of date, or ends before its first record, has
    nothing to show: say so and stop."""
    if f.is_empty:
        st.info(t("common.future_period"))
        st.stop()
    if f.before_data and f.data_start is not None:
        st.info(t("common.before_data", start=fmt.date(f.data_start)))
        st.stop()


def _hand_over_to_app() -> NoReturn:
    """Streamlit starts in its pages/-folder mode until st.navigation is first called, so a link
    straight to /awards on a freshly started server runs pages/awards.py without app.py. Note
    where the user was going (page and query) and let app.py take them there."""
    url_path = urlsplit(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    st.session_state[DEEP_LINK_KEY] = (url_path, st.query_params.to_dict())
    st.switch_page("app.py")
