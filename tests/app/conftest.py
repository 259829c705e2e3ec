"""AppTest fixtures: one generated demo database per test session, selected through CADRE_DB."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.config import PROJECT_ROOT
from analytics.demo import build_demo
from tests.apptest_support import use_navigation_mode

APP = str(PROJECT_ROOT / "app.py")


use_navigation_mode()  # the shim's reasons are in tests/apptest_support.py


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
