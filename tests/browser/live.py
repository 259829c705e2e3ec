"""The live app for a browser: serve the app (serve.py, as `make run` does) on a loopback port, launch Debian's Chromium, and
tell when a page is ready (Streamlit idle, every chart drawn).

Used by the browser tests (tests/browser/conftest.py wraps these in fixtures) and by the
benchmark's browser part (scripts/bench_browser.py), so both wait for the same thing.
No pytest here: failures raise RuntimeError with the server log's tail.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from analytics.common.config import PROJECT_ROOT
from scripts.serve_multi import free_ports, healthy, stop

CHROMIUM = os.environ.get("CADRE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--no-proxy-server",
]
APP_START_TIMEOUT_S = 60.0
APP_IDLE_TIMEOUT_S = 30.0


def free_port() -> int:
    return free_ports(1)[0]


def tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def serve(
    db: Path, log_dir: Path, env: Mapping[str, str] | None = None, script: str = "serve.py"
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve the app (serve.py, or another `script` of the project) on a free loopback port with
    CADRE_DB=db; yield (base url, process)."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = log_dir / "streamlit.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    full_env = {**os.environ, "CADRE_DB": str(db), "PYTHONUNBUFFERED": "1", **(env or {})}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=PROJECT_ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + APP_START_TIMEOUT_S
        while not healthy(f"{base_url}/_stcore/health"):
            if proc.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with {proc.returncode} before it was healthy; "
                    f"log tail ({log_path}):\n{tail(log_path)}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"streamlit not healthy at {base_url} within {APP_START_TIMEOUT_S:.0f} s; "
                    f"log tail ({log_path}):\n{tail(log_path)}"
                )
            time.sleep(0.25)
        yield base_url, proc
    finally:
        stop(proc)


# Streamlit 1.67 puts the run state on the root element:
#   <div data-testid="stApp" data-test-script-state="initial|running|notRunning|rerunRequested|
#        stopRequested|compilationError" data-test-connection-state="CONNECTED|...">
# "initial" means no run has started yet. The app is idle when connected and "notRunning",
# no running-man status icon is shown, the main block has elements, none of them is stale
# (left over from the previous run), no lazy-loaded element still shows its skeleton, and
# every Plotly chart has drawn its SVG. `at` is performance.now() of the check, in ms since
# the page's navigation started.
APP_STATE_JS = """
() => {
  const at = performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return {ready: false, why: 'no stApp element', at};
  const connection = app.getAttribute('data-test-connection-state');
  const script = app.getAttribute('data-test-script-state');
  const state = (ready, why) => ({ready, why, connection, script, at});
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


def wait_for_app(page: Page, timeout: float = APP_IDLE_TIMEOUT_S, poll_ms: int = 200) -> float:
    """Wait until the Streamlit script run has finished and its output is drawn; return the
    moment it first was (ms since the page's navigation started, the page's own clock).

    The idle state must hold for three polls in a row, so a rerun that starts right after the
    first run (st.rerun, query-param sync) is waited for too.
    """
    deadline = time.monotonic() + timeout
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout * 1000)
    state: dict[str, Any] = {}
    idle_polls = 0
    first_idle = 0.0
    while time.monotonic() < deadline:
        state = page.evaluate(APP_STATE_JS)
        if state["ready"]:
            first_idle = first_idle if idle_polls else float(state["at"])
            idle_polls += 1
        else:
            idle_polls = 0
        if idle_polls >= 3:
            return first_idle
        page.wait_for_timeout(poll_ms)
    raise AssertionError(f"{page.url}: app not idle after {timeout:.0f} s: {state}")
