"""The briefing pack on the demo data for 2025 (年初至今): the narrative states the work report's
figures, and the Word, PDF and Excel files hold the headings, the figures and the edits."""

import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from docx import Document

from analytics.briefing import documents as briefing_docs
from analytics.briefing.figures import (
    briefing_pack,
    default_briefing_quarter,
    figures_display,
)
from analytics.common.filters import Filters
from analytics.generators.demo import AS_OF
from analytics.metrics.activities import activities_in_scope
from analytics.metrics.cadres import headcount
from analytics.metrics.outputs import awards_in_scope, reports_in_scope
from analytics.metrics.participation import activity_highlights

# The work report's own sentences (shared/seed/work-report.txt), which the demo data reproduce.
WORK_REPORT_PHRASES = (
    "将办公室82名青年干部划分为4个理论学习小组",
    "已组织3批次、11场次研学活动",
    "30名青年干部围绕“新质生产力”等主题开展座谈交流11场次",
    "每次选派2名青年代表列席跟学",
    "撰写调研报告11篇",
    "形成高质量调研文章4篇",
    "荣获理论组一等奖、演艺组二等奖",
    "《愿以青春赴山海 逐梦基层绽芳华》荣获",
    "《热线连民心 服务暖万家》在",
    "中取得优异成绩",
)
HEADINGS = (
    "一、主要工作情况",
    "（一）突出铸魂补钙，上好理论学习“基础课”",
    "（二）突出固本培元，修好党性教育“终身课”",
    "（三）突出知行合一，练好实践锻炼“必修课”",
    "二、下一步工作打算",
)
EDIT = "座谈会上，青年干部代表发言踊跃（人工补充）。"


@pytest.fixture(scope="module")
def ytd() -> Filters:
    return Filters(year=2025, as_of=AS_OF)


@pytest.fixture(scope="module")
def pack(demo_con, ytd):
    return briefing_pack(demo_con, ytd)


@pytest.fixture(scope="module")
def edited(pack) -> str:
    """The narrative as a user leaves it after editing: one sentence added under 二、."""
    return pack.narrative.text.replace("二、下一步工作打算", f"二、下一步工作打算\n{EDIT}")


@pytest.fixture(scope="module")
def images(pack):
    return briefing_docs.chart_images(pack.participation, pack.output, pack.awards_chart,
                                      pack.quota)  # fmt: skip


def test_demo_default_period_is_2025_q3(ytd):
    assert default_briefing_quarter(ytd) == 3


def test_demo_2025_narrative_states_the_work_reports_figures(pack):
    text = pack.narrative.text
    for phrase in WORK_REPORT_PHRASES:
        assert phrase in text, phrase


def test_demo_2025_narrative_figures_equal_the_metrics(demo_con, ytd, pack):
    x = pack.narrative.facts
    held = activities_in_scope(demo_con, ytd)
    reports = reports_in_scope(demo_con, ytd)
    research = held[held["form"] == "研学活动"]
    assert x["cadres"] == int(headcount(demo_con, ytd).iloc[0]["at_end"])
    assert x["research_sessions"] == len(research)
    assert x["research_batches"] == research["batch"].nunique()
    assert x["discussion_sessions"] == int((held["form"] == "座谈交流").sum())
    assert (
        x["discussion_people"]
        == activity_highlights(demo_con, ytd).iloc[0]["discussion_participants"]
    )
    assert x["research_reports"] == int((reports["type"] == "调研报告").sum())
    assert [a["work"] for a in x["awards"]] == awards_in_scope(demo_con, ytd)["work"].tolist()
    figures = pack.figures.set_index("key")
    assert figures.loc["cadres", "value"] == x["cadres"]
    assert figures.loc["research_sessions", "value"] == x["research_sessions"]
    assert figures.loc["research_reports", "value"] == x["research_reports"]


def test_parse_blocks_kinds():
    blocks = briefing_docs.parse_blocks(
        "标题\n\n一、主要工作情况\n（一）突出铸魂补钙\n一是……。二是……。\n（二）写了很长一句话。后面还有。"
    )
    assert [b.kind for b in blocks] == ["title", "h1", "h2", "body", "body"]


