"""AppTest fixtures: one generated demo database per test session, selected through CADRE_DB."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from analytics.config import PROJECT_ROOT
from analytics.demo import build_demo

APP = str(PROJECT_ROOT / "app.py")


class _NavigationPagesManager(PagesManager):
    """AppTest (Streamlit 1.67) resets PagesManager.uses_pages_directory before every run and
    re-detects our pages/ folder, so every run after the first executes the page file alone in
    the old pages-directory mode, skipping app.py (no sidebar, stale filters). A running server
    switches to st.navigation mode for good once app.py calls it. AppTest writes the reset to
    this subclass; the base class, which the script runner reads, stays in navigation mode."""


PagesManager.uses_pages_directory = False
app_test_module.PagesManager = _NavigationPagesManager


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly generated demo database, shared read-only by the app tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path)
    return path


@pytest.fixture(autouse=True)
def _use_demo_db(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_DB", str(demo_db))


def open_page(page: str | None = None, **query: str) -> AppTest:
    """Run the app (optionally with URL query parameters) and switch to `page`."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at
