"""City-scale benchmark: every page, every metric, peak memory, and a pandas baseline, in one run.

    python scripts/bench.py --db data/city.duckdb        (`make bench`; builds the db if missing)
    python scripts/bench.py --db /tmp/tiny.duckdb --cadres 300 --units 3 --groups 3 --years 1

Prints one table:
- each page in ui.navigation.PAGE_SPECS: a full AppTest rerun (app.py + the page) with a cold
  data cache (st.cache_data.clear() first) and with a warm one (median of --repeat), and under
  it each metric the page asked ui.state.metric for, timed during the cold run;
- every public metric in analytics/* that takes (con, f), timed directly (median of --repeat);
- the process's peak resident memory (ru_maxrss) after the app's part, and DuckDB's
  memory_limit on the app's connection;
- the key metrics (participation by group and by month, training hours per cadre against the
  target, rotation and secondment shares) computed by DuckDB and by a plain pandas
  implementation on the same records loaded into DataFrames once (only the computation is
  timed: one untimed call each, then the median of the calls that fit in KEY_BUDGET), with
  the ratio and whether the two results are equal.
Targets: warm ≤ 300 ms, cold ≤ 1.5 s per page, peak ≤ 1 GB, key metrics ≥ 3× pandas.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib
import inspect
import os
import pkgutil
import platform
import resource
import statistics
import subprocess
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
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import analytics  # noqa: E402
from analytics.access.auth import Role, User  # noqa: E402
from analytics.common import config  # noqa: E402
from analytics.common.filters import Filters  # noqa: E402
from analytics.metrics.participation import participation_by_group, participation_by_month  # noqa: E402
from analytics.semantic.answer import figures  # noqa: E402
from analytics.semantic.rules import ROTATION_TYPES, SECONDMENT_TYPES  # noqa: E402
from analytics.store.db import as_of_date, connect  # noqa: E402
from analytics.store.query import memo  # noqa: E402
from scripts import serve_multi  # noqa: E402
from scripts.bench_table import Row, format_table, ms, verdict  # noqa: E402

WARM_MS = 300.0
COLD_MS = 1500.0
PEAK_MB = 1024.0
SPEEDUP = 3.0
KEY_BUDGET = 1.0  # seconds of repeated calls per key metric and side (see _median_time)


def _median_time(
    call: Callable[[], Any], repeat: int, *, budget: float = 0.0, max_runs: int = 200
) -> tuple[float, Any]:
    """Median seconds of `repeat` calls, or of as many as fit in `budget` seconds if that is
    more (at most max_runs): a few-millisecond figure from three runs is mostly noise."""
    times, result = [], None
    spent = 0.0
    while len(times) < max(1, repeat) or (spent < budget and len(times) < max_runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
        spent += times[-1]
    return statistics.median(times), result


# ----- pages -----
def bench_pages(repeat: int) -> list[Row]:
    """Cold and warm AppTest reruns of every page, with the metric calls of the cold run."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import ui.state
    from tests.apptest_support import use_navigation_mode
    from ui.navigation import PAGE_SPECS

    use_navigation_mode()
    calls: list[tuple[str, float]] = []
    plain_metric = ui.state.metric

    def timed_metric(fn: Callable[..., Any], f: Filters | None = None, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return plain_metric(fn, f, **kwargs)
        finally:
            label = f"{fn.__module__.removeprefix('analytics.')}.{fn.__name__}"
            if kwargs:
                label += "(" + ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items()) + ")"
            if f is not None and f != ui.state.filters():
                label += f" [{f.label()}]"
            calls.append((label, time.perf_counter() - started))

    ui.state.metric = timed_metric  # pages import it on every run
    rows: list[Row] = []
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        # A database other than the demo needs a signed-in account: an administrator's session,
        # as after a password sign-in (ui.auth), so that every page is open.
        at.session_state["user"] = User(name="bench", display_name="基准测试", role=Role.ADMIN)
        at.session_state["_auth_last_seen"] = time.time()
        at.run()  # opens the connection (st.cache_resource), as a server's first visitor does
        for spec in PAGE_SPECS:
            st.cache_data.clear()
            calls.clear()
            started = time.perf_counter()
            at.switch_page(spec.path).run()
            cold = time.perf_counter() - started
            cold_calls = list(calls)
            errors = [e.message for e in at.exception]
            warm, _ = _median_time(lambda: at.run(), repeat)
            errors += [e.message for e in at.exception]
            ok = cold <= COLD_MS / 1000 and warm <= WARM_MS / 1000 and not errors
            rows.append(
                Row(
                    f"page {spec.title} ({spec.url_path})", ms(cold), ms(warm),
                    target=f"cold ≤ {COLD_MS:,.0f} ms, warm ≤ {WARM_MS:.0f} ms",
                    result=verdict(ok) + (f" (exception: {errors[0][:60]})" if errors else ""),
                )
            )  # fmt: skip
            for label, seconds in cold_calls:
                rows.append(Row(f"  · {label}", ms(seconds)))
    finally:
        ui.state.metric = plain_metric
    return rows


