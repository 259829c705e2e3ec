"""The cache warmer (ui/warm.py): which calls it remembers, and that it runs each once, logging
a failure instead of raising it."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from analytics.common.filters import Filters
from ui import warm

AS_OF = dt.date(2025, 11, 30)


def default(**kw) -> Filters:
    return Filters(year=2025, as_of=AS_OF, **kw)


def overview(con, f):
    return "overview"


def reports(con, f):
    raise RuntimeError("database locked")


@pytest.fixture(autouse=True)
def _empty():
    warm.forget()
    yield
    warm.forget()


@pytest.mark.parametrize(
    ("f", "kept"),
    [(default(), True), (default(group="一组", visible_group="一组"), True),
     (default(quarter=2), False), (default(group="一组"), False), (default(division="督查处"), False),
     (Filters(year=2024, as_of=AS_OF), False), (None, False)],
)  # fmt: skip
def test_only_the_default_period_is_remembered(f, kept):
    warm.remember(overview, f, "管理员|*", {})
    assert len(warm.remembered()) == int(kept)


def test_a_call_is_remembered_once_and_the_oldest_go_first(monkeypatch):
    monkeypatch.setattr(warm, "WARM_MAX_CALLS", 2)
    for n in (1, 2, 1, 3):
        warm.remember(overview, default(), "管理员|*", {"n": n})
    assert [dict(c.kwargs)["n"] for c in warm.remembered()] == [1, 3]


def test_every_call_runs_once_and_a_failure_is_logged_not_raised(caplog):
    calls = [warm.Call(fn, default(), "管理员|*", ()) for fn in (overview, reports, overview)]
    ran = []

    def compute(call):
        ran.append(call.fn.__name__)
        return call.fn(None, call.f)

    with caplog.at_level(logging.INFO, logger=warm.WARM_LOGGER):
        done = warm.warm(calls, compute, pause=0)
    assert ran == ["overview", "reports", "overview"] and done == 2
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in failures] == ["warming reports failed"]
    assert "database locked" in str(failures[0].exc_info[1])


def test_after_a_write_the_same_defaults_follow_the_new_as_of_date():
    f = default(group="一组", visible_group="一组")
    moved = warm.for_new_data(f, dt.date(2026, 1, 31), dt.date(2021, 1, 1))
    assert (moved.year, moved.as_of, moved.group, moved.quarter) == (
        2026, dt.date(2026, 1, 31), "一组", None,
    )  # fmt: skip
    assert warm.is_default(moved)


def test_the_calls_are_kept_beside_the_database_and_come_back_the_same(tmp_path):
    from analytics.metrics.awards import award_kpis
    from analytics.metrics.quotas import quota_breakdown

    warm.remember(award_kpis, default(), "管理员|*", {})
    warm.remember(quota_breakdown, default(), "领导|*", {"by": "division"})
    warm.remember(quota_breakdown, default(), "领导|*", {"by": ("a", "b")})  # JSON makes a list
    warm.remember(overview, default(), "管理员|*", {})  # not a function of analytics
    path = warm.calls_file(str(tmp_path / "office.duckdb"))
    assert path.name == "office.duckdb.warm.json"
    assert warm.save(path) == 2
    kept = warm.remembered()[:2]
    warm.forget()
    assert warm.load(path) == kept


def test_a_kept_call_that_no_longer_resolves_is_left_out_with_a_warning(tmp_path, caplog):
    path = tmp_path / "office.duckdb.warm.json"
    good = {"fn": "analytics.metrics.awards:award_kpis", "f": default().model_dump(mode="json"),
            "scope": "管理员|*", "kwargs": {}}  # fmt: skip
    path.write_text(
        json.dumps([{**good, "fn": "analytics.metrics.awards:renamed"},
                    {**good, "fn": "os:system"}, good]),
        encoding="utf-8",
    )  # fmt: skip
    with caplog.at_level(logging.WARNING, logger=warm.WARM_LOGGER):
        calls = warm.load(path)
    assert [c.fn.__name__ for c in calls] == ["award_kpis"]
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2
    assert warm.load(tmp_path / "none.warm.json") == []