def test_docx_holds_headings_figures_edits_and_official_fonts(pack, edited, images):
    data = briefing_docs.docx_bytes(edited, figures_display(pack.figures), images, "数据截至")
    doc = Document(io.BytesIO(data))
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == [pack.narrative.title]
    assert "一、主要工作情况" in by_style["Heading 1"]
    assert "二、下一步工作打算" in by_style["Heading 1"]
    for heading in HEADINGS[1:4]:
        assert heading in by_style["Heading 2"]
    body = "\n".join(by_style["公文正文"])
    for phrase in WORK_REPORT_PHRASES:
        assert phrase in body, phrase
    assert EDIT in body
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "在岗青年干部" in cells and "82" in cells
    assert len(doc.inline_shapes) == len(images) == 4
    east_asia = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    fonts = {
        name: doc.styles[name].element.rPr.rFonts.get(east_asia)
        for name in ("Normal", "Title", "Heading 1", "Heading 2")
    }
    assert fonts == {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading 1": "黑体",
                     "Heading 2": "楷体_GB2312"}  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        font_table = z.read("word/fontTable.xml").decode("utf-8")
        footer = z.read("word/footer1.xml").decode("utf-8")
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"/>', font_table)
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', font_table)
    assert "PAGE" in footer and "NUMPAGES" in footer and "第 " in footer and "共 " in footer


needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils missing: run `make system-deps`",
)


@needs_poppler
def test_pdf_text_fonts_and_page_numbers(pack, edited, images, tmp_path):
    data = briefing_docs.pdf_bytes(edited, figures_display(pack.figures), images, "数据截至")
    path = tmp_path / "briefing.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    # A sentence may run across a page break, where the footer's page number sits in the text.
    flat = re.sub(r"第\d+页/共\d+页", "", re.sub(r"\s+", "", text))
    for phrase in (*HEADINGS, *WORK_REPORT_PHRASES, EDIT):
        assert re.sub(r"\s+", "", phrase) in flat, phrase
    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(
                ["pdfinfo", str(path)], capture_output=True, text=True, check=True
            ).stdout,
        ).group(1)
    )
    assert pages >= 2
    squeezed = re.sub(r"\s+", "", text)  # pdftotext drops the spaces around the digits
    for n in range(1, pages + 1):
        assert f"第{n}页/共{pages}页" in squeezed
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]  # fmt: skip
    assert fonts, "no fonts listed"
    for line in fonts:
        columns = line.split()
        assert "WenQuanYi" in columns[0], line
        assert columns[-5] == "yes", f"not embedded: {line}"  # the emb column


def test_xlsx_has_a_sheet_per_table(pack):
    tables = pack.tables()
    book = openpyxl.load_workbook(io.BytesIO(briefing_docs.xlsx_bytes(tables)))
    assert book.sheetnames == list(tables)
    assert len(book.sheetnames) == 11
    for name, frame in tables.items():
        header = [c.value for c in next(book[name].iter_rows(max_row=1))]
        assert header == list(frame.columns), name
        assert book[name].max_row == len(frame) + 1, name
    figures = book["关键数据"]
    rows = {r[1]: r[2] for r in figures.iter_rows(min_row=2, values_only=True)}
    assert rows["在岗青年干部"] == 82


def test_chart_images_are_pngs(images):
    assert [i.caption for i in images] == [
        "各学习小组活动参与率", "调研成果（按类型）", "竞赛获奖（按奖项、级别）",
        "指标进度（实际 ÷ 进度目标）",
    ]  # fmt: skip
    assert all(i.png.startswith(b"\x89PNG") for i in images)


def test_missing_font_gives_a_chinese_message(monkeypatch, tmp_path):
    monkeypatch.setattr(briefing_docs, "CJK_FONT_CANDIDATES", (tmp_path / "none.ttc",))
    with pytest.raises(briefing_docs.FontMissing, match="make fonts"):
        briefing_docs.cjk_font_path()
