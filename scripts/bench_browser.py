"""What a user feels: page-ready in Chromium, bytes per load, a filter change, and a rush.

    python scripts/bench_browser.py --db data/city.duckdb      (also run by `make bench`)

One server (`streamlit run app.py`, the shipped config) on the database, signed in through
the trusted-header path (CADRE_TRUSTED_USER_HEADER) as a 管理员 account `bench` that this
script creates if the database has none of that name. Then:
- per page of ui.navigation.PAGE_SPECS, in a fresh browser context: the first visit and the
  median of --reloads reloads, each from navigation start until Streamlit is idle and every
  chart is drawn (tests/browser/live.py's wait_for_app, on the page's own clock); the bytes the
  server sent for a load (HTTP bodies as transferred plus websocket frames, from Chromium's
  DevTools protocol); and a filter change (the sidebar's 季度 set to 第1季度, click → idle);
- the floor: scripts/floor_app.py, a bare Streamlit page without and with one tiny plotly
  chart, first visit and reloads the same way: what Streamlit and plotly cost a browser before
  any of this app, measured in the same run to compare the pages with;
- a rush: N sessions at once at the websocket level (nothing drawn), each asking for a page
  (round robin) and timed until its run finished; median, p95, errors and the server's peak
  resident memory while it lasted.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a file: make the project importable
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from analytics.access.auth import Role, create_account, get_account  # noqa: E402
from analytics.store.db import connect  # noqa: E402
from scripts import serve_multi  # noqa: E402
from scripts.bench_table import Row, format_table, verdict  # noqa: E402
from tests.browser import live  # noqa: E402
from ui.navigation import PAGE_SPECS  # noqa: E402

HEADER = "X-Bench-User"
ACCOUNT = "bench"
DISPLAY_NAME = "基准测试"
RUSH_TIMEOUT_S = 120.0
FIRST_MS = 2500.0
RELOAD_MS = 1500.0
RELOAD_BYTES = 500_000
RUSH_P95_S = 5.0
RUSH_RSS_MB = 1024.0


@dataclass
class PageTiming:
    """One page's browser figures (ms and bytes)."""

    title: str
    url_path: str
    first_ms: float
    reload_ms: float
    first_bytes: int
    reload_bytes: int
    filter_ms: float | None
    signed_in: bool
    reloads: list[float] = field(default_factory=list)


@dataclass
class Rush:
    """N simultaneous sessions: their wait from connect until their script run finished."""

    sessions: int
    median_s: float
    p95_s: float
    errors: int
    peak_rss_mb: float
    median_bytes: int
    processes: int = 1


def ensure_account(db: Path) -> None:
    """A 管理员 account for the trusted-header sign-in (the password is never used)."""
    con = connect(db)
    try:
        if get_account(con, ACCOUNT) is None:
            password = secrets.token_urlsafe(24) + "aA1!"
            create_account(con, ACCOUNT, password, Role.ADMIN, display_name=DISPLAY_NAME,
                           actor="bench")  # fmt: skip
    finally:
        con.close()


class Traffic:
    """Bytes the server sent to one page, counted from Chromium's DevTools protocol."""

    def __init__(self, page: Any) -> None:
        self.bytes = 0
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", self._http)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _http(self, event: dict[str, Any]) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))

    def _frame(self, event: dict[str, Any]) -> None:
        frame = event["response"]
        data = frame.get("payloadData", "")
        # Binary frames (opcode 2) arrive base64-encoded; text frames as they are.
        self.bytes += len(base64.b64decode(data)) if frame.get("opcode") == 2 else len(data)

    def take(self) -> int:
        n, self.bytes = self.bytes, 0
        return n


def _filter_change(page: Any) -> float | None:
    """Set the sidebar's 季度 to 第1季度; ms from the choice until the page is idle again."""
    box = page.get_by_role("combobox", name="季度")
    if box.count() == 0:
        return None
    box.first.click()
    page.keyboard.type("第1季度")  # BaseWeb's select opens on typing and filters its options
    if page.get_by_role("option", name="第1季度").count() == 0:
        page.keyboard.press("Escape")
        return None
    started = page.evaluate("performance.now()")
    page.keyboard.press("Enter")
    page.wait_for_timeout(50)  # let the rerun start before polling for idle
    return live.wait_for_app(page, timeout=120, poll_ms=50) - started


def _launch(pw: Any) -> Any:
    return pw.chromium.launch(executable_path=live.CHROMIUM, args=live.CHROMIUM_ARGS,
                              headless=True)  # fmt: skip


def _visit(browser: Any, url: str,
           reloads: int) -> tuple[Any, float, int, list[float], list[int]]:  # fmt: skip
    """A first visit to `url` in a fresh context, then `reloads` reloads: (context, first ms,
    first bytes, reload ms, reload bytes). The caller closes the context."""
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, locale="zh-CN",
        extra_http_headers={HEADER: ACCOUNT},
    )  # fmt: skip
    page = context.new_page()
    traffic = Traffic(page)
    page.goto(url, wait_until="commit")
    first = live.wait_for_app(page, timeout=180, poll_ms=50)
    first_bytes = traffic.take()
    times, sizes = [], []
    for _ in range(reloads):
        page.reload(wait_until="commit")
        times.append(live.wait_for_app(page, timeout=180, poll_ms=50))
        sizes.append(traffic.take())
    return context, first, first_bytes, times, sizes


