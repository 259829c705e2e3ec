"""The import command line: `python -m analytics.dataio.importer FILE [FILE ...] [--db PATH]`.

The same path as the 数据管理 page (prepare, then commit only a clean plan), for scheduled jobs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import duckdb

from analytics.common import config
from analytics.common.labels import t
from analytics.dataio.commit import commit_import
from analytics.dataio.importer import prepare_import
from analytics.dataio.plan import MODELS_BY_TABLE, ImportPlan
from analytics.store.db import connect
from analytics.store.provenance import demo_refusal


def _counts_lines(plan: ImportPlan) -> list[str]:
    return [
        t("data.cli.counts", table=MODELS_BY_TABLE[table].sheet, **c)
        for table, c in plan.counts().items()
    ]


def main(argv: list[str] | None = None) -> int:
    """Import files into the database; 0 when committed (or nothing to change), 1 on errors."""
    parser = argparse.ArgumentParser(
        prog="python -m analytics.dataio.importer", description=t("data.cli.description")
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help=t("data.cli.files"))
    parser.add_argument("--db", type=Path, default=None, help=t("data.cli.db"))
    args = parser.parse_args(argv)
    uploads: list[tuple[str, bytes]] = []
    for path in args.files:
        try:
            uploads.append((path.name, path.read_bytes()))
        except OSError as exc:
            print(t("data.cli.unreadable", path=path, detail=exc.strerror), file=sys.stderr)
            return 1
    db_path = args.db if args.db is not None else config.db_path()
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
        plan = prepare_import(con, uploads)
        if plan.problems:
            for problem in plan.problems:
                print(problem.text(), file=sys.stderr)
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
