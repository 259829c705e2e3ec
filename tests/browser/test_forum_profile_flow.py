"""One real click: from 季度座谈会's "需要关注的青年干部" list to that cadre's 干部档案."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOT_DIR, wait_for_app


def test_a_name_on_the_forum_page_opens_the_profile(
    page: Page, app_url: str, external_requests: list[str]
) -> None:
    page.goto(f"{app_url}/forum")
    wait_for_app(page)

    link = page.locator('[data-testid="stPageLink"] a').filter(has_text=re.compile(r"（Q\d+）"))
    expect(link.first).to_be_visible()
    label = link.first.inner_text()
    name, cadre_id = re.search(r"(\S+)（(Q\d+)）", label).groups()
    link.first.click()
    page.wait_for_url(re.compile(rf"/profile\?.*cadre={cadre_id}"))
    wait_for_app(page)

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "forum_to_profile.png"), full_page=True)
    heading = page.locator('[data-testid="stMainBlockContainer"] h2').first
    expect(heading).to_have_text(name)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "本年度还需完成" in page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    assert not external_requests
