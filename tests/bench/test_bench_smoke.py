"""The city-scale benchmark at tiny scale: it runs, prints its table, and its pandas baseline
computes the same numbers as the DuckDB metrics (the comparison `make bench` relies on)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analytics.common.config import PROJECT_ROOT
from analytics.common.filters import Filters
from analytics.generators.citygen import build_city
from analytics.store.db import as_of_date, connect
from scripts import bench
from scripts.bench import KEY_METRICS, compare_key_metrics, load_records, same_result
from ui.navigation import PAGE_SPECS


@pytest.fixture(scope="module")
def tiny_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("city") / "city.duckdb"
    build_city(path, cadres=300, units=3, groups=3, years=2)
    return path


def test_the_benchmark_prints_one_line_per_page_and_key_metric(tiny_city: Path):
    run = subprocess.run(
        [sys.executable, "scripts/bench.py", "--db", str(tiny_city), "--repeat", "1", "--no-browser"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert "300 cadres" in lines[0]
    for spec in PAGE_SPECS:
        line = next(x for x in lines if x.startswith(f"page {spec.title} ({spec.url_path})"))
        assert "exception" not in line
        assert line.rstrip().endswith(("PASS", "FAIL"))
    for km in KEY_METRICS:
        line = next(x for x in lines if x.startswith(f"key {km.label}"))
        assert "(same)" in line, line
    assert any(x.startswith("memory: peak RSS of the app's part") for x in lines)
    assert "memory_limit" in run.stdout


@pytest.mark.parametrize(
    "choice",
    [
        {},
        {"quarter": 2},
        {"year": 2024},
        {"group": "第2学习小组"},
        {"division": "市教育局", "quarter": 3},
    ],
    ids=["year", "quarter", "last-year", "group", "division-quarter"],
)
def test_pandas_baseline_equals_duckdb_for_every_key_metric(tiny_city: Path, choice: dict):
    con = connect(tiny_city, read_only=True)
    as_of = as_of_date(con)
    f = Filters(**{"year": as_of.year, "as_of": as_of, **choice})
    results = compare_key_metrics(con, load_records(con), f)
    assert [km.label for km, *_ in results] == [km.label for km in KEY_METRICS]
    for km, _, _, equal in results:
        assert equal, km.label
    # Not vacuous: the compared frames hold real numbers.
    by_group = KEY_METRICS[0].duck(con.cursor(), f)
    assert len(by_group) >= 1 and by_group["expected"].sum() > 100
    assert 0 < by_group["attended"].sum() < by_group["expected"].sum()


def test_same_result_notices_a_single_changed_number():
    a = pd.DataFrame({"g": ["x", "y"], "n": [3, 4], "rate": [0.5, 0.25]})
    assert same_result(a, a.iloc[::-1], ["g"])  # row order does not matter
    b = a.copy()
    b.loc[1, "rate"] = 0.2500001
    assert not same_result(a, b, ["g"])
    assert not same_result(a, a.rename(columns={"n": "m"}), ["g"])


def test_key_metric_timing_repeats_calls_until_its_time_budget_is_spent(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(bench, "time", SimpleNamespace(perf_counter=lambda: now[0]))
    calls = []

    def call():  # each call takes 2 ms on the fake clock
        calls.append(1)
        now[0] += 0.002
        return len(calls)

    _, result = bench._median_time(call, 3)
    assert len(calls) == 3 and result == 3  # no budget: exactly `repeat` calls
    calls.clear()
    seconds, _ = bench._median_time(call, 3, budget=0.05)
    assert len(calls) == 25 and seconds == pytest.approx(0.002)  # 0.05 s of 2 ms calls
    calls.clear()
    bench._median_time(call, 3, budget=10.0, max_runs=7)
    assert len(calls) == 7


def test_every_metric_of_every_package_is_found_to_be_timed():
    """The table times each (con, f) metric on its own: the packages' modules are walked too."""
    names = {f"{fn.__module__}.{fn.__name__}" for fn in bench.discover_metrics()}
    assert {
        "analytics.metrics.participation.participation_by_group",
        "analytics.metrics.quotas.quota_compliance",
        "analytics.briefing.figures.briefing_figures",
    } <= names
    assert len(names) > 40