def _short(value: Any) -> str:
    if isinstance(value, pd.DataFrame):
        return "<frame>"
    if isinstance(value, list):
        return "[" + ",".join(map(str, value)) + "]"
    return str(value)


# ----- every metric -----
EXTRA_ARGS: dict[str, dict[str, Any]] = {
    "quota_breakdown": {"by": "division"},
    "figures": {"measures": ["participation_rate", "training_hours_per_cadre", "rotation_share"]},
}


def discover_metrics() -> list[Callable[..., pd.DataFrame]]:
    """Every public function in analytics' modules (every package, every depth) whose first two
    parameters are (con, f)."""
    found = []
    for info in pkgutil.walk_packages(analytics.__path__, "analytics."):
        if info.ispkg:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if obj.__module__ != module.__name__:
                continue
            params = list(inspect.signature(obj).parameters)
            if params[:2] == ["con", "f"]:
                found.append(obj)
    return sorted(found, key=lambda fn: (fn.__module__, fn.__name__))


def _arguments(fn: Callable[..., Any], con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """Values for the parameters after (con, f) that have no default; None if unknown."""
    kwargs = dict(EXTRA_ARGS.get(fn.__name__, {}))
    for name, param in list(inspect.signature(fn).parameters.items())[2:]:
        if name in kwargs or param.default is not inspect.Parameter.empty:
            continue
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        if name == "cadre_id":  # one cadre's record: the first one in post
            kwargs[name] = con.execute(
                "SELECT min(cadre_id) FROM cadres WHERE leave_date IS NULL"
            ).fetchone()[0]
        else:
            return None
    return kwargs


def bench_metrics(con: duckdb.DuckDBPyConnection, f: Filters, repeat: int) -> list[Row]:
    """Each discovered metric called directly on a fresh cursor (median of `repeat`), inside
    query.memo() as ui.state.metric calls it."""
    rows = []
    for fn in discover_metrics():
        label = f"metric {fn.__module__.removeprefix('analytics.')}.{fn.__name__}"
        kwargs = _arguments(fn, con)
        if kwargs is None:
            rows.append(Row(label, "skipped (needs arguments)"))
            continue
        cur = con.cursor()
        seconds, result = _median_time(
            lambda fn=fn, kw=kwargs, cur=cur: _in_memo(fn, cur, f, kw), repeat
        )
        size = f"{len(result):,} rows" if hasattr(result, "__len__") else ""
        rows.append(Row(label, ms(seconds), target=size))
    return rows


def _in_memo(fn: Callable[..., Any], con: Any, f: Filters, kwargs: dict[str, Any]) -> Any:
    with memo():
        return fn(con, f, **kwargs)


# ----- pandas baseline -----
@dataclass
class Records:
    """The records the key metrics read, loaded into DataFrames once."""

    cadres: pd.DataFrame
    activities: pd.DataFrame
    attendance: pd.DataFrame
    training: pd.DataFrame
    assignments: pd.DataFrame
    targets: pd.DataFrame
    expected: pd.DataFrame


def load_records(con: duckdb.DuckDBPyConnection) -> Records:
    """Read the tables the baselines need (dates as datetime64)."""

    def table(name: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
        frame = con.execute(f"SELECT * FROM {name}").df()  # noqa: S608 (fixed names)
        for col in dates:
            frame[col] = pd.to_datetime(frame[col])
        return frame

    return Records(
        cadres=table("cadres", ("join_date", "leave_date")),
        activities=table("activities", ("date",)),
        attendance=table("attendance"),
        training=table("training", ("completion_date",)),
        assignments=table("assignments", ("start_date", "end_date")),
        targets=table("targets"),
        # The same stored table DuckDB's metrics read (store.db.refresh_derived builds it):
        # both sides start from the expected-attendance rows, neither rebuilds the rule.
        expected=table("expected_attendance_facts", ("date",)),
    )


def _scoped_cadres(r: Records, f: Filters) -> pd.DataFrame:
    c = r.cadres
    if f.group is not None:
        c = c[c["study_group"] == f.group]
    if f.division is not None:
        c = c[c["division"] == f.division]
    return c


def _period(f: Filters) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(f.period_start), pd.Timestamp(f.period_end)


def _in_post(c: pd.DataFrame, start: Any, end: Any) -> pd.Series:
    return (c["join_date"] <= end) & (c["leave_date"].isna() | (c["leave_date"] >= start))


def pandas_expected(r: Records, f: Filters) -> pd.DataFrame:
    """The period's stored expected-attendance rows (scoped_expected in pandas)."""
    start, end = _period(f)
    e = r.expected
    # scoped_facts less the stint rows (schema.sql: scoped_expected), as the metrics read it
    keep = (e["date"] >= start) & (e["date"] <= end) & e["division"].notna() & ~e["on_stint"]
    if f.group is not None:
        keep &= e["study_group"] == f.group
    if f.division is not None:
        keep &= e["division"] == f.division
    return e[keep]


def pandas_participation_by_group(r: Records, f: Filters) -> pd.DataFrame:
    """participation_by_group in pandas."""
    rows = pandas_expected(r, f)
    rows = rows[rows["study_group"].notna()]
    rows = rows.assign(
        attended=rows["status"] == "出席",
        on_leave=rows["status"] == "请假",
        absent=rows["status"].isin(["缺席", "未登记"]),
    )
    out = rows.groupby("study_group").agg(
        expected=("status", "size"), attended=("attended", "sum"), on_leave=("on_leave", "sum"),
        absent=("absent", "sum"), hours=("credited_hours", "sum"),
    )  # fmt: skip
    out["rate"] = out["attended"] / out["expected"]
    return out.reset_index()[
        ["study_group", "expected", "attended", "on_leave", "absent", "rate", "hours"]
    ]


def pandas_participation_by_month(r: Records, f: Filters) -> pd.DataFrame:
    """participation_by_month in pandas."""
    start, end = _period(f)
    rows = pandas_expected(r, f).copy()
    rows["month"] = rows["date"].dt.to_period("M").dt.to_timestamp()
    rows["attended"] = rows["status"] == "出席"
    per = rows.groupby("month").agg(
        activities=("activity_id", "nunique"), expected=("status", "size"),
        attended=("attended", "sum"),
    )  # fmt: skip
    months = pd.date_range(start.to_period("M").to_timestamp(), end, freq="MS", name="month")
    out = per.reindex(months, fill_value=0).reset_index()
    out["rate"] = (out["attended"] / out["expected"]).where(out["expected"] > 0)
    return out


def pandas_training_hours_by_cadre(
    r: Records, f: Filters, *, unordered: bool = False
) -> pd.DataFrame:
    """training_hours_by_cadre in pandas (sorted by cadre_id as the SQL is, unless unordered)."""
    start, end = _period(f)
    c = _scoped_cadres(r, f)
    c = c[_in_post(c, start, end)]
    t = r.training
    done = (
        t[(t["completion_date"] >= start) & (t["completion_date"] <= end)]
        .groupby("cadre_id")["hours"]
        .sum()
    )
    tg = r.targets
    target = tg.loc[(tg["year"] == f.year) & (tg["metric"] == "training_hours_per_cadre"), "value"]
    per_year = float(target.iloc[0]) if len(target) else np.nan
    s = c["join_date"].where(c["join_date"] > start, start)
    e = c["leave_date"].fillna(end).where(lambda d: d < end, end)
    out = c[["cadre_id", "name", "study_group", "division"]].copy()
    out["hours"] = out["cadre_id"].map(done).fillna(0.0)
    out["expected"] = per_year * ((e - s).dt.days + 1) / f.days_in_year
    return out if unordered else out.sort_values("cadre_id").reset_index(drop=True)


def duck_training_hours_summary(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """指标达成's and 总览's hours figures, as the pages get them (the catalogue's measures)."""
    got = figures(con, f, ["cadres_in_year", "training_hours_per_cadre", "training_hours_expected"])
    return pd.DataFrame(
        {
            "cadres": [got["cadres_in_year"]],
            "hours": [got["training_hours_per_cadre"]],
            "expected": [got["training_hours_expected"]],
        }
    )


def pandas_training_hours_summary(r: Records, f: Filters) -> pd.DataFrame:
    """duck_training_hours_summary in pandas (an annual quota: from 1 January, as the pages)."""
    per_cadre = pandas_training_hours_by_cadre(r, f.year_to_date(), unordered=True)  # no sort
    return pd.DataFrame(
        {
            "cadres": [len(per_cadre)],
            "hours": [per_cadre["hours"].mean() if len(per_cadre) else np.nan],
            "expected": [per_cadre["expected"].mean() if len(per_cadre) else np.nan],
        }
    )


_SHARE_MEASURES = {tuple(ROTATION_TYPES): "rotation", tuple(SECONDMENT_TYPES): "secondment"}


def duck_assignment_share(
    con: duckdb.DuckDBPyConnection, f: Filters, types: list[str]
) -> pd.DataFrame:
    """总览's and 指标达成's 轮岗/挂职 share, as the pages get it (the catalogue's measures)."""
    kind = _SHARE_MEASURES[tuple(types)]
    got = figures(con, f, ["cadres_in_year", f"{kind}_cadres", f"{kind}_share"])
    return pd.DataFrame(
        {
            "cadres": [got["cadres_in_year"]],
            "with_stint": [got[f"{kind}_cadres"]],
            "share": [got[f"{kind}_share"]],
        }
    )


def pandas_assignment_share(r: Records, f: Filters, types: list[str]) -> pd.DataFrame:
    """duck_assignment_share in pandas (an annual quota: from 1 January, as the pages)."""
    start, end = _period(f.year_to_date())
    c = _scoped_cadres(r, f)
    people = c.loc[_in_post(c, start, end), "cadre_id"]
    a = r.assignments
    running = a[
        a["type"].isin(types) & (a["start_date"] <= end) & (a["end_date"].fillna(end) >= start)
    ]
    with_stint = int(people.isin(set(running["cadre_id"])).sum())
    share = with_stint / len(people) if len(people) else None
    return pd.DataFrame({"cadres": [len(people)], "with_stint": [with_stint], "share": [share]})


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_datetime64_any_dtype(series) or (
            len(series) and isinstance(series.dropna().iloc[0] if series.notna().any() else None,
                                       dt.date)
        ):  # fmt: skip
            out[col] = pd.to_datetime(series).astype("datetime64[ns]")
        elif pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            out[col] = series.astype("float64")
        else:
            out[col] = series.astype(object).where(series.notna(), None)
    return out


def same_result(duck: pd.DataFrame, pand: pd.DataFrame, keys: list[str]) -> bool:
    """Equal up to row order (sorted by `keys`), dtype width and float rounding."""
    if list(duck.columns) != list(pand.columns) or len(duck) != len(pand):
        return False
    a = _normalised(duck.sort_values(keys) if keys else duck)
    b = _normalised(pand.sort_values(keys) if keys else pand)
    try:
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-9)
    except AssertionError:
        return False
    return True


@dataclass(frozen=True)
class KeyMetric:
    """A key metric: the DuckDB function, its pandas twin, extra arguments, sort keys."""

    label: str
    duck: Callable[..., pd.DataFrame]
    pandas: Callable[..., pd.DataFrame]
    kwargs: tuple[tuple[str, Any], ...] = ()
    keys: tuple[str, ...] = ()


KEY_METRICS: tuple[KeyMetric, ...] = (
    KeyMetric("participation by group", participation_by_group, pandas_participation_by_group,
              keys=("study_group",)),
    KeyMetric("participation by month", participation_by_month, pandas_participation_by_month,
              keys=("month",)),
    KeyMetric("hours per cadre vs target", duck_training_hours_summary,
              pandas_training_hours_summary),
    KeyMetric("quota: rotation share", duck_assignment_share, pandas_assignment_share,
              kwargs=(("types", tuple(ROTATION_TYPES)),)),
    KeyMetric("quota: secondment share", duck_assignment_share, pandas_assignment_share,
              kwargs=(("types", tuple(SECONDMENT_TYPES)),)),
)  # fmt: skip


def compare_key_metrics(
    con: duckdb.DuckDBPyConnection,
    records: Records,
    f: Filters,
    repeat: int = 1,
    budget: float = 0.0,
) -> list[tuple[KeyMetric, float, float, bool]]:
    """(metric, DuckDB seconds, pandas seconds, equal results) for each key metric.

    Both sides get the same treatment: one untimed call (first-call costs are neither side's
    steady state), then the median of `repeat` calls or of as many as fit in `budget` seconds.
    """
    out = []
    for km in KEY_METRICS:
        kwargs = {k: list(v) for k, v in km.kwargs}
        duck = functools.partial(km.duck, con.cursor(), f, **kwargs)
        pand = functools.partial(km.pandas, records, f, **kwargs)
        duck(), pand()
        duck_s, duck_result = _median_time(duck, repeat, budget=budget)
        pand_s, pand_result = _median_time(pand, repeat, budget=budget)
        out.append((km, duck_s, pand_s, same_result(duck_result, pand_result, list(km.keys))))
    return out


def bench_key_metrics(
    con: duckdb.DuckDBPyConnection, f: Filters, repeat: int
) -> tuple[list[Row], float]:
    """The key metrics side by side with pandas; also returns the seconds spent loading."""
    started = time.perf_counter()
    records = load_records(con)
    loading = time.perf_counter() - started
    rows = []
    for km, duck_s, pand_s, equal in compare_key_metrics(con, records, f, repeat, KEY_BUDGET):
        ratio = pand_s / duck_s if duck_s > 0 else float("inf")
        rows.append(
            Row(
                f"key {km.label}", ms(duck_s), pandas=ms(pand_s), ratio=f"{ratio:,.1f}×",
                target=f"≥ {SPEEDUP:.0f}× pandas, same result ({'same' if equal else 'DIFFERENT'})",
                result=verdict(ratio >= SPEEDUP and equal),
            )
        )  # fmt: skip
    return rows, loading


# ----- the run -----
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_benchmark(db: Path, repeat: int = 3, *, pages_only: bool = False) -> tuple[list[Row], str]:
    """Every measurement on the database at `db`; returns the rows and a heading."""
    db = Path(db).resolve()
    os.environ["CADRE_DB"] = str(db)
    os.environ["CADRE_WARM"] = "0"  # cold means cold: no background warming in this process
    rows = bench_pages(repeat)
    con = connect(db, memory_limit=config.duckdb_memory_limit())  # the app's database instance
    f = Filters(year=as_of_date(con).year, as_of=as_of_date(con))
    if pages_only:
        return rows, f"{db.name} · pages only · load average {os.getloadavg()[0]:.1f}"
    rows += bench_metrics(con, f, repeat)
    peak = _peak_mb()
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    rows.append(
        Row("memory: peak RSS of the app's part", f"{peak:,.0f} MB",
            target=f"≤ {PEAK_MB:,.0f} MB (DuckDB memory_limit {limit}, threads {threads})",
            result=verdict(peak <= PEAK_MB))
    )  # fmt: skip
    key_rows, loading = bench_key_metrics(con, f, repeat)
    rows += key_rows
    rows.append(
        Row("memory: peak RSS with pandas' DataFrames", f"{_peak_mb():,.0f} MB",
            target=f"(loading them took {ms(loading)}; not timed above)")
    )  # fmt: skip
    counts = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        for t in ("cadres", "activities", "attendance")
    }
    heading = (
        f"{Path(db).name}: {counts['cadres']:,} cadres, {counts['activities']:,} activities, "
        f"{counts['attendance']:,} attendance rows · filters {f.label()} "
        f"({f.period_start} – {f.period_end}) · DuckDB {duckdb.__version__}, pandas "
        f"{pd.__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )
    return rows, heading


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="City-scale benchmark of every page and metric")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "city.duckdb")
    parser.add_argument("--cadres", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database first")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per measurement")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any line FAILs")
    parser.add_argument("--pages-only", action="store_true", help="only the page reruns")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium and the rush")
    parser.add_argument("--reloads", type=int, default=3, help="browser reloads per page")
    parser.add_argument("--rush", type=int, nargs="*", default=[1, 10, 30], help="rush sizes")
    serve_multi.add_processes_option(parser)
    args = parser.parse_args(argv)
    if args.rebuild or not args.db.exists():
        # In a child process, so that building does not count towards the app's peak memory.
        command = [
            sys.executable, "-m", "analytics.generators.citygen", "--db", str(args.db),
            "--cadres", str(args.cadres), "--units", str(args.units), "--groups",
            str(args.groups), "--years", str(args.years), "--seed", str(args.seed),
        ]  # fmt: skip
        subprocess.run(command, check=True, cwd=ROOT)
    browser_rows: list[Row] = []
    if not args.no_browser:
        # First, in a server process of its own: this process opens the file afterwards.
        from scripts import bench_browser

        measured = bench_browser.measure(
            args.db, args.reloads, tuple(args.rush), processes=tuple(args.processes)
        )
        browser_rows = bench_browser.rows(*measured)
    rows, heading = run_benchmark(args.db, repeat=args.repeat, pages_only=args.pages_only)
    rows = browser_rows + rows
    print(format_table(rows, heading), flush=True)
    failed = any(r.result.startswith("FAIL") for r in rows)
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
