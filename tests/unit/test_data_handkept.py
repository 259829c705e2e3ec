"""Sheets as an office really keeps them: what a clerk means is accepted, stored as meant, and
what cannot be known is refused with nothing written. Every workbook is built here, in code."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import duckdb
import openpyxl
import pytest
import xlsxwriter

from analytics.dataio.commit import commit_import
from analytics.dataio.importer import prepare_import
from tests.factories import activity, cadre, database
from tests.unit.test_data_importer import (
    ATTENDANCE_HEADERS,
    CADRE_HEADERS,
    csv_bytes,
    refused,
    snapshot,
)

D = dt.date


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """Two cadres and one activity (2 学时) already in the database."""
    return database([cadre("1001"), cadre("1002"), activity("HD1", D(2025, 3, 5))])


def workbook(build: Any) -> bytes:
    """An .xlsx written by xlsxwriter, which (like Excel) saves a formula's value with it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    build(book)
    book.close()
    return buffer.getvalue()


def cadre_row(cid: Any, name: str, **cells: Any) -> list[Any]:
    row = {"工号": cid, "姓名": name, "性别": "男", "出生日期": "1995-01-01", "处室": "秘书一处",
           "学习小组": "一组", "职级": "", "政治面貌": "", "入职日期": "2020-01-01", "调离日期": ""}  # fmt: skip
    row.update(cells)
    return [row[h] for h in CADRE_HEADERS]


def stored_cadres(con, *ids: str) -> list[tuple[Any, ...]]:
    return con.execute(
        "SELECT cadre_id, name, gender, birth_date, study_group, political_status, join_date "
        "FROM cadres WHERE cadre_id IN (SELECT unnest($ids)) ORDER BY 1",
        {"ids": list(ids)},
    ).fetchall()


def test_a_roster_with_title_rows_extra_columns_synonyms_and_a_footer_imports_as_meant(con):
    headers = ["序号", "职工号", "姓名", "性别", "出生年月日", "处室", "学习小组", "政治面貌",
               "入职时间", "备注", "职务职级", "调离时间"]  # fmt: skip

    def build(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet("花名册")
        padded = book.add_format({"num_format": "0000"})
        ws.merge_range(0, 0, 0, 11, "2025年青年干部花名册")  # a merged title over the table
        ws.write_string(1, 0, "填报单位：市政府办公室")
        ws.write_string(6, 0, "（内部资料，注意保存）")  # a note; the header is on row 12
        for col, header in enumerate(headers):
            ws.write_string(11, col, header)
        rows = [
            [1, 101, "王一", "男性", 19950301, "秘书一处", None, "党员", "2025/3/1 9:30", "新进",
             "一级科员", ""],
            [2, 102, "李二", "女性", "1996-05-04", "秘书一处", None, "团员", 20240105, "", "", ""],
            [3, 103, "张三", "男", "1995.7.8", "秘书一处", None, "群众", "2023年9月1日", "", "",
             ""],
        ]  # fmt: skip
        for r, cells in enumerate(rows, start=12):
            for c, value in enumerate(cells):
                if value is None:
                    continue
                if c == 1:
                    ws.write_number(r, c, value, padded)  # 101 shown as 0101
                elif isinstance(value, int):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, value)
        ws.merge_range(12, 6, 14, 6, "第一学习小组")  # one group over three rows
        ws.write_string(15, 0, "合计")
        ws.write_number(15, 1, 3)
        ws.write_string(17, 0, "制表人：赵某")
        ws.write_string(17, 4, "审核人：钱某")

    plan = prepare_import(con, [("花名册.xlsx", workbook(build))])
    assert plan.problems == []
    [sheet] = plan.sheets_frame().to_dict("records")
    assert sheet["识别为"] == "青年干部" and sheet["数据行数"] == 3
    assert sheet["未读取"] == "合计/签名等 2 行；空行 1 行；模板外的列：序号、备注"
    commit_import(con, plan, who="测试")
    assert stored_cadres(con, "0101", "0102", "0103") == [
        ("0101", "王一", "男", D(1995, 3, 1), "第一学习小组", "中共党员", D(2025, 3, 1)),
        ("0102", "李二", "女", D(1996, 5, 4), "第一学习小组", "共青团员", D(2024, 1, 5)),
        ("0103", "张三", "男", D(1995, 7, 8), "第一学习小组", "群众", D(2023, 9, 1)),
    ]
    assert stored_cadres(con, "101") == []  # no second person "101"


def test_attendance_spelled_as_clerks_do(con):
    headers = ["活动编号", "人员编号", "角色", "出勤情况", "计入学时"]
    rows = [["HD1", "1001", "参加", "已出席", 2], ["HD1", "1002", "主讲人", "参加", 2]]
    plan = prepare_import(con, [("出勤.csv", csv_bytes(headers, rows))])
    assert plan.problems == []
    commit_import(con, plan, who="测试")
    assert con.execute("SELECT * FROM attendance ORDER BY 2").fetchall() == [
        ("HD1", "1001", "参加", "出席", 2.0),
        ("HD1", "1002", "主讲", "出席", 2.0),
    ]


