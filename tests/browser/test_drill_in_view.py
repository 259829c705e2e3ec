"""A chart click shows its result where the click happened: after clicking a bar (or a grid's
square), the narrowed table beside the chart is on the screen, at 1280×720 and 1440×900 alike,
never thousands of pixels further down. Screenshots land in screenshots/drill-*.png."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    SCREENSHOT_DIR,
    assert_on_screen,
    bar_of,
    click_mark,
    wait_for_app,
)

SIZES = [(1280, 720), (1440, 900)]


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def screen(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(page: Page, name: str) -> None:
    size = page.viewport_size or {"width": 0, "height": 0}
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"drill-{name}-{size['width']}x{size['height']}.png"))


def test_participation_shows_a_clicks_rows_beside_the_chart(screen: Page, app_url: str) -> None:
    page = screen
    page.goto(f"{app_url}/participation?year=2025")
    wait_for_app(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    picked = main.get_by_test_id("stAlertContentInfo")
    expect(picked).to_have_count(0)

    click_mark(page, bar_of(page, "第三学习小组", "各小组出勤构成"))
    expect(picked).to_have_text(re.compile(r"当前选择：小组 第三学习小组$"))
    assert_on_screen(page, picked, "the group's rows")
    count = main.get_by_text(re.compile(r"^选中 [\d,]+ 条记录$"))
    assert_on_screen(page, count, "the count of the group's rows")

    click_mark(page, bar_of(page, "导师领学", "各形式活动场次"))
    expect(picked).to_have_text(re.compile(r"当前选择：形式 导师领学$"))  # the last click wins
    assert_on_screen(page, picked, "the 形式's rows")

    # The grid is taller than the screen: a row far down still shows its rows on the screen.
    grid = page.locator('[data-testid="stPlotlyChart"]').nth(3)
    squares = grid.locator("g.trace.scatter path.point")
    assert squares.count() >= 80  # one 全期 square per cadre, not one marker per cell
    click_mark(page, squares.nth(squares.count() - 5))
    expect(picked).to_have_text(re.compile(r"当前选择：干部 \S+$"))
    assert_on_screen(page, picked, "the cadre's rows beside the grid")
    shot(page, "participation-grid")

    page.get_by_role("button", name="清除选择").click()
    wait_for_app(page)
    expect(picked).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_reports_list_beside_the_charts_narrows_on_screen(screen: Page, app_url: str) -> None:
    page = screen
    page.goto(f"{app_url}/reports?year=2025")
    wait_for_app(page)
    count = page.get_by_text(re.compile(r"^显示 \d+ / \d+ 篇$"))
    total = int(re.fullmatch(r"显示 \d+ / (\d+) 篇", count.inner_text()).group(1))

    click_mark(page, bar_of(page, "回乡见闻", "按来源"))
    expect(count).to_have_text(re.compile(rf"^显示 [1-9]\d* / {total} 篇$"))
    assert_on_screen(page, count, "the narrowed report list")
    # Further down the page the list is still beside the chart that was clicked.
    click_mark(page, bar_of(page, "采纳", "从提交到成效"))
    expect(page.get_by_text(re.compile("已按图表选择筛选：.*采纳"))).to_be_visible()
    assert_on_screen(page, count, "the report list beside the funnel")
    shot(page, "reports-funnel")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_awards_list_narrows_beside_the_chart(screen: Page, app_url: str) -> None:
    page = screen
    page.goto(f"{app_url}/awards?year=2025")
    wait_for_app(page)
    click_mark(page, bar_of(page, "市级"))
    picked = page.get_by_text("已按图表选择筛选：市级 · 优异成绩，显示 1 / 4 项。")
    expect(picked).to_be_visible()
    assert_on_screen(page, picked, "the narrowed award list")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_quota_names_narrow_beside_the_breakdown(screen: Page, app_url: str) -> None:
    page = screen
    page.goto(f"{app_url}/quotas?year=2025")
    wait_for_app(page)
    click_mark(page, bar_of(page, "政务值班室", "跨处室轮岗、专项工作占比"))
    picked = page.get_by_text("名单已限定为：政务值班室")
    expect(picked).to_be_visible()
    assert_on_screen(page, picked, "the names still needed in the division")
    shot(page, "quotas-division")
    assert page.locator('[data-testid="stException"]').count() == 0
