"""数据管理 in Chromium: pick a file, read the preview, commit; hostile cells stay text; the demo
takes no upload.

Uploads go to an office's own database (the demo's records, not marked as the demo) with a
管理员 signed in, served once for this module; the committed row is a 2030 target, which no
other page counts.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import office_copy, serve_app, wait_for_app

PASSWORD = "correct-horse-9"

TARGET_CSV = "指标,年度,目标值\nrotation_share,2030,0.35\n".encode("gbk")
HOSTILE_CSV = (
    "活动编号,工号,角色,出勤,计入学时\n"
    '"<img src=x onerror=""window.__xss=1"">",Q1001,参加,出席,=1+1\n'
).encode()


@pytest.fixture(scope="module")
def office_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("office")
    db = office_copy(demo_db, folder, ["wang", "--role", "管理员"], PASSWORD)
    with serve_app(db, folder) as url:
        yield url


def open_data_page(page: Page, url: str) -> None:
    """/data, through the sign-in form it answers with first."""
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.get_by_label("用户名").fill("wang")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/data*", timeout=20_000)
    wait_for_app(page)


def upload(page: Page, name: str, content: bytes) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    wait_for_app(page)


def test_upload_preview_and_commit(page: Page, office_url: str) -> None:
    open_data_page(page, office_url)
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


def test_hostile_cells_are_listed_as_text_and_nothing_runs(page: Page, office_url: str) -> None:
    open_data_page(page, office_url)
    upload(page, "出勤.csv", HOSTILE_CSV)
    expect(page.get_by_text(re.compile(r"发现 \d+ 处问题，本次不会写入任何数据"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"问题清单（共 \d+ 处）"))).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0
    expect(page.get_by_role("button", name=re.compile("确认导入"))).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_demo_takes_no_upload_and_says_where_real_data_goes(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/data")
    wait_for_app(page)
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main.get_by_text(re.compile("不能导入真实数据"))).to_be_visible()
    assert "CADRE_DB=/srv/cadres.duckdb make run" in main.inner_text()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


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


def after(element: Locator) -> str:
    """The text a stylesheet draws after an element (CSS generated content), unquoted."""
    return element.evaluate("e => getComputedStyle(e, '::after').content").strip('"')


def test_the_uploader_speaks_chinese_reads_xls_and_refuses_other_files_itself(
    page: Page, office_url: str
) -> None:
    open_data_page(page, office_url)
    uploader = page.locator('[data-testid="stFileUploader"]')
    expect(uploader.get_by_text(re.compile(r"单个文件不超过 20 MB"))).to_be_visible()
    expect(uploader.get_by_role("button", name="选择文件")).to_be_visible()
    zone = uploader.locator('[data-testid="stFileUploaderDropzoneInstructions"] > div')
    assert after(zone) == "或把文件拖到这里"
    english = uploader.get_by_text(re.compile("Upload|per file|Drag and drop"))
    expect(english.filter(visible=True)).to_have_count(0)

    # While a file is dragged over it.
    dropzone = uploader.locator('[data-testid="stFileUploaderDropzone"]')
    dragged = page.evaluate_handle(
        "() => { const d = new DataTransfer(); d.items.add(new File(['x'], '出勤.csv')); return d; }"
    )
    dropzone.dispatch_event("dragenter", {"dataTransfer": dragged})
    overlay = dropzone.locator("> input + div")
    expect(overlay.get_by_text("Drag and drop files here")).to_be_hidden()
    assert after(overlay) == "松开鼠标即可上传"
    dropzone.dispatch_event("dragleave", {"dataTransfer": dragged})

    upload(page, "旧表.xls", xls_bytes())
    expect(
        page.get_by_text("校验通过：新增 1 行，修改 0 行，未变 0 行。", exact=False)
    ).to_be_visible()

    upload(page, "照片.pdf", b"%PDF-1.4 not a sheet")
    expect(page.get_by_text(re.compile(r"发现 \d+ 处问题，本次不会写入任何数据"))).to_be_visible()
    expect(page.get_by_text(re.compile("不支持的文件类型"))).to_have_count(1)  # in the table
    expect(page.get_by_text(re.compile("files are not allowed|File must be"))).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_file_over_the_limit_is_refused_in_the_browser_in_chinese(
    page: Page, office_url: str
) -> None:
    """Streamlit refuses it before sending it (its limit is ours); what it says is ours."""
    open_data_page(page, office_url)
    upload(page, "出勤.csv", b"a,b\n" + b"1,2\n" * (5 * 1024 * 1024 + 1))  # 20 MB and 4 bytes
    chip = page.locator('[data-testid="stFileChip"]')
    expect(chip).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text(re.compile("识别结果|发现 \\d+ 处问题"))).to_have_count(0)  # not sent
    refused = ("未能上传：单个文件不能超过 20 MB。请把表格按年度或按工作表拆成几个文件（每个"
               "不超过 20 MB），分别上传。（文件没有超过 20 MB 时，请移除它后重新选择。）")  # fmt: skip
    alert = chip.locator('[role="alert"]')  # what a screen reader announces
    assert after(alert) == refused
    chip.hover()
    tooltip = page.locator('[data-testid="stTooltipErrorContent"]')
    expect(tooltip).to_be_visible()
    assert after(tooltip) == refused
    assert tooltip.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # "File must be …"
    box = tooltip.bounding_box()
    assert box is not None and box["height"] > 20  # the box holds the Chinese text
