"""One real drill-through on 竞赛获奖: click the 市级 bar, the award list narrows to the one award
won at a 市级 contest, its download says so, and clearing the selection brings all four back."""

import csv
import io

from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_for_app


def bar_centres(page: Page, chart_index: int) -> list[tuple[float, float]]:
    """Centres of the bars of the n-th plotly chart on the page, left to right."""
    chart = page.locator('[data-testid="stPlotlyChart"]').nth(chart_index)
    chart.scroll_into_view_if_needed()
    boxes = [
        box
        for path in chart.locator("g.barlayer g.point path").all()
        if (box := path.bounding_box()) and box["width"] > 0 and box["height"] > 0
    ]
    return sorted((b["x"] + b["width"] / 2, b["y"] + b["height"] / 2) for b in boxes)


def downloaded_csv(page: Page, button: str) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).first.click()
    text = info.value.path().read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_clicking_a_bar_narrows_the_award_list_and_its_download(page: Page, app_url: str):
    page.goto(f"{app_url}/awards?year=2025")
    wait_for_app(page)
    expect(page.get_by_text("点击左侧图表中的柱形或圆点")).to_be_visible()
    assert len(downloaded_csv(page, "下载 CSV")) == 3  # the timeline: three competitions

    bars = bar_centres(page, 0)
    assert len(bars) == 3  # 市直机关 一等奖 and 二等奖 stacked, 市级 优异成绩
    x, y = bars[-1]  # the rightmost bar: 市级
    page.mouse.move(x, y)  # plotly picks the point under the pointer on hover, then clicks it
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    wait_for_app(page)

    expect(page.get_by_text("已按图表选择筛选：市级 · 优异成绩，显示 1 / 4 项。")).to_be_visible()
    award_list_csv = page.get_by_role("button", name="下载 CSV").nth(1)
    with page.expect_download() as info:
        award_list_csv.click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_bytes().decode("utf-8-sig"))))
    assert [(r["比赛名称"], r["奖项"], r["作品"]) for r in rows] == [
        ("“使命必达我们的价值观”宣讲大赛", "优异成绩", "《热线连民心 服务暖万家》")
    ]

    page.get_by_role("button", name="清除图表选择").click()
    wait_for_app(page)
    expect(page.get_by_text("已按图表选择筛选")).to_have_count(0)
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 CSV").nth(1).click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 4
    assert not page.locator('[data-testid="stException"]').count()
