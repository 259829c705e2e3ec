"""学习参与: clicking a group bar (and then a grid's 全期 square) narrows the rows shown beside
the chart; the period's full table at the bottom stays whole."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import bar_of, click_mark, wait_for_app

ALL_ROWS = re.compile(r"^共 ([\d,]+) 条记录$")
PICKED = re.compile(r"^选中 ([\d,]+) 条记录$")


def rows(page: Page, caption: re.Pattern[str]) -> int:
    shown = page.get_by_text(caption)
    expect(shown).to_have_count(1)
    return int(caption.match(shown.inner_text().strip()).group(1).replace(",", ""))


def test_clicking_a_group_bar_narrows_the_rows_beside_it(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/participation?year=2025")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    everything = rows(page, ALL_ROWS)
    assert everything > 1000
    expect(page.get_by_text(PICKED)).to_have_count(0)

    click_mark(page, bar_of(page, "第一学习小组", "各小组出勤构成"))
    selection = page.get_by_test_id("stAlertContentInfo").locator("p")
    expect(selection).to_have_text(re.compile(r"^当前选择：小组 第一学习小组$"))
    one_group = rows(page, PICKED)
    assert 0 < one_group < everything
    assert rows(page, ALL_ROWS) == everything  # the period's table is not the drill's

    # A grid's 全期 square then narrows to one cadre (the group's drill is dropped).
    grid = page.locator('[data-testid="stPlotlyChart"]').nth(3)
    click_mark(page, grid.locator("g.trace.scatter path.point").first)
    expect(selection).to_have_text(re.compile(r"^当前选择：干部 [^；]+$"))
    one_cadre = rows(page, PICKED)
    assert 0 < one_cadre < one_group

    page.get_by_role("button", name="清除选择").click()
    wait_for_app(page)
    expect(page.get_by_text(PICKED)).to_have_count(0)
    assert rows(page, ALL_ROWS) == everything
    assert page.locator('[data-testid="stException"]').count() == 0
