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
from analytics.metrics.participation import activity_highlights
from analytics.semantic.scope import awards_in_scope, reports_in_scope

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
    flat = re.sub(r"第\d+页/共\d+页(内部资料)?", "", re.sub(r"\s+", "", text))
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
    names = " ".join(line.split()[0] for line in fonts)
    # 公文 stand-ins: 宋体/仿宋 → AR PL UMing, 黑体 → WenQuanYi Micro Hei, 楷体 → AR PL UKai
    for font in ("UMingCN", "WenQuanYiMicroHei", "UKaiCN"):
        assert font in names, f"{font} not in the PDF: {names}"
    for line in fonts:
        assert line.split()[-5] == "yes", f"not embedded: {line}"  # the emb column


def test_pdf_follows_chinese_line_breaking_and_is_signed(pack, edited, images, tmp_path):
    import datetime as dt

    path = tmp_path / "briefing.pdf"
    path.write_bytes(
        briefing_docs.pdf_bytes(
            edited, figures_display(pack.figures), images, "数据截至", signed=dt.date(2025, 11, 30)
        )
    )
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(lines) > 40
    starts = [line for line in lines if line[0] in "，。、；：？！）》」"]
    ends = [line for line in lines if line[-1] in "（《「"]
    assert not starts, f"lines that start with a closing mark: {starts[:5]}"
    assert not ends, f"lines that end with an opening mark: {ends[:5]}"
    assert lines[0] == "内部资料"  # the mark on every page, first on the first
    assert text.count("内部资料") == text.count("\f")
    flat = re.sub(r"\s+", "", text)
    assert "市政府办公室2025年11月30日" in flat  # the sign-off: office, then date


def test_line_breaking_moves_a_closing_mark_with_its_character():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from analytics.briefing import pdf

    pdf._register()
    font, size = pdf.SONG[0], 16
    width = stringWidth("一" * 10, font, size)  # ten characters a line
    lines = pdf.break_lines("一二三四五六七八九十，再来（括号）。", font, size, width)
    assert lines[0] == "一二三四五六七八九" and lines[1].startswith("十，")
    # an opening mark never ends a line; numbers stay whole
    lines = pdf.break_lines("一二三四五六七八九（十）", font, size, width)
    assert not lines[0].endswith("（")
    lines = pdf.break_lines("一二三四五六七八82.4%的人", font, size, width)
    assert all("82.4%" in line or "8" not in line for line in lines)


def test_xlsx_has_a_sheet_per_table_typed_for_a_reader(pack):
    tables = pack.tables()
    shown = briefing_docs.workbook_tables(tables)
    book = openpyxl.load_workbook(io.BytesIO(briefing_docs.xlsx_bytes(tables)))
    # the narrative's internal data (code names) stays out; every other table is a sheet
    assert book.sheetnames == [name for name in tables if name != "文字材料数据"]
    for name, frame in shown.items():
        header = [c.value for c in next(book[name].iter_rows(max_row=1))]
        assert header == [c for c in frame.columns if c != "档案"], name  # no dead app links
        assert "指标代码" not in header
        assert book[name].max_row == len(frame) + 1, name
        assert book[name].print_title_rows == "$1:$1", name  # header repeats when printed
        for row in book[name].iter_rows(min_row=2):
            for cell in row:
                value = cell.value
                assert value not in ("red", "amber", "green", "none", "count", "share"), name
                assert not (isinstance(value, str) and value.startswith("profile?")), name
                assert not (isinstance(value, str) and re.fullmatch(r"[\d.]+%", value)), name
                if hasattr(value, "year"):
                    assert cell.number_format == "yyyy-mm-dd", (name, cell.coordinate)
    figures = {r[0].value: r for r in book["关键数据"].iter_rows(min_row=2)}
    assert figures["在岗青年干部"][1].value == 82
    rate = figures["活动参与率"][1]
    assert isinstance(rate.value, float) and 0 < rate.value < 1
    assert rate.number_format == "0.0%"
    assert figures["活动参与率"][4].value == "比例"  # the unit in words
    quota = book["指标进度"]
    actual = next(quota.iter_rows(min_row=2, max_row=2))[2]  # 22.6% was text
    assert isinstance(actual.value, float) and actual.number_format == "0.0%"


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


def test_docx_is_signed_marked_and_its_table_header_repeats_in_bold(pack, edited, images):
    import datetime as dt

    data = briefing_docs.docx_bytes(
        edited, figures_display(pack.figures), images, "数据截至", signed=dt.date(2025, 11, 30)
    )
    doc = Document(io.BytesIO(data))
    props = doc.core_properties
    assert props.author == "市政府办公室" and props.author != "python-docx"
    assert props.title == pack.narrative.title
    assert doc.sections[0].header.paragraphs[0].text == "内部资料"
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("市政府办公室")
    assert texts[at + 1] == "2025年11月30日"
    assert texts.index("附表：关键数据") > at  # the sign-off closes the text, before the annex
    header = doc.tables[0].rows[0]
    assert (
        header._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    assert all(run.bold for cell in header.cells for p in cell.paragraphs for run in p.runs)
