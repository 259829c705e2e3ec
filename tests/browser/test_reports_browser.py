"""调研成果 drill-through in a real browser: click a bar, the report list narrows to its rows."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import click_centre, wait_for_app

# The chart's plotly data, so the test clicks the bar it means and knows the bar's value.
_BAR_JS = """
([title, label]) => {
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    const gd = chart.querySelector('.js-plotly-plot');
    if (!gd || !gd.layout || !gd.layout.title || !String(gd.layout.title.text).includes(title)) continue;
    const trace = gd._fullData[0];  // decoded (data may hold base64 typed arrays)
    const index = Array.from(trace.y).indexOf(label);
    return {index, value: index < 0 ? null : trace.x[index]};
  }
  return null;
}
"""


def test_clicking_a_source_bar_narrows_the_report_list(page: Page, app_url: str) -> None:
    # Start at the home page and navigate as a user does (the sidebar link).
    page.goto(f"{app_url}/")
    wait_for_app(page)
    page.get_by_role("link", name="调研成果").click()
    wait_for_app(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_role("heading", name="调研成果")).to_be_visible()

    count = main.get_by_text(re.compile(r"^显示 \d+ / \d+ 篇$"))
    before = count.inner_text()
    total = int(re.fullmatch(r"显示 (\d+) / (\d+) 篇", before).group(2))
    assert before == f"显示 {total} / {total} 篇"

    bar = page.evaluate(_BAR_JS, ["按来源", "回乡见闻"])
    assert bar is not None and bar["index"] >= 0, bar
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="按来源")
    click_centre(page, chart.locator(".trace.bars .point path").nth(bar["index"]))

    expect(count).to_have_text(f"显示 {bar['value']} / {total} 篇")
    assert 0 < bar["value"] < total
    expect(main.get_by_text(re.compile("已按图表选择筛选：回乡见闻"))).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
