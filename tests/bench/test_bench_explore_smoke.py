"""The 自助分析 benchmark at tiny scale: it prints one line per question, and its pandas
versions of the five questions give the semantic layer's answers (so the comparison is fair)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analytics.common.config import PROJECT_ROOT
from analytics.common.filters import Filters
from analytics.generators.citygen import build_city
from analytics.semantic.answer import answer
from analytics.store.db import as_of_date, connect
from scripts.bench_explore import CASES, load_records, same_answer


@pytest.fixture(scope="module")
def tiny_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("city") / "city.duckdb"
    build_city(path, cadres=300, units=3, groups=3, years=2)
    return path


def test_the_pandas_versions_answer_the_same_five_questions(tiny_city: Path):
    con = connect(tiny_city, read_only=True)
    as_of = as_of_date(con)
    records = load_records(con)
    for f in (Filters(year=as_of.year, as_of=as_of), Filters(year=as_of.year - 1, as_of=as_of)):
        for case in CASES:
            duck = answer(con, f, case.question)
            assert len(duck) >= 1 and duck["value"].sum() > 0, case.title  # not vacuous
            assert same_answer(duck, case.pandas(records, f), case.question.dims[0]), case.title
    changed = duck.assign(value=duck["value"] * 1.000001)
    assert not same_answer(changed, case.pandas(records, f), case.question.dims[0])


def test_the_explore_benchmark_prints_a_line_per_question(tiny_city: Path):
    run = subprocess.run(
        [sys.executable, "scripts/bench_explore.py", "--db", str(tiny_city), "--repeat", "1"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [x for x in run.stdout.splitlines() if x.startswith("explore ")]
    assert [x.split("|")[0].removeprefix("explore ").strip() for x in lines] == [
        c.title for c in CASES
    ]
    for line in lines:
        assert "(same)" in line and line.rstrip().endswith(("PASS", "FAIL")), line
