"""The complete backup: a consistent copy of the whole database file — the office's records and
also the accounts, the audit log, the import history, the change journal, saved views, settings
and the derived tables — taken while the app runs, and its restore.

The copy is DuckDB's own EXPORT DATABASE (schema, sequences at their current values, every
table as Parquet), run on a cursor of the app's connection inside one read transaction whose
first statement counts every table: the export and the counts are one snapshot, so writes made
meanwhile by other sessions are either wholly in the copy or wholly not. It is zipped with a
manifest (the counts, the data version, when, DuckDB's version). Restoring (IMPORT DATABASE)
builds a new database file beside the target and renames it into place only when every table
holds the manifest's rows, so a failed restore leaves nothing behind; it never overwrites a file.

(The 数据管理 page's other backup, the workbook in the template format, holds the office's
records only: analytics.dataio.templates.backup_xlsx.)

Command line (the app holds the file while it runs: download the complete backup from 数据管理
then, or stop the app to make one here):

    python -m analytics.curation.backup create 完整备份.zip [--db PATH]
    python -m analytics.curation.backup restore 完整备份.zip --db /srv/new/cadres.duckdb
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import duckdb

from analytics.access import audit
from analytics.access.auth import Capability, User, cli_user, ensure_can
from analytics.common import config
from analytics.common.labels import t
from analytics.store.db import connect, data_version
from analytics.store.snapshot import command_line

FORMAT = "cadre-dashboard-complete-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class BackupError(ValueError):
    """A backup that cannot be restored, or a target that must not be written (Chinese)."""


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table of the database file (the derived ones included), by name."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table (names from the catalog itself, quoted)."""
    return {
        name: int(con.execute(f'SELECT count(*) FROM "{name.replace(chr(34), chr(34) * 2)}"')
                  .fetchone()[0])
        for name in base_tables(con)
    }  # fmt: skip


def complete_backup(con: duckdb.DuckDBPyConnection, user: User) -> bytes:
    """The complete backup as a zip (for a 管理员: it holds the accounts' password hashes and
    the audit log). `con` is a cursor of its own: the read transaction is opened on it."""
    ensure_can(user.role, Capability.FULL_BACKUP)
    with tempfile.TemporaryDirectory(prefix="cadre-backup-") as tmp:
        directory = Path(tmp) / "database"
        con.execute("BEGIN TRANSACTION")
        try:
            counts = table_counts(con)  # the first statement: the snapshot starts here
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "taken_at": dt.datetime.now().isoformat(timespec="seconds"),
                "taken_by": user.label, "duckdb": duckdb.__version__,
                "data_version": data_version(con), "tables": counts,
            }  # fmt: skip
            _export(con, directory)
        finally:
            con.execute("ROLLBACK")  # read only: nothing to keep
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            for path in sorted(directory.iterdir()):
                archive.write(path, path.name)
        return buffer.getvalue()


def _export(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """EXPORT DATABASE into `directory` (a path of our own making: EXPORT takes no parameter)."""
    con.execute(f"EXPORT DATABASE '{_literal(directory)}' (FORMAT parquet)")


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest of a complete backup; BackupError for any other file."""
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (KeyError, ValueError):
        raise BackupError(t("data.fullbackup.not_backup")) from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
        raise BackupError(t("data.fullbackup.not_backup"))
    return manifest


def restore(backup: Path | bytes, target: Path) -> dict[str, int]:
    """Restore a complete backup into a new database file `target` (which must not exist);
    returns rows per table. Nothing is left at `target` unless every table came back whole."""
    target = Path(target)
    if target.exists() or target.with_name(target.name + ".wal").exists():
        raise BackupError(t("data.fullbackup.target_exists", path=target))
    source = io.BytesIO(backup) if isinstance(backup, bytes) else backup
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise BackupError(t("data.fullbackup.not_backup")) from None
    with archive, tempfile.TemporaryDirectory(prefix="cadre-restore-") as tmp:
        manifest = read_manifest(archive)
        directory = Path(tmp) / "database"
        directory.mkdir()
        for name in archive.namelist():
            if name == MANIFEST:
                continue
            if Path(name).name != name or name.startswith("."):  # no paths out of the folder
                raise BackupError(t("data.fullbackup.not_backup"))
            (directory / name).write_bytes(archive.read(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        building = target.with_name(target.name + ".restoring")
        leftovers = (building, building.with_name(building.name + ".wal"))
        for stale in leftovers:
            stale.unlink(missing_ok=True)
        con = duckdb.connect(str(building))
        try:
            con.execute(f"IMPORT DATABASE '{_literal(directory)}'")
            counts = table_counts(con)
            con.execute("CHECKPOINT")
        except duckdb.Error as exc:
            counts, problem = {}, t("data.fullbackup.failed", detail=exc)
        else:
            expected = {k: int(v) for k, v in manifest["tables"].items()}
            problem = None if counts == expected else t("data.fullbackup.incomplete")
        finally:
            con.close()
        if problem is not None:
            for stale in leftovers:
                stale.unlink(missing_ok=True)
            raise BackupError(problem)
        building.replace(target)
    connect(target).close()  # the schema of this version (a backup from an older one gains it)
    return counts


def main(argv: list[str] | None = None) -> int:
    """`create OUT.zip [--db PATH]` or `restore IN.zip --db NEW`; 0 on success, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m analytics.curation.backup",
                                     description=t("data.fullbackup.cli"))  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help=t("data.fullbackup.cli_create"))
    create.add_argument("out", type=Path, metavar="OUT.zip")
    create.add_argument("--db", type=Path, default=None, help=t("data.cli.db"))
    back = commands.add_parser("restore", help=t("data.fullbackup.cli_restore"))
    back.add_argument("backup", type=Path, metavar="IN.zip")
    back.add_argument("--db", type=Path, required=True, help=t("data.fullbackup.cli_target"))
    args = parser.parse_args(argv)
    if args.command == "restore":
        try:
            counts = restore(args.backup, args.db)
        except (BackupError, OSError) as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(t("data.fullbackup.restored", path=args.db, tables=len(counts),
                rows=sum(counts.values())))  # fmt: skip
        return 0
    path = args.db if args.db is not None else config.db_path()
    if not path.exists():
        print(t("data.cli.no_db", path=path), file=sys.stderr)
        return 1
    with command_line(path):  # app processes on snapshots see the result (make run-multi)
        try:
            con = connect(path)
        except duckdb.Error as exc:
            print(t("data.cli.db_error", path=path, detail=exc), file=sys.stderr)
            return 1
        try:
            user = cli_user()
            audit.record(con, user.name, audit.Action.EXPORT, role=user.role_name,
                         target=args.out.name, detail="complete backup")  # fmt: skip
            args.out.write_bytes(complete_backup(con.cursor(), user))
        finally:
            con.close()
    print(t("data.fullbackup.written", path=args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
