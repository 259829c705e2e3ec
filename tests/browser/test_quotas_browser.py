"""指标达成 in Chromium: an admin edits a year's target and the status follows at once.

The edit is undone at the end (the demo database is shared by the session's browser tests).
"""

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import bar_of, click_mark, wait_for_app

ROTATION = "跨处室轮岗、专项工作占比"
FIELD = f"{ROTATION}（%）"


def kpi_card(page: Page, label: str) -> Locator:
    """The bordered card around one KPI: the innermost block that holds its st.metric."""
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return page.locator('[data-testid="stVerticalBlock"]').filter(has=metric).last


def save_rotation_target(page: Page, percent: str) -> None:
    field = page.get_by_label(FIELD)
    field.fill(percent)
    field.press("Tab")  # commit the value to the form before submitting
    page.get_by_role("button", name="保存目标").click()
    wait_for_app(page)


def test_editing_a_target_changes_the_status(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/quotas?year=2025")
    wait_for_app(page)
    card = kpi_card(page, ROTATION)
    expect(card).to_contain_text("23.8%")
    expect(card).to_contain_text("目标 30.0%")
    expect(card).to_contain_text("落后")

    page.get_by_text("编辑 2025 年度目标").click()
    expect(page.get_by_label(FIELD)).to_have_value("30")
    try:
        save_rotation_target(page, "20")
        expect(page.get_by_text("2025 年度目标已保存。")).to_be_visible()
        card = kpi_card(page, ROTATION)
        expect(card).to_contain_text("目标 20.0%")
        expect(card).to_contain_text("达标")
        expect(card).not_to_contain_text("落后")

        # A share above 100 % is refused with a Chinese message and nothing changes.
        save_rotation_target(page, "150")
        expect(page.get_by_text("应填写 0 到 100 之间的百分数")).to_be_visible()
        expect(kpi_card(page, ROTATION)).to_contain_text("目标 20.0%")
    finally:
        save_rotation_target(page, "30")
    card = kpi_card(page, ROTATION)
    expect(card).to_contain_text("目标 30.0%")
    expect(card).to_contain_text("落后")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_clicking_a_division_narrows_the_name_lists(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/quotas?year=2025")
    wait_for_app(page)
    expect(page.get_by_text("名单已限定为")).to_have_count(0)
    click_mark(page, bar_of(page, "政务值班室", ROTATION))
    expect(page.get_by_text("名单已限定为：政务值班室")).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
