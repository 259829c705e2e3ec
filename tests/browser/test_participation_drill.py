"""学习参与: clicking a group bar (and then a heatmap square) narrows the detail table below."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import click_centre, wait_for_app

ROWS = re.compile(r"^共 ([\d,]+) 条记录$")


def rows_shown(page: Page) -> int:
    caption = page.get_by_text(ROWS)
    expect(caption).to_have_count(1)
    return int(ROWS.match(caption.inner_text().strip()).group(1).replace(",", ""))


def test_clicking_a_group_bar_narrows_the_detail_table(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/participation?year=2025")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    everything = rows_shown(page)
    assert everything > 1000

    group_chart = page.locator('[data-testid="stPlotlyChart"]').first
    click_centre(page, group_chart.locator("g.trace.bars path").first)
    selection = page.get_by_test_id("stAlertContentInfo").locator("p")
    expect(selection).to_have_text(re.compile(r"^当前选择：小组 第.学习小组$"))
    one_group = rows_shown(page)
    assert 0 < one_group < everything

    # A heatmap square then narrows to one cadre in one month.
    grid = page.locator('[data-testid="stPlotlyChart"]').nth(3)
    click_centre(page, grid.locator("g.trace.scatter path.point").first)
    expect(selection).to_have_text(re.compile(r"^当前选择：月份 .+；干部 [^；]+$"))
    one_cell = rows_shown(page)
    assert 0 < one_cell < one_group

    page.get_by_role("button", name="清除选择").click()
    wait_for_app(page)
    assert rows_shown(page) == everything
    assert page.locator('[data-testid="stException"]').count() == 0
