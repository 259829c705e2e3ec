"""The demo database: a deterministic office of youth cadres from 2024-01-01 to 2025-11-30.

For 2025 it reproduces the work report's figures (82 youth cadres in 4 study groups, 3 batches and
11 sessions of 研学活动, 11 座谈交流 sessions with 30 different participants, 2 列席 seats at every
党组理论中心组 session, 11 调研报告, 4 回乡见闻 articles, the four awards it names). Everything else is
plausible and deliberately uneven: groups differ, some cadres fall behind, quotas are part-way met.
Names are invented. Run `python -m analytics.generators.demo [--db PATH] [--force]`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from analytics.common import config
from analytics.common.labels import t
from analytics.generators.demo_builder import Builder
from analytics.generators.demo_office import (
    AS_OF,
    EVENTS_2024,
    EVENTS_2025,
    PLAN_2024,
    PLAN_2025,
    SEED,
    TARGET_YEARS,
)
from analytics.store.db import (
    adopt_default_targets,
    building,
    bump_data_version,
    insert_rows,
    rows_by_table,
)
from analytics.store.models import Record
from analytics.store.provenance import DEMO_SOURCE, DemoDatabaseError, generated_kind, stamp_demo

__all__ = ["AS_OF", "SEED", "build_demo", "demo_records", "ensure_demo"]


def demo_records(seed: int = SEED) -> Iterator[Record]:
    """Every record of the demo office, in a fixed order."""
    b = Builder(seed)
    b.build_cadres()
    b.assignments()  # first: a cadre on secondment is 请假 at home activities
    b.theory_year(2024, 12, PLAN_2024)
    b.party_year(2024, EVENTS_2024)
    b.theory_year(2025, 11, PLAN_2025)
    b.party_year(2025, EVENTS_2025)
    b.reports(2024, PLAN_2024)
    b.reports(2025, PLAN_2025)
    b.awards()
    b.training()
    b.assessments()
    b.mentorships()
    yield from b.records


def build_demo(path: Path, *, seed: int = SEED) -> dict[str, int]:
    """Write the demo database to `path`, replacing it only if it is the generated demo itself
    (DemoDatabaseError otherwise: a file with real data is never overwritten); row counts."""
    if Path(path).exists() and generated_kind(path) != DEMO_SOURCE:
        raise DemoDatabaseError(t("generators.demo.not_demo", path=path))
    with building(path) as con:
        con.execute("BEGIN")
        counts = insert_rows(con, rows_by_table(demo_records(seed)))
        counts["targets"] = adopt_default_targets(con, TARGET_YEARS)
        bump_data_version(con)
        stamp_demo(con)  # what makes the file the demo: served without sign-in
        con.execute("COMMIT")
    return counts


def ensure_demo(path: Path) -> bool:
    """Build the demo database at `path` if it is missing; True when it was built."""
    if Path(path).exists():
        return False
    build_demo(Path(path))
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成演示数据库 (build the demo database)")
    parser.add_argument("--db", type=Path, default=config.DEMO_DB_PATH, help="数据库文件路径")
    parser.add_argument("--force", action="store_true", help="即使已存在也重新生成")
    args = parser.parse_args(argv)
    if args.db.exists() and not args.force:
        print(t("generators.demo.exists", path=args.db))
        return 0
    try:
        counts = build_demo(args.db)
    except DemoDatabaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(t("generators.demo.built", path=args.db))
    for table, n in counts.items():
        print(f"  {table}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
