"""Benchmark: validate and commit 100,000 attendance rows (the issue's budget is 10 s), and undo.

    python scripts/bench_import.py [--rows 100000] [--keep DIR]
    python scripts/bench_import.py --repeated [--megabytes 20]

Generates a database with 500 cadres and 200 activities, and an XLSX (and a CSV) holding
`--rows` attendance rows for them; then times the importer's whole path on each — read,
match, validate every row, reference and duplicate checks, diff, and the one-transaction
commit — on a fresh copy of the database. For comparison it times the baseline the importer
replaced: openpyxl reading the same workbook and pydantic validating row by row.
`--repeated` times the refusal instead: a CSV of about `--megabytes` MB whose attendance rows
were pasted in twice (every key repeated), read, checked and reported as the page and the
command line report it (grouped, at most 200 lines), with the process's peak memory.
Not a unit test: it prints figures, it does not assert them.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402

from analytics.access.auth import cli_user  # noqa: E402
from analytics.curation.undo import undo_import  # noqa: E402
from analytics.dataio.commit import commit_import  # noqa: E402
from analytics.dataio.feedback import problem_lines  # noqa: E402
from analytics.dataio.importer import prepare_import  # noqa: E402
from analytics.store.db import connect, insert_rows, rows_by_table  # noqa: E402
from analytics.store.models import Activity, Attendance, Cadre  # noqa: E402

BUDGET_S = 10.0
HEADERS = ["活动编号", "工号", "角色", "出勤", "计入学时"]


def build_database(path: Path, n_cadres: int, n_activities: int) -> None:
    """Cadres and activities for the attendance rows to refer to."""
    con = connect(path)
    cadres = [
        Cadre(cadre_id=f"Q{i:04d}", name=f"干部{i}", gender="男", division="秘书一处",
              join_date="2020-01-01")
        for i in range(n_cadres)
    ]  # fmt: skip
    activities = [
        Activity(activity_id=f"HD{i:04d}", title=f"活动{i}", category="理论学习", form="导师领学",
                 scope="指定", date=f"2025-{1 + i % 11:02d}-10", hours=2)
        for i in range(n_activities)
    ]  # fmt: skip
    insert_rows(con, rows_by_table([*cadres, *activities]))
    con.close()


def attendance_rows(n: int, n_cadres: int) -> list[list[object]]:
    """n distinct (activity, cadre) pairs with plausible statuses."""
    rows: list[list[object]] = []
    for i in range(n):
        status = ("出席", "出席", "出席", "请假", "缺席")[i % 5]
        rows.append([f"HD{i // n_cadres:04d}", f"Q{i % n_cadres:04d}", "参加", status,
                     2 if status == "出席" else 0])  # fmt: skip
    return rows


def as_xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("出勤")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def time_import(base: Path, work: Path, name: str, data: bytes) -> tuple[float, float, int, float]:
    """Seconds to validate (prepare) and to commit, the rows written, and seconds to undo the
    import again (撤销本次导入: every row back to its before-image), on a fresh copy."""
    db = work / f"bench-{name}.duckdb"
    shutil.copy(base, db)
    con = connect(db)
    start = time.perf_counter()
    plan = prepare_import(con, [(name, data)], max_bytes=1 << 30)
    validated = time.perf_counter()
    if plan.problems:
        raise SystemExit(f"unexpected problems: {[p.text() for p in plan.problems[:5]]}")
    import_id = commit_import(con, plan, who="bench")
    committed = time.perf_counter()
    written = con.execute("SELECT count(*) FROM attendance").fetchone()[0]
    undo_start = time.perf_counter()
    undo_import(con, import_id, cli_user())
    undone = time.perf_counter() - undo_start
    if con.execute("SELECT count(*) FROM attendance").fetchone()[0] != 0:
        raise SystemExit("the undo left attendance rows behind")
    con.close()
    return validated - start, committed - validated, written, undone


def baseline(data: bytes) -> tuple[float, float]:
    """openpyxl read and row-by-row pydantic validation of the same workbook."""
    start = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book["出勤"].iter_rows(values_only=True))
    read = time.perf_counter()
    header = rows[0]
    for row in rows[1:]:
        Attendance.model_validate(dict(zip(header, row, strict=True)))
    return read - start, time.perf_counter() - read


def repeated_keys(megabytes: float) -> None:
    """A ~megabytes MB CSV with every attendance row twice: time, problems, lines, peak RSS."""
    import resource

    n_cadres = 500
    half = attendance_rows(1, n_cadres)
    per_row = len(as_csv(half * 1000)) / 1000
    n = int(megabytes * 1e6 / per_row / 2)
    rows = attendance_rows(n, n_cadres)
    data = as_csv(rows + rows)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.duckdb"
        build_database(base, n_cadres, -(-n // n_cadres))
        con = connect(base)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        plan = prepare_import(con, [("出勤.csv", data)], max_bytes=1 << 30)
        lines, more = problem_lines(plan.problems)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        con.close()
    print(
        f"{len(data) / 1e6:.1f} MB CSV, {2 * n:,} 行（每行重复一次）："
        f"{len(plan.problems):,} 处问题，显示 {len(lines)} 条（另有 {more} 条）"
    )
    print(
        f"  读取+校验+分组 {elapsed:.2f} s；进程内存峰值 {peak:,.0f} MB（开始前 {before:,.0f} MB）"
    )
    for line in lines[:3]:
        print("  " + line[:160])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the generated files here")
    parser.add_argument("--repeated", action="store_true", help="time a refused 20 MB file")
    parser.add_argument("--megabytes", type=float, default=20.0)
    args = parser.parse_args(argv)
    if args.repeated:
        repeated_keys(args.megabytes)
        return 0
    n_cadres = 500
    n_activities = -(-args.rows // n_cadres)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = work / "base.duckdb"
        build_database(base, n_cadres, n_activities)
        rows = attendance_rows(args.rows, n_cadres)
        files = {"出勤.xlsx": as_xlsx(rows), "出勤.csv": as_csv(rows)}
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                (args.keep / name).write_bytes(data)
        print(f"{args.rows:,} 行出勤记录（{n_cadres} 名干部 × {n_activities} 场活动）")
        worst = 0.0
        for name, data in files.items():
            validate_s, commit_s, written, undo_s = time_import(base, work, name, data)
            total = validate_s + commit_s
            worst = max(worst, total)
            print(
                f"  {name:10s} {len(data) / 1e6:5.1f} MB  读取+校验 {validate_s:5.2f} s  "
                f"提交 {commit_s:5.2f} s  合计 {total:5.2f} s  "
                f"（每万行 {total / args.rows * 10_000:.2f} s，写入 {written:,} 行）"
                f"  撤销本次导入 {undo_s:5.2f} s"
            )
        read_s, validate_s = baseline(files["出勤.xlsx"])
        print(
            f"  对照：openpyxl 读取 {read_s:5.2f} s + pydantic 逐行校验 {validate_s:5.2f} s "
            f"= {read_s + validate_s:5.2f} s（尚未检查引用、比对和写入）"
        )
        verdict = "达标" if worst < BUDGET_S else "超出"
        print(f"最慢合计 {worst:.2f} s，预算 {BUDGET_S:.0f} s：{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
