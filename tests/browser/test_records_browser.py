"""数据管理's record form in Chromium: find a cadre, change a field, save, see it on 干部档案, and
undo the change from the change history.

An office's own database (the demo's records, not marked as the demo) with a 管理员 signed in.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import office_copy, serve_app, wait_for_app

PASSWORD = "correct-horse-9"


@pytest.fixture(scope="module")
def office_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("records")
    db = office_copy(demo_db, folder, ["wang", "--role", "管理员"], PASSWORD)
    with serve_app(db, folder) as url:
        yield url


def signed_in(page: Page, url: str, path: str) -> None:
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    page.get_by_label("用户名").fill("wang")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)


def open_profile(page: Page) -> None:
    """干部档案 through the sidebar, Q1001 found with its search box and picked from the matches."""
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="干部档案").click()
    wait_for_app(page)
    search = page.get_by_label("查找青年干部（输入姓名或工号）")
    search.fill("Q1001")
    search.press("Enter")
    wait_for_app(page)
    page.get_by_role("combobox", name=re.compile("找到 1 名")).click()
    page.get_by_role("option", name=re.compile("Q1001")).click()
    wait_for_app(page)


def test_edit_a_cadre_from_the_profile_and_undo_it(page: Page, office_url: str) -> None:
    signed_in(page, office_url, "profile?cadre=Q1001")
    heading = page.locator('[data-testid="stMainBlockContainer"] h2').first
    old = heading.inner_text()
    page.get_by_role("link", name=re.compile("修改或删除此人的记录")).click()
    page.wait_for_url("**/data?*", timeout=20_000)
    wait_for_app(page)
    expect(page.get_by_text("正在修改：青年干部 Q1001")).to_be_visible()
    name = page.get_by_label("姓名", exact=True)
    expect(name).to_have_value(old)
    name.fill("浏览器改名")
    page.get_by_role("button", name="保存修改").click()
    wait_for_app(page)
    expect(page.get_by_text(f"姓名：{old} → 浏览器改名")).to_be_visible()

    open_profile(page)
    expect(heading).to_have_text("浏览器改名")  # every page reads the new data at once

    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="数据管理").click()
    wait_for_app(page)
    page.get_by_role("button", name="撤销此修改").click()
    wait_for_app(page)
    expect(
        page.get_by_text(re.compile(r"^已撤销第 1 号变更（修改 青年干部 Q1001）"))
    ).to_be_visible()
    open_profile(page)
    expect(heading).to_have_text(old)
    assert page.locator('[data-testid="stException"]').count() == 0
