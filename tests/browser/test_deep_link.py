"""A shared link opened on a freshly started server shows the linked page with its filters.

Streamlit starts in its pages/-folder mode until app.py first calls st.navigation, so the very
first request, if it is a deep link, used to run the page file without app.py (a traceback).
"""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page

from tests.browser.conftest import wait_for_app
from ui.navigation import PAGE_SPECS

# The deepest page there is: a non-default page when one exists.
SPEC = next((s for s in PAGE_SPECS if not s.default), PAGE_SPECS[0])


def test_first_request_is_a_deep_link_with_filters(page: Page, fresh_app_url: str) -> None:
    page.goto(f"{fresh_app_url}/{SPEC.url_path}?year=2024&group=第二学习小组")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert urlsplit(page.url).path == ("/" if SPEC.default else f"/{SPEC.url_path}")
    assert parse_qs(urlsplit(page.url).query) == {"year": ["2024"], "group": ["第二学习小组"]}
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "统计期间：2024-01-01 至 2024-12-31" in sidebar.inner_text()
    assert sidebar.get_by_role("combobox", name="学习小组").input_value() == "第二学习小组"
    assert SPEC.title in page.locator('[data-testid="stMainBlockContainer"]').inner_text()
