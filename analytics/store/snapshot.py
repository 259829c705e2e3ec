"""Several app processes on one database: one writer at a time on the file, a published
read-only copy of it for everyone who only reads.

DuckDB lets one process open a file for writing, and while it is open so, no other process may
open it at all. So with several processes (`make run-multi`), none keeps the database open:

- **Readers** open the newest *published snapshot*, a copy of the database in
  `<database>.snapshots/`, read only (any number of processes may). `Follower` holds that
  connection and opens the next snapshot when the pointer file `current` names a new one.
- **Writers** (an import, an edit, a sign-in's audit row, a saved view: every statement that
  writes, and every read of the tables only writers keep current: accounts, audit_log,
  saved_views) take the lock file `<database>.lock` (`fcntl.flock`, so a process that dies
  lets go of it), open the database itself for the statement and close it again (`writer`).
  When the data version moved, the writer publishes a new snapshot before it lets go.

The snapshots are whole copies: an import or an edit costs a copy of the file, during which
readers see the previous version (their cache keys carry the data version, so nothing stale
is served once the pointer moves).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb

from analytics.store.db import apply_settings, data_version

POINTER = "current"
KEEP = 3  # snapshots kept: the current one and two a slow reader may still have open


def snapshot_dir(database: Path) -> Path:
    """Where the published copies of `database` are kept."""
    return database.with_name(database.name + ".snapshots")


def lock_file(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextmanager
def write_lock(database: Path) -> Iterator[None]:
    """Hold the database's writer lock (waits for another process's writer to finish)."""
    with open(lock_file(database), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current(database: Path) -> Path | None:
    """The snapshot readers should use now, or None before the first publish."""
    try:
        name = (snapshot_dir(database) / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = snapshot_dir(database) / name
    return path if name and path.exists() else None


def publish(database: Path) -> Path:
    """Copy the (closed, checkpointed) database to a new snapshot and point readers at it.

    The caller holds the writer lock. The copy is written under a temporary name and renamed,
    and the pointer is replaced atomically, so a reader never opens a half-written file. Older
    snapshots beyond KEEP are deleted: a process that still has one open keeps reading it (the
    file lives on until it is closed).
    """
    folder = snapshot_dir(database)
    folder.mkdir(exist_ok=True)
    con = duckdb.connect(str(database), read_only=True)
    try:
        version = data_version(con)
    finally:
        con.close()
    name = f"v{version}-{os.getpid()}-{threading.get_ident()}.duckdb"
    partial = folder / (name + ".partial")
    shutil.copyfile(database, partial)
    target = folder / name
    partial.replace(target)
    pointer = folder / (POINTER + ".partial")
    pointer.write_text(name, encoding="utf-8")
    pointer.replace(folder / POINTER)
    kept = sorted(folder.glob("v*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)
    return target


@contextmanager
def writer(database: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database itself, opened for writing under the writer lock, for one short task: a
    cursor of its own (each task runs its own transactions, as on one process's connection).

    Opening the file costs some 30-50 ms, whatever its size: under a rush of sign-ins, each
    opening it for its one audit row kept the others of every process waiting for the lock.
    So the tasks of one process that want to write at the same time share one opening
    (`_Opening`), and the file is closed (checkpointed, so that a copy holds every write) when
    the last of them is done; a new snapshot is then published if the data version moved, or
    if there is none yet.
    """
    with _opening(database).task() as con:
        yield con


class _Opening:
    """One process's opening of the database for its writers (see writer)."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self._lock = threading.Lock()
        self._tasks = 0
        self._con: duckdb.DuckDBPyConnection | None = None
        self._held = ExitStack()  # the writer lock, held from the first task to the last
        self._before = 0

    @contextmanager
    def task(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._con is None:
                self._held.enter_context(write_lock(self.database))
                try:
                    self._con = duckdb.connect(str(self.database))
                    self._before = data_version(self._con)
                except BaseException:
                    self._held.close()
                    raise
            self._tasks += 1
            cursor = self._con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()  # an unfinished transaction of the task is rolled back
            with self._lock:
                self._tasks -= 1
                if self._tasks == 0:
                    self._close()

    def _close(self) -> None:
        con, self._con = self._con, None
        assert con is not None
        changed = False
        try:
            changed = data_version(con) != self._before
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with self._held:  # let go of the lock once published
            if changed or current(self.database) is None:
                publish(self.database)


_openings: dict[Path, _Opening] = {}
_openings_lock = threading.Lock()


def _opening(database: Path) -> _Opening:
    with _openings_lock:
        return _openings.setdefault(database, _Opening(database))


@contextmanager
def command_line(database: Path) -> Iterator[None]:
    """For a command that opens the database itself (an import, an account, a backup from the
    command line): hold the writer lock while it runs, and if app processes read snapshots
    of the file and the command changed it, publish a new one when it is done."""
    if not database.exists():
        yield
        return
    with write_lock(database):
        before = _file_state(database)
        yield
        if snapshot_dir(database).exists() and _file_state(database) != before:
            publish(database)


def _file_state(database: Path) -> tuple[tuple[int, int], ...]:
    files = (database, database.with_name(database.name + ".wal"))
    return tuple((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else (0, 0) for f in files)


class Follower:
    """A process's read-only connection to the newest snapshot of `database`.

    `connection()` checks the pointer (a stat of one small file) and opens the next snapshot
    when it moved. The previous connection is not closed here: cursors of it that are still
    running finish on it, and it is closed when the last of them is released.
    """

    def __init__(self, database: Path, memory_limit: str | None = None) -> None:
        self.database = database
        self.memory_limit = memory_limit
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None  # the pointer file's (inode, mtime_ns)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._path: Path | None = None
        self._version = 0

    def connection(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            seen = self._pointer_state()
            if seen is None:  # the first reader publishes the first copy
                with writer(self.database):
                    pass
                seen = self._pointer_state()
            if self._con is None or seen != self._seen:
                path = current(self.database)
                if path is None:
                    raise FileNotFoundError(snapshot_dir(self.database) / POINTER)
                if path != self._path or self._con is None:
                    con = duckdb.connect(str(path), read_only=True)
                    if self.memory_limit:
                        apply_settings(con, memory_limit=self.memory_limit)
                    self._version = data_version(con)
                    self._con, self._path = con, path
                self._seen = seen
            return self._con

    def data_version(self) -> int:
        """The data version of the snapshot connection() gives now (a copy never changes, so
        it is read once, when the copy is opened)."""
        self.connection()
        return self._version

    def _pointer_state(self) -> tuple[int, int] | None:
        try:
            stat = (snapshot_dir(self.database) / POINTER).stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns
