"""Several processes on one database (analytics.store.snapshot): readers on a published copy,
writers one at a time on the file, and what each of them then sees."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pytest

from analytics.access import audit
from analytics.store import snapshot
from analytics.store.db import bump_data_version, connect, data_version
from analytics.store.snapshot import (
    KEEP,
    Follower,
    current,
    snapshot_dir,
    write_lock,
    writer,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "office.duckdb"
    connect(path).close()
    return path


def _audit_rows(db: Path) -> int:
    with write_lock(db):
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        finally:
            con.close()


def test_the_first_reader_publishes_and_a_write_that_moves_the_version_publishes_again(db):
    follower = Follower(db)
    first = current(db)
    assert first is None
    con = follower.connection()
    first = current(db)
    assert first is not None and data_version(con) == 0

    with writer(db) as w:  # an audit row does not change the data: no new copy
        audit.record(w, "wang", audit.Action.SIGN_IN)
    assert current(db) == first
    assert follower.connection() is con

    with writer(db) as w:
        bump_data_version(w)
        moved = data_version(w)
    assert current(db) != first
    new = follower.connection()
    assert new is not con and data_version(new.cursor()) == moved
    assert data_version(con.cursor()) == moved - 1  # a run still on the old copy finishes on it


def test_a_failed_write_publishes_nothing_and_lets_go_of_the_lock(db):
    Follower(db).connection()
    before = current(db)
    with pytest.raises(RuntimeError), writer(db) as w:
        w.execute("BEGIN")
        bump_data_version(w)
        raise RuntimeError("refused")
    assert current(db) == before
    with writer(db) as w:  # not held any more, and nothing was kept
        assert data_version(w) == 0


def test_old_copies_are_deleted_but_one_still_open_keeps_reading(db):
    follower = Follower(db)
    oldest = follower.connection()
    for _ in range(KEEP + 2):
        with writer(db) as w:
            bump_data_version(w)
    kept = sorted(snapshot_dir(db).glob("v*.duckdb"))
    assert len(kept) == KEEP
    assert data_version(oldest.cursor()) == 0  # its file is gone from the folder, not from it
    assert data_version(follower.connection().cursor()) == KEEP + 2


def test_writers_of_one_process_at_the_same_time_share_one_opening(db, monkeypatch):
    """Opening the file costs tens of ms: a rush of sign-ins must not open it once each."""
    Follower(db).connection()
    opened: list[str] = []
    real_connect = duckdb.connect

    def counting(path: str, *args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        opened.append(Path(path).name)
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(snapshot.duckdb, "connect", counting)
    inside = threading.Barrier(8, timeout=30)

    def sign_in(i: int) -> None:
        with writer(db) as w:
            inside.wait()  # all eight are writing at once
            audit.record(w, f"user{i}", audit.Action.SIGN_IN)

    threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert opened.count(db.name) == 1
    assert _audit_rows(db) == 8


def _write_rows(db: str, n: int) -> int:
    for i in range(n):
        with writer(Path(db)) as w:
            audit.record(w, f"p{i}", audit.Action.EXPORT)
            if i % 5 == 0:
                bump_data_version(w)
    return n


def _read_versions(db: str, n: int) -> list[int]:
    follower = Follower(Path(db))
    return [data_version(follower.connection().cursor()) for _ in range(n)]


def test_processes_write_one_at_a_time_while_another_reads(db):
    Follower(db).connection()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(3, mp_context=context) as pool:
        writes = [pool.submit(_write_rows, str(db), 15) for _ in range(2)]
        reads = pool.submit(_read_versions, str(db), 200)
        assert [w.result(timeout=120) for w in writes] == [15, 15]  # no lock conflict
        versions = reads.result(timeout=120)
    assert versions == sorted(versions)  # a reader never goes back to an older copy
    assert _audit_rows(db) == 30
    with writer(db) as w:
        assert data_version(w) == 2 * 3
    assert data_version(Follower(db).connection().cursor()) == 2 * 3
