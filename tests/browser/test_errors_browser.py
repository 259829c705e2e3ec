"""The error boundary in Chromium on a fresh server: a database held by another process gets
its own Chinese message (what to do), never the path or the process id, and no page list;
once the other process lets go, a reload opens the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page

from analytics.store.db import connect
from tests.browser.conftest import serve_app, wait_for_app


def test_a_database_held_by_another_process_says_what_to_do(page: Page, tmp_path: Path) -> None:
    db = tmp_path / "held.duckdb"
    connect(db).close()  # a real (not demo) database: the sign-in page once it can be read
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, sys; c = duckdb.connect({str(db)!r}); print('held', flush=True); "
         "sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        with serve_app(db, tmp_path) as url:
            page.goto(f"{url}/participation")
            wait_for_app(page)
            body = page.locator("body").inner_text()
            assert "数据库正被另一个程序占用" in body and "请等它完成后刷新页面" in body
            assert str(db) not in body and "PID" not in body and str(holder.pid) not in body
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no page list
            holder.stdin.write("\n")  # the other process lets go
            holder.stdin.flush()
            holder.wait(timeout=20)
            page.reload()
            wait_for_app(page)
            assert "登录" in page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    finally:
        holder.kill()
        holder.wait()
