"""Before the first import there are no records: every page says so instead of failing."""

import pytest

from analytics.store.db import connect
from tests.app.conftest import open_page
from ui.navigation import PAGE_SPECS

NO_DATA = "数据库中还没有记录。"


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    con = connect(path)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('source', 'demo')")  # no sign-in needed
    con.close()
    monkeypatch.setenv("CADRE_DB", str(path))
    return path


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[s.url_path for s in PAGE_SPECS])
def test_every_page_explains_an_empty_database(empty_db, spec):
    at = open_page(None if spec.default else spec.path)
    assert not at.exception, at.exception[0].value if at.exception else ""
    if spec.url_path != "audit":  # the audit log is about the app's use, not the records
        assert any(NO_DATA in i.value for i in at.info)
