"""The app as one of several processes (make run-multi, CADRE_SNAPSHOTS=1): every page reads a
published snapshot, and what it writes reaches the database and the next snapshot."""

from __future__ import annotations

import pytest

from analytics.store.snapshot import current, snapshot_dir
from tests.app.conftest import OFFICE_ADMIN, number_input, open_page, query
from tests.app.test_quotas_app import ROTATION, summary
from ui.navigation import PAGE_SPECS


@pytest.fixture
def shared_db(office_db, monkeypatch):
    monkeypatch.setenv("CADRE_SNAPSHOTS", "1")
    return office_db


def test_every_page_runs_on_the_snapshot(shared_db):
    at = open_page(user=OFFICE_ADMIN)
    assert not at.exception
    first = current(shared_db)
    assert first is not None  # the first reader published the first copy
    for spec in PAGE_SPECS:
        at.switch_page(spec.path).run()
        assert not at.exception, spec.url_path
        assert at.title, spec.url_path
    assert current(shared_db) == first  # reading and signing in published nothing new


def test_a_target_saved_under_several_processes_is_written_and_published(shared_db):
    at = open_page("pages/quotas.py", user=OFFICE_ADMIN, year="2025")
    before = current(shared_db)
    assert summary(at).loc[ROTATION, "状态"] == "落后"
    number_input(at, f"{ROTATION}（%）").set_value(20)
    at.button(key="FormSubmitter:quotas_targets_2025-保存目标").click().run()
    assert not at.exception
    assert summary(at).loc[ROTATION, "目标"] == "每年 20%"  # read back from the new copy
    assert current(shared_db) != before
    stored = "SELECT value FROM targets WHERE year = 2025 AND metric = 'rotation_share'"
    assert query(shared_db, stored)[0][0] == 0.2  # the database itself has it
    actions = [r[0] for r in query(shared_db, "SELECT action FROM audit_log")]
    assert "targets_change" in actions  # with its audit row, in the same file
    assert len(list(snapshot_dir(shared_db).glob("v*.duckdb"))) == 2
