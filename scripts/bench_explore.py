"""自助分析 at city scale: five leaders' questions asked of the explore page, cold and warm, and
the same five computed in pandas from the same records, in one run.

    python scripts/bench_explore.py --db data/city.duckdb     (`make bench` runs it after bench.py)

For each question: the page (AppTest: app.py + pages/explore.py opened on the question's link)
with an empty data cache (cold) and rerun (warm, median of --repeat); the answer computed by the
semantic layer (DuckDB) and by plain pandas on DataFrames loaded once (median of the calls that
fit in PANDAS_BUDGET), their ratio and whether the two results are equal.
Targets: warm ≤ 300 ms, cold ≤ 1.5 s per question.

scripts/bench.py can add these rows to its table with
    from scripts.bench_explore import explore_rows
    rows += [Row(**r) for r in explore_rows(db, repeat)]
(the dicts carry bench.Row's fields: item, value, warm, pandas, ratio, target, result).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a file: make the project importable
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from analytics.common import config  # noqa: E402
from analytics.common.filters import Filters  # noqa: E402
from analytics.metrics.quotas import ROTATION_TYPES  # noqa: E402
from analytics.semantic.answer import answer  # noqa: E402
from analytics.semantic.catalogue import RANK_ORDER  # noqa: E402
from analytics.semantic.question import Question, to_params  # noqa: E402
from analytics.store.db import as_of_date, connect  # noqa: E402

WARM_MS = 300.0
COLD_MS = 1500.0
PANDAS_BUDGET = 1.0  # seconds of repeated pandas calls per question
PAGE = "pages/explore.py"
SENIOR = RANK_ORDER[: RANK_ORDER.index("四级主任科员") + 1]  # 四级主任科员 and above


@dataclass(frozen=True)
class Case:
    """One question a leader asks, and the same question answered in pandas."""

    title: str
    question: Question
    pandas: Callable[[dict[str, pd.DataFrame], Filters], pd.DataFrame]


# ----- the records, once, as DataFrames -----


def load_records(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The tables the five questions read (the stored expected-attendance rows among them)."""
    return {
        name: con.execute(f"SELECT * FROM {name}").df()  # noqa: S608 - names from this tuple
        for name in ("cadres", "expected_attendance", "reports", "report_authors", "assignments")
    }


