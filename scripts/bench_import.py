"""Benchmark of the importer: 100,000 attendance rows in ≤ 10 s, and 20 MB files in bounded
time and memory.

    python scripts/bench_import.py [--rows 100000] [--keep DIR]
    python scripts/bench_import.py --large [--megabytes 20]

The first form builds a database with 500 cadres and the activities they attend, and `--rows`
attendance rows for them in three files: a CSV, an XLSX as Excel saves it (shared strings) and
one as openpyxl's write-only mode does (inline strings). Each is imported end to end on a fresh
copy of the database, as the 数据管理 page and the command line do it: read, match, validate
every row, keys and references, plausibility, diff (`prepare_import`), then the one-transaction
commit. It prints wall-clock and CPU seconds per step against the issue's budget (wall-clock, ≤
10 s), and the baseline the importer replaced: openpyxl reading the same workbook and pydantic
validating row by row.

`--large` measures files of about `--megabytes` MB, each in a fresh process (its peak RSS is
the import's, not this script's): a CSV whose rows were all pasted in twice (refused: every key
repeats), the same CSV once (accepted, and committed), and an XLSX with every row twice (about
a million rows). For the refused files, the problem lines the page shows and the marked-up
workbook it offers for download are built too.

Not a unit test: it prints figures, it does not assert them.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402

from analytics.access.auth import cli_user  # noqa: E402
from analytics.curation.undo import undo_import  # noqa: E402
from analytics.dataio.commit import commit_import  # noqa: E402
from analytics.dataio.feedback import problem_lines, problems_workbook  # noqa: E402
from analytics.dataio.importer import prepare_import  # noqa: E402
from analytics.store.db import connect, insert_rows, rows_by_table  # noqa: E402
from analytics.store.models import Activity, Attendance, Cadre  # noqa: E402

BUDGET_S = 10.0
HEADERS = ["活动编号", "工号", "角色", "出勤", "计入学时"]
N_CADRES = 500
NO_LIMIT = 1 << 30  # the benchmark's files are read whatever CADRE_MAX_UPLOAD_MB says


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


def attendance_rows(n: int, n_cadres: int = N_CADRES) -> list[list[object]]:
    """n distinct (activity, cadre) pairs with plausible statuses."""
    rows: list[list[object]] = []
    for i in range(n):
        status = ("出席", "出席", "出席", "请假", "缺席")[i % 5]
        rows.append([f"HD{i // n_cadres:04d}", f"Q{i % n_cadres:04d}", "参加", status,
                     2 if status == "出席" else 0])  # fmt: skip
    return rows


def as_xlsx_inline(rows: list[list[object]]) -> bytes:
    """openpyxl's write-only workbook: every text cell an inline string."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("出勤")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_xlsx_shared(rows: list[list[object]]) -> bytes:
    """A workbook as Excel saves one: text cells point into the shared-strings table."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("出勤")
    sheet.write_row(0, 0, HEADERS)
    for number, row in enumerate(rows, 1):
        sheet.write_row(number, 0, row)
    book.close()
    return buffer.getvalue()


def as_csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def padded(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


class Clock:
    """Wall-clock and CPU seconds since the last reading."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lap


def time_import(base: Path, work: Path, name: str, data: bytes) -> dict[str, float]:
    """Seconds (wall, CPU) to prepare and to commit on a fresh copy, the rows written, and the
    wall-clock seconds to undo the import again (撤销本次导入: every row to its before-image)."""
    db = work / f"bench-{name}.duckdb"
    shutil.copy(base, db)
    con = connect(db)
    clock = Clock()
    plan = prepare_import(con, [(name, data)], max_bytes=NO_LIMIT)
    prepare_wall, prepare_cpu = clock.lap()
    if plan.problems:
        raise SystemExit(f"unexpected problems: {[p.text() for p in plan.problems[:5]]}")
    import_id = commit_import(con, plan, who="bench")
    commit_wall, commit_cpu = clock.lap()
    written = con.execute("SELECT count(*) FROM attendance").fetchone()[0]
    undo_start = time.perf_counter()
    undo_import(con, import_id, cli_user())
    undone = time.perf_counter() - undo_start
    if con.execute("SELECT count(*) FROM attendance").fetchone()[0] != 0:
        raise SystemExit("the undo left attendance rows behind")
    con.close()
    db.unlink()
    return {"prepare_wall": prepare_wall, "prepare_cpu": prepare_cpu, "commit_wall": commit_wall,
            "commit_cpu": commit_cpu, "written": written, "undo_wall": undone}  # fmt: skip


def baseline(data: bytes) -> tuple[float, float]:
    """openpyxl read and row-by-row pydantic validation of the same workbook (wall seconds)."""
    start = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book["出勤"].iter_rows(values_only=True))
    read = time.perf_counter()
    header = rows[0]
    for row in rows[1:]:
        Attendance.model_validate(dict(zip(header, row, strict=True)))
    return read - start, time.perf_counter() - read


