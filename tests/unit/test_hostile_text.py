"""Text from the data or a link is shown, never obeyed: Markdown and chart markup stay literal,
control characters are refused on import and cannot break a document. About 2 s."""

from __future__ import annotations

import io
import re
import zipfile

import duckdb
import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from analytics.briefing import documents
from analytics.common.text import WORD_JOINER, md
from analytics.dataio.checks import headers_of
from analytics.dataio.commit import commit_import
from analytics.dataio.importer import prepare_import
from analytics.dataio.templates import backup_xlsx
from analytics.store.db import create_schema
from analytics.store.models import Cadre
from analytics.visual import charts, output_charts, participation_charts
from tests.factories import D, activity, cadre, database, present

LINK = "[点击核验身份](https://evil.example/verify)"
IMAGE = "![t](https://evil.example/pixel.png)"
HOSTILE = [
    LINK, IMAGE, "https://evil.example/bare", "www.evil.example", "x@evil.example",
    "<https://evil.example/auto>", "&#91;t&#93;&#40;https://evil.example/e&#41;",
    ":red[红] :material/home: $x^2$", "第一\n\n# 标题\n    代码", "**粗** _斜_ `码` ~~删~~",
]  # fmt: skip


def shown(markdown: str) -> str:
    """The characters a reader sees: escapes and word joiners take no room."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


@pytest.mark.parametrize("text", HOSTILE)
def test_md_keeps_every_character_and_leaves_no_markdown_syntax(text):
    escaped = md(text)
    assert shown(escaped) == " ".join(text.split()) or "\n" in text
    # No ASCII punctuation left unescaped, so no link, image, emphasis, entity or directive …
    assert not re.search(r"(?<!\\)[\[\]()!*_`~<>&:$#]", escaped.replace("\\\\", ""))
    # … and nothing GFM would still link after the escapes are resolved.
    resolved = re.sub(r"\\(.)", r"\1", escaped)
    assert not re.search(r"https?://|www\.|\w@\w", resolved)
    assert "\n" not in escaped


def test_md_with_lines_keeps_each_line_and_escapes_each():
    steps = "请新建数据库：\n1. 停止看板；\n2. CADRE_DB=/srv/a.duckdb make run"
    escaped = md(steps, lines=True)
    assert escaped.split("  \n") == [md(line) for line in steps.splitlines()]
    assert [shown(line) for line in escaped.split("  \n")] == steps.splitlines()
    assert md(None) == md(None, lines=True) == ""


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_in(v)]
    return []


EVIL_TAG = "<a href='https://evil.example/chart'>点我</a>"


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.bar_chart(pd.DataFrame({"g": [EVIL_TAG, "二组"], "v": [1, 2]}), "g", "v",
                                 title=f"按小组 {EVIL_TAG}"),
        lambda: participation_charts.attendance_grid(pd.DataFrame({
            "month": [D(2025, 1, 1)] * 2, "label": [EVIL_TAG, "李四"], "rate": [0.5, 1.0],
            "row": [0, 1], "cadre_id": ["Q1", "Q2"]})),
        lambda: output_charts.competition_timeline_chart(pd.DataFrame({
            "date": [D(2025, 5, 1)], "competition": [EVIL_TAG], "won": [EVIL_TAG],
            "level": [EVIL_TAG], "awards": [1]})),
    ],
    ids=["bar", "grid", "timeline"],
)  # fmt: skip
def test_a_chart_shows_markup_from_the_data_as_text(build):
    texts = strings_in(build().to_plotly_json())
    assert any("&lt;a href" in s for s in texts)  # the name is there, as text
    assert not any(re.search(r"<a\b", s) for s in texts)


NAME = "张\x01三"
CADRES_CSV = (
    "工号,姓名,性别,出生日期,处室,学习小组,职级,政治面貌,入职日期,调离日期\n"
    f"Q1,{NAME},男,,秘书一处,一组,,,2020-01-01,\n"
)


def test_a_control_character_is_refused_on_import_naming_the_cell():
    con = database([])
    plan = prepare_import(con, [("干部.csv", CADRES_CSV.encode())])
    assert [p.text() for p in plan.problems] == [
        "干部.csv 第 2 行〔姓名〕：含有不可见的控制字符（U+0001），多为从其他系统复制粘贴带入，"
        "请删除后重新导入（值：“张␁三”）"
    ]
    assert not plan.ok


def workbook_with_name(name: str) -> bytes:
    """A 青年干部 sheet as Excel saves it: a control character as _x0001_, a typed "_x0041_"
    as _x005F_x0041_ (xlsxwriter follows the same rule)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("青年干部")
    row = {"工号": "Q1", "姓名": name, "性别": "男", "处室": "秘书一处", "入职日期": "2020-01-01"}
    for col, header in enumerate(headers_of(Cadre)):
        sheet.write_string(0, col, header)
        if header in row:
            sheet.write_string(1, col, row[header])
    book.close()
    return buffer.getvalue()


def test_a_control_character_excel_wrote_as_an_escape_is_refused_too():
    data = workbook_with_name(NAME)
    assert "张_x0001_三".encode() in zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml")
    plan = prepare_import(database([]), [("干部.xlsx", data)])
    assert [(p.row, p.column) for p in plan.problems] == [(2, "姓名")]
    assert "U+0001" in plan.problems[0].message


def test_a_typed_underscore_x_sequence_stays_text():
    con = database([])
    plan = prepare_import(con, [("干部.xlsx", workbook_with_name("张_x0041_三"))])
    commit_import(con, plan, who="测试")
    assert con.execute("SELECT name FROM cadres").fetchone() == ("张_x0041_三",)


# Data from before the import refused control characters, or written by hand: the documents
# must still build.
ODD = "张\x01三 $\\notacommand$ \x0b"


def test_every_briefing_document_builds_from_text_with_control_characters():
    text = f"关于{ODD}的情况\n一、总体情况\n{ODD}参加了活动。"
    figures = pd.DataFrame({"指标": [ODD], "本期": ["1"]})
    images = documents.chart_images(
        pd.DataFrame({"study_group": [ODD], "rate": [0.5]}),
        pd.DataFrame({"type": [ODD], "reports": [1]}),
        pd.DataFrame({"level": [ODD], "prize": ["一等奖"], "awards": [1]}),
        pd.DataFrame({"label": [ODD], "progress": [0.5], "status": ["green"]}),
    )
    assert len(images) == 4
    word = documents.docx_bytes(text, figures, images, footer=ODD)
    pdf = documents.pdf_bytes(text, figures, images, footer=ODD)
    workbook = documents.xlsx_bytes({"数据": figures})
    assert word[:2] == b"PK" and pdf[:5] == b"%PDF-"
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(workbook)).active.values for c in row]
    assert "张三 $\\notacommand$" in cells[2]  # the control characters left out, the rest kept


def test_a_backup_of_such_data_restores_without_them():
    con = database([cadre("Q1", name="张三"), activity("A1", D(2025, 3, 1)), present("A1", "Q1")])
    con.execute("UPDATE cadres SET name = ?", [NAME])  # as older data could hold it
    restored = duckdb.connect()
    create_schema(restored)
    plan = prepare_import(restored, [("备份.xlsx", backup_xlsx(con))])
    assert plan.problems == []
    commit_import(restored, plan, who="测试")
    assert restored.execute("SELECT name FROM cadres").fetchone() == ("张三",)
