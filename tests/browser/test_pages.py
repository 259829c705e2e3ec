"""Every page in ui.navigation.PAGE_SPECS opens in Chromium, runs without an exception and
shows its Chinese title. A full-page screenshot of each lands in screenshots/<url_path>.png.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import SCREENSHOT_DIR, wait_for_app
from ui.navigation import PAGE_SPECS, PageSpec

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
RAW = re.compile(r"\b(None|nan|NaN|NaT)\b|\{\"year\"|00:00:00")


def page_url(app_url: str, spec: PageSpec) -> str:
    """The default page is served at "/", every other page at "/<url_path>"."""
    return f"{app_url}/" if spec.default else f"{app_url}/{spec.url_path}"


def screenshot_whole_app(page: Page, path: Path) -> None:
    """Screenshot the whole page for humans to look at.

    Streamlit scrolls inside <section data-testid="stMain">, so a "full page" screenshot
    shows only the viewport: first make the viewport as tall as the main area.
    """
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0"
    )
    viewport = page.viewport_size or {"width": 1400, "height": 900}
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(height, 12000)})
        wait_for_app(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=[spec.url_path for spec in PAGE_SPECS])
def test_page_renders(
    page: Page, app_url: str, external_requests: list[str], spec: PageSpec
) -> None:
    url = page_url(app_url, spec)
    page.goto(url)
    wait_for_app(page)

    screenshot = SCREENSHOT_DIR / f"{spec.url_path}.png"
    screenshot_whole_app(page, screenshot)

    # Collect every problem first, so one run tells all of them.
    problems: list[str] = []
    exceptions = page.locator('[data-testid="stException"]')
    for i in range(exceptions.count()):
        problems.append(f"exception shown:\n{exceptions.nth(i).inner_text()}")
    # The sidebar writes its filters into the query string (?year=…), so compare the path only.
    if not spec.default and not urlsplit(page.url).path.rstrip("/").endswith(f"/{spec.url_path}"):
        problems.append(f"redirected to {page.url}")
    dom_text = page.evaluate("document.body.textContent") or ""
    if spec.title not in dom_text:
        problems.append(f"page title {spec.title!r} is nowhere in the DOM")
    main_text = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    if not CJK.search(main_text):
        problems.append("no Chinese text in the main area")
    for match in RAW.finditer(main_text):
        problems.append(
            f"raw value shown: …{main_text[max(0, match.start() - 20) : match.end() + 20]}…"
        )
    frames = page.locator('[data-testid="stDataFrame"]')
    shown = [frames.nth(i) for i in range(frames.count()) if frames.nth(i).is_visible()]
    if shown:  # a table's toolbar (on hover) must not offer Streamlit's own, unaudited CSV
        shown[0].scroll_into_view_if_needed()
        shown[0].hover()
        toolbar = page.locator('[data-testid="stElementToolbar"] button')
        toolbar.first.wait_for(state="attached", timeout=5000)
        labels = [b.get_attribute("aria-label") or "" for b in toolbar.all()]
        if any("Download" in label or "下载" in label for label in labels):
            problems.append(f"a table offers an unaudited download: {labels}")
    if external_requests:
        problems.append(f"tried to load from outside the machine: {external_requests}")
    assert not problems, f"{url} (screenshot: {screenshot}):\n" + "\n".join(problems)


def test_the_page_shell_fetches_plotly_before_any_chart_asks(page: Page, app_url: str) -> None:
    """ui/preload.py: plotly's chunk is named in the shell, so a first visit fetches it while
    the page waits for its script run; 数据管理, which draws no chart, fetches it too."""
    page.goto(f"{app_url}/data")
    wait_for_app(page)
    assert page.locator(".js-plotly-plot").count() == 0
    fetched = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name.split('/').pop())"
    )
    assert any(name.startswith("PlotlyChart.") for name in fetched), fetched
