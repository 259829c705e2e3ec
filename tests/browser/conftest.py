"""Browser tests: start the real app on a free port and drive Debian's Chromium with Playwright.

Playwright never downloads a browser here: it launches /usr/bin/chromium, which
`make system-deps` installs (override the path with CADRE_CHROMIUM). Every test collected
from this folder gets the `browser` marker, so `pytest -m "not browser"` skips them all.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Route

from analytics.common.config import PROJECT_ROOT

# Screenshots for people to look at. Not test-results/: pytest-playwright clears that folder.
SCREENSHOT_DIR = PROJECT_ROOT / "screenshots"
BROWSER_TESTS_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CADRE_CHROMIUM", "/usr/bin/chromium")

DEMO_BUILD_TIMEOUT_S = 300.0
APP_START_TIMEOUT_S = 60.0
APP_IDLE_TIMEOUT_S = 30.0
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
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--no-proxy-server",
        ],
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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:])


# Talk to the local server directly, whatever *_proxy variables say.
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _healthy(url: str) -> bool:
    try:
        with _NO_PROXY_OPENER.open(url, timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (OSError, urllib.error.URLError):
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the server and anything it started (it runs in its own process group)."""
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


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


@contextlib.contextmanager
def serve_app(db: Path, log_dir: Path) -> Iterator[str]:
    """Serve app.py on a free loopback port with CADRE_DB=db; yield its base url."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = log_dir / "streamlit.log"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = {**os.environ, "CADRE_DB": str(db), "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + APP_START_TIMEOUT_S
        while not _healthy(f"{base_url}/_stcore/health"):
            if proc.poll() is not None:
                pytest.fail(
                    f"streamlit exited with {proc.returncode} before it was healthy; "
                    f"log tail ({log_path}):\n{_tail(log_path)}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit not healthy at {base_url} within {APP_START_TIMEOUT_S:.0f} s; "
                    f"log tail ({log_path}):\n{_tail(log_path)}"
                )
            time.sleep(0.25)
        yield base_url
    finally:
        _stop(proc)


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

# Streamlit 1.67 puts the run state on the root element:
#   <div data-testid="stApp" data-test-script-state="initial|running|notRunning|rerunRequested|
#        stopRequested|compilationError" data-test-connection-state="CONNECTED|...">
# "initial" means no run has started yet. The app is idle when connected and "notRunning",
# no running-man status icon is shown, the main block has elements, none of them is stale
# (left over from the previous run), no lazy-loaded element still shows its skeleton, and
# every Plotly chart has drawn its SVG.
_APP_STATE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return {ready: false, why: 'no stApp element'};
  const connection = app.getAttribute('data-test-connection-state');
  const script = app.getAttribute('data-test-script-state');
  const state = (ready, why) => ({ready, why, connection, script});
  if (connection !== 'CONNECTED') return state(false, 'not connected');
  if (script === 'compilationError') return state(true, 'compilation error');
  if (script !== 'notRunning') return state(false, 'script not finished');
  if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]'))
    return state(false, 'status widget shows running');
  if (document.querySelector('[data-testid="stAppSkeleton"]'))
    return state(false, 'app skeleton shown');
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!main || !main.querySelector('[data-testid="stElementContainer"]'))
    return state(false, 'main block is empty');
  if (app.querySelector('[data-stale="true"]')) return state(false, 'stale elements');
  if (main.querySelector('[data-testid="stSkeleton"]'))
    return state(false, 'element still loading (skeleton)');
  for (const chart of main.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (!chart.querySelector('.main-svg')) return state(false, 'plotly chart not drawn');
  }
  return state(true, 'idle');
}
"""


def wait_for_app(page: Page, timeout: float = APP_IDLE_TIMEOUT_S) -> None:
    """Wait until the Streamlit script run has finished and its output is drawn.

    The idle state must hold for three polls in a row (~0.5 s), so a rerun that starts right
    after the first run (st.rerun, query-param sync) is waited for too.
    """
    deadline = time.monotonic() + timeout
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout * 1000)
    state: dict[str, Any] = {}
    idle_polls = 0
    while time.monotonic() < deadline:
        state = page.evaluate(_APP_STATE_JS)
        idle_polls = idle_polls + 1 if state["ready"] else 0
        if idle_polls >= 3:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{page.url}: app not idle after {timeout:.0f} s: {state}")


def click_centre(page: Page, element: Locator) -> None:
    """Click where a user would: plotly's drag layer lies over the marks, so click by position."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_app(page)
