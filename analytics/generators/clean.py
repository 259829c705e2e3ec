"""`make clean`: delete the generated databases in data/, never a file with anything else in it.

A file goes only when analytics.store.provenance.generated_kind says a generator wrote all of
it (the untouched demo, the city benchmark with no import and no account); everything else is
kept with a note, since it may be the office's real data. Run
`python -m analytics.generators.clean [FILE ...]` (default: data/*.duckdb).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from analytics.common import config
from analytics.common.labels import t
from analytics.store.provenance import generated_kind
from analytics.store.snapshot import snapshot_dir


def remove_generated(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Delete each generated database in `paths` with its WAL; (removed, kept)."""
    removed: list[Path] = []
    kept: list[Path] = []
    for path in paths:
        kind = generated_kind(path)
        if kind is None:
            kept.append(path)
            print(t("generators.clean.kept", path=path), file=sys.stderr)
            continue
        path.unlink()
        for suffix in (".wal", ".lock", ".warm.json"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        shutil.rmtree(snapshot_dir(path), ignore_errors=True)  # its copies for make run-multi
        removed.append(path)
        print(t("generators.clean.removed", path=path, kind=t(f"generators.clean.kind.{kind}")))
    return removed, kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="删除生成的数据库 (remove generated databases)")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    paths = args.files or sorted(config.DEMO_DB_PATH.parent.glob("*.duckdb"))
    remove_generated([p for p in paths if p.exists()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
