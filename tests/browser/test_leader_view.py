"""总览 as a leader opens it on a 1280×720 (and 1440×900) screen. The screenshots land in
screenshots/ for people to look at. (Raw values on every page: tests/browser/test_pages.py.)"""

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import SCREENSHOT_DIR, wait_for_app


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900)], ids=["1280x720", "1440x900"])
def test_overview_first_screen_answers_how_we_are_doing(
    browser: Browser, app_url: str, size: tuple[int, int]
) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/")
        wait_for_app(page)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"overview-{width}x{height}.png"))

        def visible(locator, what: str) -> None:
            box = locator.bounding_box()
            assert box is not None, f"{what} not drawn"
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (
                f"{what} not in the first {width}×{height} screen: {box}"
            )

        main = page.locator('[data-testid="stMainBlockContainer"]')
        visible(main.get_by_text("统计范围：", exact=False).first, "scope")
        verdict = main.get_by_text("项年度指标", exact=False).first
        visible(verdict, "verdict")
        line = verdict.locator("xpath=ancestor::*[@data-testid='stMarkdown'][1]").inner_text()
        for word in ("项达标", "项接近", "项落后"):
            assert word in line, line
        alerts = main.locator('[data-testid="stAlert"]')
        assert alerts.count() >= 3
        for i in range(3):
            visible(alerts.nth(i), f"attention item {i + 1}")
            assert "（差 " in alerts.nth(i).inner_text()

        # Cards: nothing cut off, one height for all.
        values = main.locator('[data-testid="stMetricValue"]')
        assert values.count() == 10
        cut = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMetricValue"] div,'
                + '[data-testid="stMetricLabel"] p')]
                .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
        )
        assert not cut, f"truncated at {width}px: {cut}"
        heights = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
                .map(m => Math.round(m.closest('[data-testid="stVerticalBlockBorderWrapper"],'
                + '[data-testid="stVerticalBlock"]').getBoundingClientRect().height))"""
        )
        assert len(set(heights)) == 1, f"cards differ in height: {heights}"
        assert all(" " in v or "%" in v for v in values.all_inner_texts()), "a value lacks a unit"
    finally:
        context.close()
