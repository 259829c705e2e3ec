"""A restarted server warms the figures its predecessor's pages asked for before any browser
connects (serve.py's st.App lifespan starts ui/warm.py's thread)."""

from __future__ import annotations

import shutil
import time

import pytest

from analytics.common.filters import Filters
from analytics.metrics.overview import overview_kpis
from analytics.metrics.quotas import quota_compliance
from analytics.store.db import as_of_date, connect, data_start
from tests.browser import live
from ui import warm


@pytest.mark.browser
def test_the_server_computes_the_kept_calls_at_start_before_anyone_visits(demo_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    con = connect(db, read_only=True)
    f = Filters(year=as_of_date(con).year, as_of=as_of_date(con), data_start=data_start(con))
    con.close()
    warm.forget()
    warm.remember(overview_kpis, f, "管理员|*", {})  # what a previous server's pages asked for
    warm.remember(quota_compliance, f, "管理员|*", {})
    assert warm.save(warm.calls_file(str(db))) == 2
    warm.forget()
    with live.serve(db, tmp_path, {"CADRE_WARM": "1"}) as (_, _proc):
        log = tmp_path / "streamlit.log"
        deadline = time.monotonic() + 60
        while "cache warming at start" not in live.tail(log, 100_000):
            assert time.monotonic() < deadline, live.tail(log, 3000)
            time.sleep(0.5)
        lines = [x for x in live.tail(log, 100_000).splitlines() if "cache warming at start" in x]
    # No browser ever connected: the figures were computed at start, both of them.
    assert "cache warming at start: 2 calls" in lines[0]