def browser_pages(base_url: str, reloads: int, specs: list[Any] | None = None) -> list[PageTiming]:
    """First visit, reloads, bytes and a filter change for every page, in Chromium."""
    results = []
    with sync_playwright() as pw:
        browser = _launch(pw)
        try:
            for spec in PAGE_SPECS if specs is None else specs:
                context, first, first_bytes, times, sizes = _visit(
                    browser, f"{base_url}/{spec.url_path}", reloads
                )
                page = context.pages[0]
                signed_in = page.get_by_text(DISPLAY_NAME).count() > 0
                filter_ms = _filter_change(page)
                results.append(
                    PageTiming(spec.title, spec.url_path, first, statistics.median(times),
                               first_bytes, int(statistics.median(sizes)), filter_ms, signed_in,
                               times)
                )  # fmt: skip
                context.close()
        finally:
            browser.close()
    return results


FLOORS = {"0": "no chart", "1": "one 3-bar plotly chart"}


def floor(db: Path, reloads: int) -> list[PageTiming]:
    """scripts/floor_app.py, a bare Streamlit page, without and with one tiny plotly chart:
    the page-ready a browser pays before any of this app's work, taken in the same run."""
    results = []
    for chart, what in FLOORS.items():
        with tempfile.TemporaryDirectory() as logs, live.serve(
            db, Path(logs), {"FLOOR_CHART": chart}, script="scripts/floor_app.py"
        ) as (url, _), sync_playwright() as pw:  # fmt: skip
            browser = _launch(pw)
            try:
                context, first, first_bytes, times, sizes = _visit(browser, url, reloads)
                context.close()
            finally:
                browser.close()
        results.append(
            PageTiming(what, "floor", first, statistics.median(times), first_bytes,
                       int(statistics.median(sizes)), None, False, times)
        )  # fmt: skip
    return results


def _rss_mb(pid: int) -> float:
    """Resident memory of the process `pid` and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


async def _session(ws_url: str, page_name: str) -> tuple[float, int]:
    """One websocket session: ask for the page, wait for its run to finish; (seconds, bytes)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.perf_counter()
    received = 0
    async with websockets.connect(ws_url, max_size=None, open_timeout=RUSH_TIMEOUT_S,
                                  additional_headers={HEADER: ACCOUNT}) as ws:  # fmt: skip
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_name = page_name
        await ws.send(message.SerializeToString())
        while True:
            raw = await asyncio.wait_for(ws.recv(), RUSH_TIMEOUT_S)
            received += len(raw)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            if (forward.WhichOneof("type") == "script_finished"
                    and forward.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY):  # fmt: skip
                return time.perf_counter() - started, received


def rush(base_url: str, pids: list[int], sessions: int, processes: int = 1) -> Rush:
    """`sessions` websocket sessions opened at once, pages taken in turn; the memory is that of
    every server process (`pids` and their children) together."""
    ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    names = [spec.url_path for spec in PAGE_SPECS]

    def rss() -> float:
        return sum(_rss_mb(pid) for pid in pids)

    peak = rss()
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss())
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()

    async def everyone() -> list[tuple[float, int] | BaseException]:
        tasks = [_session(ws_url, names[i % len(names)]) for i in range(sessions)]
        return await asyncio.gather(*tasks, return_exceptions=True)

    try:
        outcomes = asyncio.run(everyone())
    finally:
        done.set()
        watcher.join()
    done_ok = [o for o in outcomes if isinstance(o, tuple)]
    waits = sorted(seconds for seconds, _ in done_ok)
    errors = len(outcomes) - len(waits)
    sizes = [size for _, size in done_ok]
    p95 = waits[min(len(waits) - 1, int(0.95 * len(waits)))] if waits else float("nan")
    median = statistics.median(waits) if waits else float("nan")
    size = int(statistics.median(sizes)) if sizes else 0
    return Rush(sessions, median, p95, errors, peak, size, processes)


def warmed_at_start(logs: list[Path], timeout: float = 300.0) -> None:
    """Wait until every server process has computed the figures kept from earlier runs
    (ui/warm.py logs it), so that each configuration is measured as a running server is.
    With CADRE_WARM=0 (as under the tests) no process warms: nothing to wait for."""
    if os.environ.get("CADRE_WARM", "1") == "0":
        return
    deadline = time.monotonic() + timeout
    for log in logs:
        while "cache warming at start" not in live.tail(log, 100_000):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no warming at start in {log}:\n{live.tail(log)}")
            time.sleep(0.5)


def visited(urls: list[str]) -> None:
    """Every page opened once in each server process (straight to its own port), as a running
    server's pages have been by its first visitors: what a rush then finds in its caches is
    the same for one process and for several."""
    for url in urls:
        ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        for spec in PAGE_SPECS:
            asyncio.run(_session(ws_url, spec.url_path))


