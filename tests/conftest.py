"""Shared pytest setup.

The repository root is put on sys.path by `pythonpath = ["."]` in pyproject.toml, so tests
import `analytics` and `ui` directly. Browser fixtures live in tests/browser/conftest.py.
"""

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from analytics.generators.demo import build_demo
from analytics.store.db import connect


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated demo database, built once per test session and only read; a test that
    writes works on a copy of its own. (The browser tests build theirs with the command line.)"""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path)
    return path


@pytest.fixture(scope="session")
def demo_con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the session's demo database, opened as the app opens it."""
    con = connect(demo_db)
    yield con
    con.close()