def budget(n_rows: int, keep: Path | None) -> None:
    n_activities = -(-n_rows // N_CADRES)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = work / "base.duckdb"
        build_database(base, N_CADRES, n_activities)
        rows = attendance_rows(n_rows)
        files = {
            "出勤.csv": as_csv(rows),
            "出勤.xlsx": as_xlsx_shared(rows),
            "出勤-行内文本.xlsx": as_xlsx_inline(rows),
        }
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                (keep / name).write_bytes(data)
        print(f"{n_rows:,} 行出勤记录（{N_CADRES} 名干部 × {n_activities} 场活动）；"
              f"{os.cpu_count()} 个 CPU，开始时负载 {os.getloadavg()[0]:.1f}")  # fmt: skip
        columns = "   大小  读取+校验（墙钟 / CPU）  提交（墙钟 / CPU）  合计墙钟"
        print(f"  {padded('文件', 20)}{columns}")
        worst = 0.0
        for name, data in files.items():
            r = time_import(base, work, name, data)
            total = r["prepare_wall"] + r["commit_wall"]
            worst = max(worst, total)
            print(
                f"  {padded(name, 20)} {len(data) / 1e6:4.1f} MB  "
                f"{r['prepare_wall']:6.2f} s / {r['prepare_cpu']:5.2f} s    "
                f"{r['commit_wall']:5.2f} s / {r['commit_cpu']:5.2f} s   {total:6.2f} s"
                f"（写入 {r['written']:,} 行；撤销本次导入 {r['undo_wall']:.2f} s）"
            )
        read_s, validate_s = baseline(files["出勤-行内文本.xlsx"])
        print(
            f"  对照：openpyxl 读取 {read_s:5.2f} s + pydantic 逐行校验 {validate_s:5.2f} s "
            f"= {read_s + validate_s:5.2f} s（尚未检查引用、比对和写入）"
        )
        verdict = "达标" if worst <= BUDGET_S else "超出"
        print(f"最慢合计 {worst:.2f} s（墙钟），预算 {BUDGET_S:.0f} s：{verdict}；"
              f"结束时负载 {os.getloadavg()[0]:.1f}")  # fmt: skip


# ----- 20 MB files, each in a process of its own ----------------------------------------------

LARGE_CASES = {
    "csv-twice": ("出勤-重复粘贴.csv", "CSV，每行出现两次（拒绝）"),
    "csv-once": ("出勤.csv", "CSV，每行一次（导入并提交）"),
    "xlsx-twice": ("出勤-重复粘贴.xlsx", "XLSX，每行出现两次（拒绝）"),
}


def _peak_mb() -> float:
    """This process's peak resident memory so far. (Not getrusage's ru_maxrss, which a process
    started by this script inherits from it.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB, where no /proc


def measure_child(path: Path, db: Path) -> dict[str, float]:
    """In a fresh process: import one file as the page does and report time and peak RSS."""
    data = path.read_bytes()
    con = connect(db)
    before = _peak_mb()
    clock = Clock()
    plan = prepare_import(con, [(path.name, data)], max_bytes=NO_LIMIT)
    lines, _more = problem_lines(plan.problems)
    out = {"before_mb": before, "rows": sum(s.rows for s in plan.sheets),
           "problems": len(plan.problems), "lines": len(lines)}  # fmt: skip
    out["prepare_s"], out["prepare_cpu"] = clock.lap()
    out["prepare_mb"] = _peak_mb()
    if plan.problems:
        workbook = problems_workbook([(path.name, data)], plan.problems, NO_LIMIT)
        out["workbook_mb_size"] = len(workbook) / 1e6
    else:
        commit_import(con, plan, who="bench")
    out["after_s"], out["after_cpu"] = clock.lap()
    out["peak_mb"] = _peak_mb()
    con.close()
    return out


def large(megabytes: float) -> None:
    per_row = len(as_csv(attendance_rows(1000))) / 1000
    half = int(megabytes * 1e6 / per_row / 2)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = attendance_rows(half)
        (work / LARGE_CASES["csv-twice"][0]).write_bytes(as_csv(rows + rows))
        (work / LARGE_CASES["csv-once"][0]).write_bytes(as_csv(attendance_rows(2 * half)))
        per_xlsx_row = len(as_xlsx_shared(attendance_rows(10_000))) / 10_000
        xlsx_half = min(int(megabytes * 1e6 / per_xlsx_row / 2), 1_048_575 // 2)
        rows = attendance_rows(xlsx_half)
        (work / LARGE_CASES["xlsx-twice"][0]).write_bytes(as_xlsx_shared(rows + rows))
        del rows
        base = work / "base.duckdb"
        build_database(base, N_CADRES, -(-2 * max(half, xlsx_half) // N_CADRES))
        print(f"约 {megabytes:g} MB 的文件，每个在单独的进程中导入；{os.cpu_count()} 个 CPU，"
              f"开始时负载 {os.getloadavg()[0]:.1f}")  # fmt: skip
        for case, (name, title) in LARGE_CASES.items():
            db = work / f"{case}.duckdb"
            shutil.copy(base, db)
            path = work / name
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path), str(db)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            r = json.loads(result.stdout.splitlines()[-1])
            then = "生成问题标注工作簿" if r["problems"] else "提交"
            print(
                f"  {title}：{path.stat().st_size / 1e6:.1f} MB，{r['rows']:,} 行，"
                f"{r['problems']:,} 处问题（页面显示 {r['lines']} 条）\n"
                f"    读取+校验+分组 {r['prepare_s']:.1f} s（CPU {r['prepare_cpu']:.1f} s），"
                f"{then} {r['after_s']:.1f} s（CPU {r['after_cpu']:.1f} s）；"
                f"内存峰值 {r['peak_mb']:,.0f} MB"
                f"（导入前 {r['before_mb']:,.0f} MB，校验结束时 {r['prepare_mb']:,.0f} MB）"
            )
            db.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the generated files here")
    parser.add_argument("--large", "--repeated", action="store_true",
                        help="time and peak memory of 20 MB files")  # fmt: skip
    parser.add_argument("--megabytes", type=float, default=20.0)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_child(*args.child)))
    elif args.large:
        large(args.megabytes)
    else:
        budget(args.rows, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
