"""自助分析 in a real browser: a link reproduces a question, a click on a bar adds that bar as a
filter (in the URL too), and the breadcrumb goes back."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import click_centre, wait_for_app

QUESTION = re.compile(r"^当前问题：(.+)$")


def question(page: Page) -> str:
    text = page.get_by_test_id("stAlertContentInfo").get_by_text(QUESTION)
    expect(text).to_have_count(1)
    return QUESTION.match(text.inner_text().strip()).group(1)


def test_a_link_asks_a_question_and_a_bar_click_adds_a_filter(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/explore?year=2025&measure=reports&by=division&x_report_type=调研报告")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert question(page) == "调研成果数 · 按处室 · 成果类型：调研报告"
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_text("合计", exact=True)).to_have_count(1)

    chart = page.locator('[data-testid="stPlotlyChart"]').first
    bars = chart.locator("g.trace.bars path")
    top = chart.locator("g.ytick text").last.text_content()  # the largest bar is drawn on top
    click_centre(page, bars.last)
    expect(page.get_by_test_id("stAlertContentInfo").get_by_text(QUESTION)).to_have_text(
        f"当前问题：调研成果数 · 按处室 · 处室：{top} · 成果类型：调研报告"
    )
    query = parse_qs(urlsplit(page.url).query)
    assert query["x_division"] == [top] and query["measure"] == ["reports"]

    page.get_by_role("button", name="起点").click()
    wait_for_app(page)
    assert question(page) == "调研成果数 · 按处室 · 成果类型：调研报告"
    assert "x_division" not in parse_qs(urlsplit(page.url).query)
    assert page.locator('[data-testid="stException"]').count() == 0
