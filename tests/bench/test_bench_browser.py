"""The benchmark's browser part at tiny scale: Chromium reaches every page signed in, the
figures are real measurements, and a rush finishes every session."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from analytics.generators.citygen import build_city
from scripts import bench_browser
from ui.navigation import PAGE_SPECS


@pytest.mark.browser
def test_browser_part_measures_every_page_and_a_rush(tmp_path):
    db = tmp_path / "city.duckdb"
    build_city(db, cadres=120, units=2, groups=2, years=1)
    specs = [s for s in PAGE_SPECS if s.url_path in ("overview", "participation")]
    # In a process of its own: Playwright's sync API refuses to start inside the asyncio loop
    # that pytest-playwright's fixtures leave running in this one.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pages, crowd, floors = pool.submit(
            bench_browser.measure, db, reloads=1, rushes=(4,), specs=specs
        ).result(timeout=600)
    assert [p.url_path for p in pages] == ["overview", "participation"]
    for p in pages:
        assert p.signed_in, p  # the trusted-header sign-in worked: the account box shows
        assert 0 < p.first_ms < 120_000 and 0 < p.reload_ms < 120_000, p
        # A signed-in page carries the app's static files on a first visit and its own
        # elements on a reload; the sign-in form alone would be far smaller.
        assert p.first_bytes > p.reload_bytes > 5_000, p
    assert pages[0].filter_ms is not None and pages[0].filter_ms > 0
    (rush,) = crowd
    assert rush.sessions == 4 and rush.errors == 0
    assert 0 < rush.median_s <= rush.p95_s
    assert rush.peak_rss_mb > 50
    # The floor: the bare page with a chart fetched plotly's chunk (megabytes) on its first
    # visit, the one without did not.
    bare, charted = floors
    assert bare.reload_ms > 0 and charted.reload_ms > 0
    assert charted.first_bytes - bare.first_bytes > 3_000_000, floors
    lines = bench_browser.rows(pages, crowd, floors)
    assert any(r.item.startswith("rush of 4 sessions") for r in lines)
    assert sum(r.item.startswith("floor: a bare Streamlit page") for r in lines) == 2
