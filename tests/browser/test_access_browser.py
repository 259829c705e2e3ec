"""Real-database mode in Chromium: the first request to a fresh server is a deep link, the
sign-in comes first, then the linked page opens restricted to the mentor's group; an Excel
download carries who exported it and is audited (read from the file after the server stops)."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import openpyxl
from playwright.sync_api import Page

from tests.browser.conftest import office_copy, serve_app, wait_for_app

PASSWORD = "correct-horse-9"


def office_db(demo_db: Path, tmp_path: Path) -> Path:
    """The demo records, not marked as the demo, with a mentor account made by the CLI."""
    account = ["zhang", "--role", "小组导师", "--group", "第二学习小组", "--display", "张导师"]
    return office_copy(demo_db, tmp_path, account, PASSWORD)


def test_sign_in_then_the_linked_page_for_the_mentors_group_and_an_audited_export(
    page: Page, demo_db: Path, tmp_path: Path, external_requests: list[str]
) -> None:
    db = office_db(demo_db, tmp_path)
    with serve_app(db, tmp_path) as url:
        page.goto(f"{url}/participation?year=2024")
        wait_for_app(page)
        main = page.locator('[data-testid="stMainBlockContainer"]')
        assert "登录" in main.inner_text()
        assert "学习参与" not in page.locator("body").inner_text()  # no page, no navigation
        page.get_by_label("用户名").fill("zhang")
        page.get_by_label("密码").fill("wrong-password")
        page.get_by_role("button", name="登录").click()
        wait_for_app(page)
        assert "用户名或密码错误" in main.inner_text()
        page.get_by_label("用户名").fill("zhang")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/participation?*", timeout=20_000)  # on to the linked page
        wait_for_app(page)
        assert urlsplit(page.url).path == "/participation"
        assert parse_qs(urlsplit(page.url).query)["year"] == ["2024"]
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert "当前用户：张导师（小组导师）" in sidebar.inner_text()
        group = sidebar.get_by_role("combobox", name="学习小组")
        assert group.input_value() == "第二学习小组" and group.is_disabled()
        assert page.locator('[data-testid="stException"]').count() == 0
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "审计日志" not in nav and "学习参与" in nav

        with page.expect_download() as caught:
            page.get_by_role("button", name="下载 Excel").first.click()
        download = caught.value
        assert "_zhang_" in download.suggested_filename
        book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
        info = {r[0]: r[1] for r in book["导出信息"].iter_rows(min_row=2, values_only=True)}
        assert info["导出人"] == "张导师（zhang）" and info["角色"] == "小组导师"
        assert "第二学习小组" in info["筛选条件"]
        groups = {
            cell for ws in book.worksheets if ws.title != "导出信息"
            for row in ws.iter_rows(values_only=True) for cell in row
            if isinstance(cell, str) and cell.startswith("第") and cell.endswith("学习小组")
        }  # fmt: skip
        assert groups == {"第二学习小组"}  # the first table is by group: only the own one
    assert external_requests == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(  # a failed attempt is logged under 未登录, with the account as target
            "SELECT actor, action, row_count FROM audit_log WHERE actor = 'zhang' "
            "OR (actor = '未登录' AND target = 'zhang') ORDER BY id"
        ).fetchall()
    finally:
        con.close()
    assert [r[1] for r in rows] == ["sign_in_failed", "sign_in", "export"]
    assert rows[-1][2] is not None and rows[-1][2] >= 0