def _expected(r: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    e = r["expected_attendance"]
    day = pd.to_datetime(e["date"])
    rows = e[(day >= pd.Timestamp(f.period_start)) & (day <= pd.Timestamp(f.period_end))]
    return rows.merge(r["cadres"], on="cadre_id", suffixes=("", "_cadre"))


def _rate(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    out = rows.groupby(by).agg(n=("status", "size"), a=("status", lambda s: (s == "出席").sum()))
    return (out["a"] / out["n"]).rename("value").reset_index()


def pandas_party_vs_league(r: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    rows = _expected(r, f)
    return _rate(rows[rows["political_status"].isin(["中共党员", "共青团员"])], "political_status")


def pandas_joined_since_2022_by_month(r: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    rows = _expected(r, f)
    rows = rows[(pd.to_datetime(rows["join_date"]).dt.year >= 2022) & (rows["status"] == "出席")]
    month = pd.to_datetime(rows["date"]).dt.month.rename("month")
    return rows.groupby(month).size().astype("float64").rename("value").reset_index()


def pandas_senior_women_by_rank(r: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    rows = _expected(r, f)
    return _rate(rows[(rows["gender"] == "女") & rows["rank"].isin(SENIOR)], "rank")


def pandas_reports_by_division(r: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    reports = r["reports"]
    day = pd.to_datetime(reports["submit_date"])
    ids = reports[(day >= pd.Timestamp(f.period_start)) & (day <= pd.Timestamp(f.period_end))]
    authors = r["report_authors"].merge(ids[["report_id"]], on="report_id")
    authors = authors.merge(r["cadres"][["cadre_id", "division"]], on="cadre_id")
    out = authors.groupby("division")["report_id"].nunique().astype("float64")
    return out.rename("value").reset_index()


def pandas_rotation_by_division(r: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    ytd = f.year_to_date()
    start, end = pd.Timestamp(ytd.period_start), pd.Timestamp(ytd.period_end)
    c = r["cadres"]
    leave = pd.to_datetime(c["leave_date"])
    people = c[(pd.to_datetime(c["join_date"]) <= end) & (leave.isna() | (leave >= start))]
    s = r["assignments"]
    finish = pd.to_datetime(s["end_date"]).fillna(end)
    stints = s[s["type"].isin(ROTATION_TYPES) & (pd.to_datetime(s["start_date"]) <= end)
               & (finish >= start)]  # fmt: skip
    people = people.assign(rotation=people["cadre_id"].isin(set(stints["cadre_id"])))
    return people.groupby("division")["rotation"].mean().rename("value").reset_index()


CASES: tuple[Case, ...] = (
    Case("党员与团员的参与率",
         Question(measure="participation_rate", dims=("political_status",),
                  picks=(("political_status", ("中共党员", "共青团员")),)),
         pandas_party_vs_league),
    Case("2022年以来入职者每月出勤人次",
         Question(measure="attended", dims=("month",), ranges=(("join_year", 2022, 2100),)),
         pandas_joined_since_2022_by_month),
    Case("四级主任科员及以上女干部的参与率",
         Question(measure="participation_rate", dims=("rank",),
                  picks=(("gender", ("女",)), ("rank", SENIOR))),
         pandas_senior_women_by_rank),
    Case("各处室调研成果数", Question(measure="reports", dims=("division",)),
         pandas_reports_by_division),
    Case("各处室轮岗/专项工作占比", Question(measure="rotation_share", dims=("division",)),
         pandas_rotation_by_division),
)  # fmt: skip


# ----- measuring -----


def _median_time(call: Callable[[], Any], repeat: int, budget: float = 0.0) -> tuple[float, Any]:
    times, result, spent = [], None, 0.0
    while len(times) < max(1, repeat) or (spent < budget and len(times) < 200):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
        spent += times[-1]
    return statistics.median(times), result


def same_answer(duck: pd.DataFrame, pand: pd.DataFrame, dim: str) -> bool:
    """The two answers hold the same values for the same dimension values (order aside)."""
    a = duck.set_index(dim)["value"].sort_index()
    b = pand.set_index(dim)["value"].sort_index()
    if list(a.index) != list(b.index):
        return False
    return all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12) for x, y in zip(a, b, strict=True))


def time_pages(repeat: int) -> list[tuple[float, float, list[str]]]:
    """(cold, warm, errors) of the explore page opened on each case's link."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from analytics.access.auth import Role, User
    from tests.apptest_support import use_navigation_mode

    use_navigation_mode()

    def session() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        # A database other than the demo needs a signed-in account (as after a sign-in).
        at.session_state["user"] = User(name="bench", display_name="基准测试", role=Role.ADMIN)
        at.session_state["_auth_last_seen"] = time.time()
        return at

    session().run()  # opens the connection (st.cache_resource), as a first visitor does
    timings = []
    for case in CASES:
        at = session()  # a new browser session opening the question's link
        for name, value in to_params(case.question).items():
            at.query_params[name] = value
        st.cache_data.clear()
        started = time.perf_counter()
        at.switch_page(PAGE).run()
        cold = time.perf_counter() - started
        errors = [e.message for e in at.exception]
        warm, _ = _median_time(lambda at=at: at.run(), repeat)
        errors += [e.message for e in at.exception]
        timings.append((cold, warm, errors))
    return timings


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def explore_rows(db: Path, repeat: int = 3) -> list[dict[str, str]]:
    """One row per question: page cold (value) and warm, DuckDB vs pandas, the verdict."""
    db = Path(db).resolve()
    os.environ["CADRE_DB"] = str(db)
    pages = time_pages(repeat)
    con = connect(db, memory_limit=config.duckdb_memory_limit())  # the app's instance
    as_of = as_of_date(con)
    f = Filters(year=as_of.year, as_of=as_of)
    records = load_records(con)
    rows = []
    for case, (cold, warm, errors) in zip(CASES, pages, strict=True):
        duck_s, duck = _median_time(lambda c=case: answer(con, f, c.question), repeat)
        pandas_s, pand = _median_time(lambda c=case: c.pandas(records, f), 1, PANDAS_BUDGET)
        same = same_answer(duck, pand, case.question.dims[0])
        ok = cold <= COLD_MS / 1000 and warm <= WARM_MS / 1000 and not errors and same
        verdict = "PASS" if ok else "FAIL"
        if errors:
            verdict += f" (exception: {errors[0][:60]})"
        rows.append({
            "item": f"explore {case.title}", "value": _ms(cold), "warm": _ms(warm),
            "pandas": f"{_ms(duck_s)} vs {_ms(pandas_s)}",
            "ratio": f"{pandas_s / duck_s:.1f}×" + (" (same)" if same else " (DIFFERENT)"),
            "target": f"cold ≤ {COLD_MS:,.0f} ms, warm ≤ {WARM_MS:.0f} ms", "result": verdict,
        })  # fmt: skip
    con.close()
    return rows


def format_table(rows: list[dict[str, str]], heading: str) -> str:
    """The rows as a plain-text table (CJK characters count as two columns)."""
    fields = ["item", "value", "warm", "pandas", "ratio", "target", "result"]
    header = dict(zip(fields, ["question", "page cold", "page warm", "duckdb vs pandas",
                               "pandas ÷ duckdb", "target", "result"], strict=True))  # fmt: skip

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    table = [header, *rows]
    widths = {k: max(width(r[k]) for r in table) for k in fields}
    lines = [heading, ""]
    for i, r in enumerate(table):
        lines.append(" | ".join(r[k] + " " * (widths[k] - width(r[k])) for k in fields).rstrip())
        if i == 0:
            lines.append("-+-".join("-" * widths[k] for k in fields))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="自助分析 at city scale: five questions")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "city.duckdb")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per question")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any line FAILs")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"{args.db} not found (make bench builds it)")
    rows = explore_rows(args.db, repeat=args.repeat)
    heading = (
        f"自助分析 on {args.db.name} · DuckDB {duckdb.__version__}, pandas {pd.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print(format_table(rows, heading), flush=True)
    failed = any(r["result"].startswith("FAIL") for r in rows)
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
