"""A change killed mid-way leaves the database as it was: old state or new, nothing between.

A worker process does the change on a database file and is killed (SIGKILL, as a crash or a
power cut would stop it) inside the transaction: after the journal rows are written, and again
after the audit row, the last step before COMMIT, when every write is made but not committed.
Reopening the file (DuckDB replays its write-ahead log) must give back the old database exactly;
the same change left to finish gives the new one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from analytics.common.config import PROJECT_ROOT
from analytics.store.db import connect
from tests.curation_support import (
    CADRE_HEADERS,
    build_office,
    changed,
    file_snapshot,
    import_csv,
    operate,
)

OPERATIONS = ["edit", "delete", "merge", "undo"]
STAMPED = {"audit_log": 1, "change_log": 1}  # the column holding the time of writing


def office(tmp_path):
    path = build_office(tmp_path / "office.duckdb")
    con = connect(path)
    import_csv(
        con, "新人.csv", CADRE_HEADERS + "Q201,新人,女,1998-01-01,秘书二处,二组,,,2025-10-01,\n"
    )
    con.close()
    return path


def start(path, operation, pause_in):
    code = "import sys; from tests.curation_support import worker; worker(*sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(path), operation, pause_in],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def without_times(state):
    """A snapshot with the time of writing left out of the audit and journal rows."""
    return {
        table: sorted((tuple(v for i, v in enumerate(row) if i != STAMPED[table]) for row in rows),
                      key=repr) if table in STAMPED else rows
        for table, rows in state.items()
    }  # fmt: skip


@pytest.mark.parametrize("pause_in", ["journal.finish", "audit.record"])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_change_killed_inside_its_transaction_leaves_the_old_database(tmp_path, operation,
                                                                         pause_in):  # fmt: skip
    path = office(tmp_path)
    before = file_snapshot(path)
    worker = start(path, operation, pause_in)
    try:
        line = worker.stdout.readline().strip()
        assert line == "paused", worker.stderr.read()
    finally:
        worker.kill()
        worker.wait()
    assert file_snapshot(path) == before


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_same_change_left_to_finish_gives_the_new_database(tmp_path, operation):
    path = office(tmp_path)
    before = file_snapshot(path)
    here = tmp_path / "here.duckdb"
    shutil.copy(path, here)
    con = connect(here)
    operate(con, operation)
    con.close()
    worker = start(path, operation, "none")
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0 and out.strip() == "done", err
    there = file_snapshot(path)
    assert changed(before, there)  # it did change
    assert without_times(there) == without_times(file_snapshot(here))