def measure(
    db: Path,
    reloads: int = 3,
    rushes: tuple[int, ...] = (1, 10, 30),
    specs: list[Any] | None = None,
    processes: tuple[int, ...] = (),
    with_floor: bool = True,
):
    """Serve the app on `db` and take every browser and rush figure; (pages, rushes, floors).

    The pages and the rushes run on one process (`make run`); then the rushes again on each
    count in `processes` behind nginx (`make run-multi`). With `with_floor` and pages to compare
    them with, the bare Streamlit page (floor) is measured first, next to the pages: this
    machine's speed drifts over minutes."""
    db = Path(db).resolve()
    ensure_account(db)
    floors = floor(db, reloads) if with_floor and specs != [] else []
    env = {"CADRE_TRUSTED_USER_HEADER": HEADER}
    with tempfile.TemporaryDirectory() as logs, live.serve(db, Path(logs), env) as (url, proc):
        warmed_at_start([Path(logs) / "streamlit.log"])
        pages = browser_pages(url, reloads, specs)
        visited([url])
        crowd = [rush(url, [proc.pid], n) for n in rushes]
    for count in processes:
        with tempfile.TemporaryDirectory() as logs, serve_multi.running(
            db, count, port=live.free_port(), log_dir=Path(logs), env=env
        ) as cluster:  # fmt: skip
            warmed_at_start([Path(logs) / f"app-{i + 1}.log" for i in range(count)])
            visited(cluster.backends)
            crowd += [rush(cluster.url, cluster.pids, n, count) for n in rushes]
    return pages, crowd, floors


def _processes(n: int) -> str:
    return "1 process" if n == 1 else f"{n} processes behind nginx"


def _kb(n: int) -> str:
    return f"{n / 1000:,.0f} kB"


def rows(pages: list[PageTiming], crowd: list[Rush],
         floors: Sequence[PageTiming] = ()) -> list[Row]:  # fmt: skip
    """The browser figures as lines of the benchmark's table."""
    out = []
    for p in floors:
        out.append(
            Row(f"floor: a bare Streamlit page, {p.title}", f"{p.first_ms:,.0f} ms",
                f"{p.reload_ms:,.0f} ms",
                target="reference: Streamlit and plotly before any of this app (first / reload)")
        )  # fmt: skip
    for p in pages:
        ok = p.first_ms <= FIRST_MS and p.reload_ms <= RELOAD_MS and p.reload_bytes <= RELOAD_BYTES
        out.append(
            Row(f"browser {p.title} ({p.url_path})", f"{p.first_ms:,.0f} ms",
                f"{p.reload_ms:,.0f} ms",
                target=f"first ≤ {FIRST_MS:,.0f} ms, reload ≤ {RELOAD_MS:,.0f} ms, "
                f"≤ {_kb(RELOAD_BYTES)} a reload", result=verdict(ok))
        )  # fmt: skip
        out.append(Row("  · bytes sent: first visit (with static files) / reload",
                       f"{_kb(p.first_bytes)}", f"{_kb(p.reload_bytes)}"))  # fmt: skip
        if p.filter_ms is not None:
            out.append(Row("  · filter change (季度 → 第1季度), choice → idle",
                           f"{p.filter_ms:,.0f} ms"))  # fmt: skip
    for r in crowd:
        ok = r.p95_s <= RUSH_P95_S and r.errors == 0 and r.peak_rss_mb <= RUSH_RSS_MB
        out.append(
            Row(f"rush of {r.sessions} sessions, {_processes(r.processes)} (median, p95)",
                f"{r.median_s:,.2f} s",
                f"{r.p95_s:,.2f} s",
                target=f"p95 ≤ {RUSH_P95_S:g} s, 0 errors, RSS ≤ {RUSH_RSS_MB:,.0f} MB",
                result=verdict(ok) + f" ({r.errors} errors, RSS {r.peak_rss_mb:,.0f} MB, "
                f"{_kb(r.median_bytes)} a session)")
        )  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Browser page-ready, bytes and a rush")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "city.duckdb")
    parser.add_argument("--reloads", type=int, default=3)
    parser.add_argument("--rush", type=int, nargs="*", default=[1, 10, 30])
    serve_multi.add_processes_option(parser)
    parser.add_argument("--no-pages", action="store_true", help="only the rushes")
    parser.add_argument("--page", action="append", metavar="URL_PATH",
                        help="only this page (repeatable), e.g. --page participation")  # fmt: skip
    args = parser.parse_args(argv)
    specs = None if args.page is None else [s for s in PAGE_SPECS if s.url_path in args.page]
    if args.page is not None and len(specs or []) != len(set(args.page)):
        parser.error(f"--page: one of {', '.join(s.url_path for s in PAGE_SPECS)}")
    pages, crowd, floors = measure(
        args.db,
        args.reloads,
        tuple(args.rush),
        [] if args.no_pages else specs,
        tuple(args.processes),
    )
    heading = f"{args.db.name} · browser · load average {os.getloadavg()[0]:.1f} at the end"
    print(format_table(rows(pages, crowd, floors), heading))
    return 0


if __name__ == "__main__":
    sys.exit(main())
