"""Shared pytest setup.

The repository root is put on sys.path by `pythonpath = ["."]` in pyproject.toml, so tests
import `analytics` and `ui` directly. Browser fixtures live in tests/browser/conftest.py.
"""

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from analytics.generators.demo import build_demo
from analytics.store.db import connect
from tests.officegen import Office, import_office, office

os.environ.setdefault("CADRE_WARM", "0")  # no background page runs under the tests (ui/warm.py)
# A test that opens the app without naming a database gets a demo in a folder of this process
# (ui.state builds the demo where CADRE_DB points), never data/demo.duckdb in the project:
# under pytest-xdist two workers would build that one file at once.
os.environ.setdefault(
    "CADRE_DB", str(Path(tempfile.mkdtemp(prefix="cadre-tests-")) / "demo.duckdb")
)


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


@pytest.fixture(scope="session")
def generated_office(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[int], tuple[Office, Path]]:
    """Generated offices (tests/officegen.py), each imported through the importer into a
    database file of its own once per session: seed → (office, path). Tests only read them."""
    directory = tmp_path_factory.mktemp("offices")
    made: dict[int, tuple[Office, Path]] = {}

    def get(seed: int) -> tuple[Office, Path]:
        if seed not in made:
            o = office(seed)
            made[seed] = (o, import_office(o, directory / f"office{seed}.duckdb"))
        return made[seed]

    return get
