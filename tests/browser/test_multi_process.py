"""Several app processes behind nginx (`make run-multi`): each browser stays with one process,
and what one process writes (a target, the audit rows of sign-ins) the other reads."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import duckdb
from playwright.sync_api import Browser, BrowserContext, expect

from analytics.store.snapshot import write_lock
from scripts import serve_multi
from tests.browser import live
from tests.browser.conftest import office_copy, wait_for_app
from tests.browser.test_quotas_browser import ROTATION, kpi_card, save_rotation_target

HEADER = "X-Cadre-Test-User"


def _route_cookie(response: object) -> str | None:
    """The cadre_route cookie nginx set on a response (Streamlit sets its own beside it)."""
    for value in response.headers.get_all("Set-Cookie") or []:  # type: ignore[attr-defined]
        if value.startswith("cadre_route="):
            return value.split(";")[0].split("=", 1)[1]
    return None


def _process_for(url: str, route: str | None) -> str:
    request = urllib.request.Request(url + "/_stcore/health")
    if route is not None:
        request.add_header("Cookie", f"cadre_route={route}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        process = response.headers["X-Cadre-Process"]
        given = _route_cookie(response)
    assert (route is None) == (given is not None), given  # set once, then kept
    return process


def _routes_to_each_process(url: str) -> dict[str, str]:
    """A route cookie for each process, as nginx hands them to new browsers."""
    found: dict[str, str] = {}
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for _ in range(64):
        with opener.open(url + "/_stcore/health", timeout=10) as response:
            route = _route_cookie(response)
            assert route is not None
            found.setdefault(response.headers["X-Cadre-Process"], route)
        if len(found) == 2:
            break
    return found


def _signed_in(browser: Browser, url: str, route: str, address: str) -> BrowserContext:
    """A browser signed in as wang by the trusted header, coming from `address` (as a proxy in
    front of nginx would say)."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, locale="zh-CN",
        extra_http_headers={HEADER: "wang", "X-Forwarded-For": address},
    )  # fmt: skip
    host = url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": "cadre_route", "value": route, "domain": host, "path": "/"}])
    return context


def test_two_processes_share_one_database_through_nginx(
    browser: Browser, demo_db: Path, tmp_path: Path
) -> None:
    db = office_copy(demo_db, tmp_path, ["wang", "--role", "管理员"], "Wang-2025-secret!")
    port = live.free_port()
    env = {"CADRE_TRUSTED_USER_HEADER": HEADER, "CADRE_WARM": "0"}
    with serve_multi.running(db, 2, port=port, log_dir=tmp_path, env=env) as cluster:
        routes = _routes_to_each_process(cluster.url)
        assert len(routes) == 2, routes  # new browsers are spread over both processes
        for process, route in routes.items():  # and each stays with its own
            assert {_process_for(cluster.url, route) for _ in range(5)} == {process}

        first, second = (
            _signed_in(browser, cluster.url, route, f"10.0.0.{i + 1}")
            for i, route in enumerate(routes.values())
        )
        try:
            page_a, page_b = first.new_page(), second.new_page()
            for page in (page_a, page_b):
                page.goto(f"{cluster.url}/quotas?year=2025")
                wait_for_app(page)
                expect(kpi_card(page, ROTATION)).to_contain_text("目标 30.0%")

            # One process writes the target; the other, reloading, reads the new value.
            page_a.get_by_text("编辑 2025 年度目标").click()
            save_rotation_target(page_a, "20")
            expect(page_a.get_by_text("2025 年度目标已保存。")).to_be_visible()
            expect(kpi_card(page_a, ROTATION)).to_contain_text("目标 20.0%")
            page_b.reload()
            wait_for_app(page_b)
            expect(kpi_card(page_b, ROTATION)).to_contain_text("目标 20.0%")
            expect(kpi_card(page_b, ROTATION)).to_contain_text("达标")

            # Both sign-ins and the change are in the one audit log, whichever process reads it.
            page_b.goto(f"{cluster.url}/audit")
            wait_for_app(page_b)
            expect(page_b.get_by_text(f"共 {len(_audit_actions(db))} 条记录")).to_be_visible()
            for page in (page_a, page_b):
                assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            first.close()
            second.close()
    entries = _audit_actions(db)
    assert entries.count("sign_in") >= 2 and "targets_change" in entries, entries
    # Each sign-in is recorded with its browser's address, not nginx's: the limit per address
    # counts browsers, not the proxy.
    assert {"10.0.0.1", "10.0.0.2"} <= set(_sign_in_clients(db)), _sign_in_clients(db)
    for log_file in ("app-1.log", "app-2.log"):
        text = live.tail(tmp_path / log_file, 100_000)
        assert "Traceback" not in text, text[-3000:]


def _audit_log(db: Path) -> list[tuple[str, str | None]]:
    """The audit log's (action, client) rows, read from the database itself between writers."""
    with write_lock(db):
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute("SELECT action, client FROM audit_log").fetchall()
        finally:
            con.close()


def _audit_actions(db: Path) -> list[str]:
    return [action for action, _ in _audit_log(db)]


def _sign_in_clients(db: Path) -> list[str | None]:
    return [client for action, client in _audit_log(db) if action == "sign_in"]
