"""AppTest fixtures: the session's demo database (tests/conftest.py), selected through CADRE_DB."""

from __future__ import annotations

import logging
import re
import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics.access.auth import Role, User
from analytics.common.config import PROJECT_ROOT
from analytics.common.text import WORD_JOINER
from tests.apptest_support import use_navigation_mode
from ui.errors import ERROR_LOGGER

APP = str(PROJECT_ROOT / "app.py")

# One new cadre (Q9001) as a 青年干部 sheet in the template's columns, for upload tests.
CADRE_CSV = (
    "工号,姓名,性别,出生日期,处室,学习小组,职级,政治面貌,入职日期,调离日期\n"
    "Q9001,新同志,女,1999/9/9,秘书一处,第一学习小组,,共青团员,2025年11月3日,\n"
)


use_navigation_mode()  # the shim's reasons are in tests/apptest_support.py


@pytest.fixture(autouse=True)
def _use_demo_db(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_DB", str(demo_db))


@pytest.fixture
def own_db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the demo database that this test may write to; caches start empty."""
    path = tmp_path / "own.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("CADRE_DB", str(path))
    st.cache_data.clear()
    yield path
    st.cache_data.clear()


# The 管理员 of an office's own database, signed in (as after the sign-in form, ui.auth).
OFFICE_ADMIN = User("wang", "王某", Role.ADMIN)


@pytest.fixture
def office_db(own_db: Path) -> Path:
    """own_db as an office's own database: the same records, but not the generated demo, so
    imports are allowed and nobody gets in without signing in (open_page(user=…))."""
    query(own_db, "UPDATE meta SET value = 'import' WHERE key = 'source'")
    return own_db


def query(path: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Run one statement on a test's own database file (own_db or the like) and return its rows.

    A connection of its own, opened and closed here: DuckDB shares the file's database with the
    app's connection in this process, so the test reads what the app wrote. Read-only looks at
    the unchanged demo database use the session's `demo_con` instead.
    """
    con = duckdb.connect(str(path))
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def open_page(page: str | None = None, *, user: User | None = None, **query: str) -> AppTest:
    """Run the app (optionally with URL query parameters, and as `user` already signed in)
    and switch to `page`."""
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        at.session_state["user"] = user
        at.session_state["_auth_last_seen"] = time.time()
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """The page's st.metric values by label."""
    return {m.label: m.value for m in at.metric}


def number_input(at: AppTest, label: str):
    """The one number input labelled `label` (found by label, as a user finds it)."""
    (widget,) = [n for n in at.number_input if n.label == label]
    return widget


def visible(markdown: str) -> str:
    """What a reader sees of Markdown written with analytics.common.text.md: the backslash
    escapes and word joiners take no room on the screen."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


@pytest.fixture(autouse=True)
def _no_error_behind_the_boundary(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """ui.errors shows an unexpected exception as a message, not as st.exception: so that
    `assert not at.exception` still catches every failure, any error the boundary logged fails
    the test here, with its traceback (tests of the boundary itself opt out)."""
    yield
    if request.node.get_closest_marker("error_boundary"):
        return
    records = caplog.get_records("setup") + caplog.get_records("call")
    caught = [r for r in records if r.name == ERROR_LOGGER]
    if caught:
        record = caught[0]
        trace = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        pytest.fail(f"the error boundary caught: {record.getMessage()}\n{trace}")


@pytest.fixture
def offered(monkeypatch):
    """Every download button drawn: its file name and its data (called as a click would)."""
    from streamlit.delta_generator import DeltaGenerator

    buttons: dict[str, tuple[str, object]] = {}
    real_method, real_st = DeltaGenerator.download_button, st.download_button

    def method(self, label, data, *args, **kwargs):
        buttons[kwargs["key"]] = (kwargs.get("file_name"), data)
        return real_method(self, label, data, *args, **kwargs)

    def function(label, data, *args, **kwargs):
        buttons[kwargs["key"]] = (kwargs.get("file_name"), data)
        return real_st(label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", method)
    monkeypatch.setattr(st, "download_button", function)
    return buttons
