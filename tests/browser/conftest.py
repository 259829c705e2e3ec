"""Browser tests: start the real app on a free port and drive Debian's Chromium with Playwright.

Playwright never downloads a browser here: it launches /usr/bin/chromium, which
`make system-deps` installs (override the path with CADRE_CHROMIUM). Every test collected
from this folder gets the `browser` marker, so `pytest -m "not browser"` skips them all.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Route

from analytics.common.config import PROJECT_ROOT
from tests.browser import live
from tests.browser.live import CHROMIUM, CHROMIUM_ARGS
from ui.errors import ERROR_LOGGER

# Screenshots for people to look at. Not test-results/: pytest-playwright clears that folder.
SCREENSHOT_DIR = PROJECT_ROOT / "screenshots"
BROWSER_TESTS_DIR = Path(__file__).resolve().parent

DEMO_BUILD_TIMEOUT_S = 300.0
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_TESTS_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- Chromium -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium, headless unless pytest runs with --headed."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `make system-deps` (installs Debian's chromium)")
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": {"width": 1400, "height": 900},
        "locale": "zh-CN",
    }


@pytest.fixture(autouse=True)
def external_requests(context: BrowserContext) -> list[str]:
    """Abort every request that leaves the machine; the list tells which ones were tried.

    The app must work offline (no web fonts, no CDN scripts), so a test can assert the
    list is empty.
    """
    blocked: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK_HOSTS:
            blocked.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    context.route("**/*", handle)
    return blocked


# --- The app ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh demo database built by `python -m analytics.generators.demo --db PATH`."""
    path = tmp_path_factory.mktemp("cadre-db") / "demo.duckdb"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "analytics.generators.demo", "--db", str(path)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=DEMO_BUILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"analytics.generators.demo did not finish within {DEMO_BUILD_TIMEOUT_S:.0f} s")
    if result.returncode != 0 or not path.exists():
        pytest.fail(
            f"analytics.generators.demo --db {path} failed (exit {result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return path


def office_copy(demo_db: Path, folder: Path, account: list[str], password: str) -> Path:
    """The demo's records in a file of the office's own (not marked as the demo, so sign-in is
    required), with one account made by the command line: `account` is its name and options."""
    db = folder / "office.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = 'import' WHERE key = 'source'")
    con.close()
    subprocess.run(
        [sys.executable, "-m", "analytics.access.auth", "create", *account, "--password-stdin",
         "--db", str(db)],
        input=password + "\n", text=True, cwd=PROJECT_ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return db


@contextlib.contextmanager
def serve_app(db: Path, log_dir: Path) -> Iterator[str]:
    """Serve app.py on a free loopback port with CADRE_DB=db; yield its base url."""
    try:
        with live.serve(db, log_dir) as (url, _):
            yield url
            # The pages show an unexpected error as a message (ui/errors.py), which no
            # stException check sees: the server log's record of it fails the tests that used it.
            caught = [line for line in live.tail(log_dir / "streamlit.log", 100_000).splitlines()
                      if f"ERROR {ERROR_LOGGER}" in line]  # fmt: skip
            if caught:
                pytest.fail(f"the error boundary caught (log {log_dir}):\n{caught[0]}")
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def app_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the demo database, shared by the session's browser tests."""
    with serve_app(demo_db, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture
def fresh_app_url(demo_db: Path, tmp_path: Path) -> Iterator[str]:
    """A server no browser has visited yet (Streamlit's first run differs from later ones)."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    with serve_app(db, tmp_path) as url:
        yield url


# --- Waiting for a script run to finish ---------------------------------------------------------


def wait_for_app(page: Page, timeout: float = live.APP_IDLE_TIMEOUT_S) -> None:
    """Wait until the Streamlit script run has finished and its output is drawn."""
    live.wait_for_app(page, timeout)


def click_centre(page: Page, element: Locator) -> None:
    """Click where a user would: plotly's drag layer lies over the marks, so click by position."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_app(page)


# --- Chart clicks and where their result shows ------------------------------------------------

# The bar of a plotly chart (found by its title) whose customdata starts with `label`: its
# trace's and point's index among the drawn bars, read from the chart's own data.
_BAR_JS = """
([title, label]) => {
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    const gd = chart.querySelector('.js-plotly-plot');
    const text = gd && gd.layout && gd.layout.title ? String(gd.layout.title.text) : '';
    if (!gd || (title && !text.includes(title))) continue;
    const bars = gd._fullData.filter(t => t.type === 'bar');
    for (let b = 0; b < bars.length; b++) {
      const custom = bars[b].customdata || [];
      for (let i = 0; i < custom.length; i++) {
        const first = Array.isArray(custom[i]) ? custom[i][0] : custom[i];
        if (String(first) === label) return {trace: b, point: i};
      }
    }
  }
  return null;
}
"""


def bar_of(page: Page, label: str, title: str = "") -> Locator:
    """The drawn bar for `label` in the chart titled `title` (the first chart with one)."""
    found = page.evaluate(_BAR_JS, [title, label])
    assert found is not None, f"no bar {label!r} in a chart titled {title!r}"
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator(".gtitle", has_text=title)
    ) if title else page.locator('[data-testid="stPlotlyChart"]')  # fmt: skip
    return (
        chart.first.locator("g.trace.bars")
        .nth(found["trace"])
        .locator("g.point path")
        .nth(found["point"])
    )


def click_mark(page: Page, mark: Locator) -> float:
    """Hover, then click a chart mark where a user would; the click's height on the screen."""
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # plotly picks the point under the pointer on hover, then clicks it
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    wait_for_app(page)
    return y


def assert_on_screen(page: Page, element: Locator, what: str) -> None:
    """The element's first line is inside the viewport (not above it, not below its edge)."""
    box = element.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None, f"{what} not drawn"
    assert box["y"] >= 0 and box["y"] + min(box["height"], 24) <= viewport["height"], (
        f"{what} not on the {viewport['width']}×{viewport['height']} screen after the click: {box}"
    )
