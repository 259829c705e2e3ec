"""The import command line:
`python -m analytics.dataio.importer FILE [FILE ...] [--db PATH [--create]] [--problems OUT.xlsx]`,
and `python -m analytics.dataio.importer --undo N [--db PATH]` to undo import N (撤销本次导入,
by the 序号 of the import history; analytics.curation.undo says when it may and why not).

The same path as the 数据管理 page (prepare, then commit only a clean plan), for scheduled jobs;
what was not read (a hidden sheet, 合计 rows, columns not in the template) is listed first.
`--db` must name an existing database unless `--create` is given (a mistyped path would
otherwise make a new, empty one and commit into it). Problems print grouped, at most 200 lines;
`--problems` writes the full list as the marked-up workbook the page offers.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import duckdb

from analytics.access.auth import cli_user
from analytics.common import config
from analytics.common.labels import t
from analytics.curation.change import RecordError
from analytics.curation.undo import undo_import
from analytics.dataio.commit import commit_import
from analytics.dataio.feedback import problem_lines, problems_workbook
from analytics.dataio.importer import prepare_import
from analytics.dataio.plan import MODELS_BY_TABLE, ImportPlan, sheet_place
from analytics.store.db import connect
from analytics.store.provenance import demo_refusal
from analytics.store.snapshot import command_line


def _counts_lines(plan: ImportPlan) -> list[str]:
    return [
        t("data.cli.counts", table=MODELS_BY_TABLE[table].sheet, **c)
        for table, c in plan.counts().items()
    ]


def _skipped_lines(plan: ImportPlan) -> list[str]:
    """What was not read, sheet by sheet (a hidden sheet, 合计 rows, columns not in the
    template), as the page's 识别结果 table says it."""
    return [
        t("data.cli.skipped", place=sheet_place(s.file, s.sheet), what=s.skipped())
        for s in plan.sheets
        if s.skipped()
    ]


def main(argv: list[str] | None = None) -> int:
    """Import files into the database; 0 when committed (or nothing to change), 1 on errors."""
    parser = argparse.ArgumentParser(
        prog="python -m analytics.dataio.importer", description=t("data.cli.description")
    )
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help=t("data.cli.files"))
    parser.add_argument("--db", type=Path, default=None, help=t("data.cli.db"))
    parser.add_argument("--create", action="store_true", help=t("data.cli.create"))
    parser.add_argument("--problems", type=Path, default=None, metavar="OUT.xlsx",
                        help=t("data.cli.problems"))  # fmt: skip
    parser.add_argument("--undo", type=int, default=None, metavar="N", help=t("data.cli.undo"))
    args = parser.parse_args(argv)
    if bool(args.files) == (args.undo is not None):
        parser.error(t("data.cli.files_or_undo"))
    uploads: list[tuple[str, bytes]] = []
    for path in args.files:
        try:
            uploads.append((path.name, path.read_bytes()))
        except OSError as exc:
            print(t("data.cli.unreadable", path=path, detail=exc.strerror), file=sys.stderr)
            return 1
    db_path = args.db if args.db is not None else config.db_path()
    if not db_path.exists() and not args.create:
        print(t("data.cli.no_db", path=db_path), file=sys.stderr)
        return 1
    with command_line(db_path):  # app processes on snapshots see the result (make run-multi)
        try:
            con = connect(db_path)
        except duckdb.Error as exc:
            print(t("data.cli.db_error", path=db_path, detail=exc), file=sys.stderr)
            return 1
        try:
            refusal = demo_refusal(con)  # before reading anything, say where real data goes
            if refusal is not None:
                print(refusal, file=sys.stderr)
                return 1
            if args.undo is not None:
                return _undo(con, args.undo, db_path)
            plan = prepare_import(con, uploads)
            for line in _skipped_lines(plan):
                print(line)
            if plan.problems:
                lines, more = problem_lines(plan.problems)
                for line in lines:
                    print(line, file=sys.stderr)
                if more:
                    print(t("data.cli.more", n=more), file=sys.stderr)
                if args.problems is not None:
                    args.problems.write_bytes(
                        problems_workbook(uploads, plan.problems, config.max_upload_bytes())
                    )
                    print(t("data.cli.problems_written", path=args.problems), file=sys.stderr)
                print(t("data.cli.failed", n=len(plan.problems)), file=sys.stderr)
                return 1
            for line in _counts_lines(plan):
                print(line)
            if not plan.has_changes:
                print(t("data.no_changes"))
                return 0
            import_id = commit_import(con, plan, who=t("data.who.cli", user=getpass.getuser()))
            print(t("data.cli.committed", id=import_id, db=db_path))
            return 0
        finally:
            con.close()


def _undo(con: duckdb.DuckDBPyConnection, import_id: int, db_path: Path) -> int:
    """撤销本次导入 from the command line: 0 when undone, 1 with the reason why not."""
    try:
        change_id = undo_import(con, import_id, cli_user())
    except RecordError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(t("data.cli.undone", id=import_id, change=change_id, db=db_path))
    return 0
