"""数据管理 in Chromium: pick a file, read the preview, commit; hostile cells stay text.

The app is shared by the browser session, so the committed row is a 2030 target, which no
other page counts.
"""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import wait_for_app

TARGET_CSV = "指标,年度,目标值\nrotation_share,2030,0.35\n".encode("gbk")
HOSTILE_CSV = (
    "活动编号,工号,角色,出勤,计入学时\n"
    '"<img src=x onerror=""window.__xss=1"">",Q1001,参加,出席,=1+1\n'
).encode()


def upload(page: Page, name: str, content: bytes) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    wait_for_app(page)


def test_upload_preview_and_commit(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/data")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="数据管理")).to_be_visible()

    upload(page, "目标.csv", TARGET_CSV)
    expect(page.get_by_text("校验通过：新增 1 行，修改 0 行，未变 0 行。")).to_be_visible()
    page.get_by_role("button", name=re.compile("确认导入")).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"导入成功（第 \d+ 次导入）：新增 1 行"))).to_be_visible()
    # The same file is still selected: now it would change nothing, and the page says so.
    expect(page.get_by_text(re.compile("无需写入"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("确认导入"))).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_hostile_cells_are_listed_as_text_and_nothing_runs(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/data")
    wait_for_app(page)
    upload(page, "出勤.csv", HOSTILE_CSV)
    expect(page.get_by_text(re.compile(r"发现 \d+ 处问题，本次不会写入任何数据"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"问题清单（共 \d+ 处）"))).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0
    expect(page.get_by_role("button", name=re.compile("确认导入"))).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0


def xls_bytes() -> bytes:
    """A legacy .xls (BIFF8) written in code with xlwt: one 2031 target, which no page counts."""
    import io

    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("目标")
    for col, value in enumerate(["指标", "年度", "目标值"]):
        sheet.write(0, col, value)
    for col, value in enumerate(["rotation_share", 2031, 0.3]):
        sheet.write(1, col, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_uploader_speaks_chinese_reads_xls_and_refuses_other_files_itself(
    page: Page, app_url: str
) -> None:
    page.goto(f"{app_url}/data")
    wait_for_app(page)
    uploader = page.locator('[data-testid="stFileUploader"]')
    expect(uploader.get_by_text(re.compile(r"单个文件不超过 20 MB"))).to_be_visible()
    english = uploader.get_by_text(re.compile("per file|Drag and drop"))
    expect(english.filter(visible=True)).to_have_count(0)

    upload(page, "旧表.xls", xls_bytes())
    expect(
        page.get_by_text("校验通过：新增 1 行，修改 0 行，未变 0 行。", exact=False)
    ).to_be_visible()

    upload(page, "照片.pdf", b"%PDF-1.4 not a sheet")
    expect(page.get_by_text(re.compile(r"发现 \d+ 处问题，本次不会写入任何数据"))).to_be_visible()
    expect(page.get_by_text(re.compile("不支持的文件类型"))).to_have_count(1)  # in the table
    expect(page.get_by_text(re.compile("files are not allowed|File must be"))).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0