def test_a_formula_is_read_by_the_value_excel_saved(con):
    def build(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet("青年干部")
        ws.write_row(0, 0, CADRE_HEADERS)
        ws.write_row(1, 0, cadre_row("2001", "孙四", 学习小组=None))
        ws.write_formula(1, 5, "=VLOOKUP(A2,分组!A:B,2,FALSE)", None, "第二学习小组")
        ws.write_formula(1, 8, "=DATE(2024,3,1)", book.add_format({"num_format": "yyyy-mm-dd"}),
                         45352)  # fmt: skip

    plan = prepare_import(con, [("干部.xlsx", workbook(build))])
    assert plan.problems == []
    commit_import(con, plan, who="测试")
    assert con.execute(
        "SELECT study_group, join_date FROM cadres WHERE cadre_id = '2001'"
    ).fetchall() == [("第二学习小组", D(2024, 3, 1))]


@pytest.mark.parametrize("kind", ["cached error", "pasted text", "csv"])
def test_an_error_value_is_refused_not_stored(con, kind):
    if kind == "csv":
        data = csv_bytes(CADRE_HEADERS, [cadre_row("2001", "孙四", 学习小组="#N/A")])
        name, sheet = "干部.csv", "干部"
    else:

        def build(book: xlsxwriter.Workbook) -> None:
            ws = book.add_worksheet("青年干部")
            ws.write_row(0, 0, CADRE_HEADERS)
            ws.write_row(1, 0, cadre_row("2001", "孙四", 学习小组=None))
            if kind == "cached error":
                ws.write_formula(1, 5, "=VLOOKUP(A2,分组!A:B,2,FALSE)", None, "#N/A")
            else:
                ws.write_string(1, 5, "#N/A")

        data, name, sheet = workbook(build), "干部.xlsx", "青年干部"
    plan = refused(con, [(name, data)])
    assert [(p.sheet, p.row, p.column, p.value, p.message) for p in plan.problems] == [
        (sheet, 2, "学习小组", "#N/A",
         "单元格是错误值 #N/A（通常是公式出错或查找不到）：请改为实际的值。"),
    ]  # fmt: skip


def test_a_hidden_sheet_is_listed_as_skipped(con):
    def build(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet("青年干部")
        ws.write_row(0, 0, CADRE_HEADERS)
        ws.write_row(1, 0, cadre_row("2001", "孙四"))
        hidden = book.add_worksheet("出勤")
        hidden.write_row(0, 0, ATTENDANCE_HEADERS)
        hidden.write_row(1, 0, ["HD1", "2001", "参加", "出席", 2])
        hidden.hide()

    plan = prepare_import(con, [("台账.xlsx", workbook(build))])
    assert plan.problems == []
    assert plan.sheets_frame()[["工作表", "识别为", "未读取"]].values.tolist() == [
        ["青年干部", "青年干部", ""],
        ["出勤", "未识别", "隐藏的工作表，未读取（如需导入，请在 Excel 中取消隐藏）"],
    ]
    assert "attendance" not in plan.tables


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (1996, "数字 1996 不是日期：按 Excel 日期序号它是 1950 年以前或"),
        ("1996", "数字 1996 不是日期：按 Excel 日期序号它是 1950 年以前或"),
        (20250230, "日期不存在：20250230"),
    ],
)
def test_a_bare_number_that_is_no_plausible_date_is_refused(con, typed, message):
    data = csv_bytes(CADRE_HEADERS, [cadre_row("2001", "孙四", 出生日期=typed)])
    [problem] = refused(con, [("干部.csv", data)]).problems
    assert (problem.row, problem.column, problem.value) == (2, "出生日期", str(typed))
    assert problem.message.startswith(message)


def test_a_merged_cell_fills_every_row_it_covers_in_openpyxl_files_too(con):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "青年干部"
    ws.append(CADRE_HEADERS)
    for i in range(3):
        ws.append(cadre_row(f"200{i}", f"组员{i}", 学习小组=None))
    ws["F2"] = "第三学习小组"
    ws.merge_cells("F2:F4")
    buffer = io.BytesIO()
    book.save(buffer)
    before = snapshot(con)
    plan = prepare_import(con, [("干部.xlsx", buffer.getvalue())])
    assert plan.problems == [] and snapshot(con) == before
    commit_import(con, plan, who="测试")
    assert con.execute(
        "SELECT cadre_id, study_group FROM cadres WHERE cadre_id LIKE '200%' ORDER BY 1"
    ).fetchall() == [("2000", "第三学习小组"), ("2001", "第三学习小组"), ("2002", "第三学习小组")]
