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


# ----- re-uploading a roster -------------------------------------------------------------------


def test_a_reupload_with_blank_cells_keeps_stored_values_and_shows_every_change(con):
    first = [cadre_row("2001", "孙四", 出生日期="1994-02-03", 学习小组="一组", 职级="一级科员",
                       调离日期="2025-06-30"),
             cadre_row("2002", "周五", 职级="二级科员")]  # fmt: skip
    commit_import(con, prepare_import(con, [("干部.csv", csv_bytes(CADRE_HEADERS, first))]),
                  who="测试")  # fmt: skip
    # The same roster kept by hand: some cells left blank, a new 处室, one cell cleared on purpose.
    again = [cadre_row("2001", "孙四", 出生日期="", 学习小组="", 职级="", 调离日期="",
                       处室="秘书二处"),
             cadre_row("2002", "周五", 职级="（清空）")]  # fmt: skip
    plan = prepare_import(con, [("干部.csv", csv_bytes(CADRE_HEADERS, again))])
    assert plan.problems == []
    assert plan.counts()["cadres"] == {"new": 0, "changed": 2, "unchanged": 0, "rejected": 0}
    assert plan.changes_frame().values.tolist() == [
        ["青年干部", "2001", "处室", "秘书一处", "秘书二处"],
        ["青年干部", "2002", "职级", "二级科员", "（空）"],
    ]
    commit_import(con, plan, who="测试")
    assert con.execute(
        "SELECT cadre_id, birth_date, division, study_group, rank, leave_date FROM cadres "
        "WHERE cadre_id IN ('2001', '2002') ORDER BY 1"
    ).fetchall() == [
        ("2001", D(1994, 2, 3), "秘书二处", "一组", "一级科员", D(2025, 6, 30)),  # still left
        ("2002", D(1995, 1, 1), "秘书一处", "一组", None, None),
    ]


def test_a_required_cell_cannot_be_cleared(con):
    data = csv_bytes(CADRE_HEADERS, [cadre_row("1001", "（清空）")])
    [problem] = refused(con, [("干部.csv", data)]).problems
    assert (problem.row, problem.column, problem.message) == (2, "姓名", "必填项不能清空。")


# ----- errors a clerk can act on ---------------------------------------------------------------


def test_one_refused_activity_sheet_is_one_root_cause_not_a_line_per_attendance_row(con):
    activities = csv_bytes(["活动编号", "活动名称", "类别", "日期", "学时"],  # 形式 … missing
                           [["HD7", "专题学习", "理论学习", "2025-05-01", 2]])  # fmt: skip
    attendance = csv_bytes(ATTENDANCE_HEADERS,
                           [[f"HD{1000 + i}", "1001", "参加", "出席", 2]
                            for i in range(773)])  # fmt: skip
    plan = refused(con, [("活动.csv", activities), ("出勤.csv", attendance)])
    assert [(p.file, p.row) for p in plan.problems] == [("活动.csv", 1), ("活动.csv", 1)]
    assert plan.problems[0].message.startswith("按表头识别为“活动”，但缺少必填列：形式。")
    assert plan.problems[1].message == (
        "本表未能读取（见本表的其他问题），本次上传中“出勤”表 773 行的活动编号要等本表修正后才能"
        "核对，暂不逐行列出。"
    )


def test_the_same_problem_on_many_rows_is_one_line_and_the_lines_are_capped():
    from analytics.dataio.feedback import grouped_frame, problem_lines
    from analytics.dataio.plan import Problem

    problems = [
        Problem("出勤.csv", "出勤", n, "工号", f"Q{n}", "工号不存在。") for n in range(2, 775)
    ]
    problems += [Problem("出勤.csv", "出勤", n, f"第 {n} 列（无表头）", None, "没有表头。")
                 for n in range(1000, 1300)]  # fmt: skip
    lines, more = problem_lines(problems)
    assert lines[0] == "出勤.csv 第 2–774 行〔工号〕：工号不存在。（值：“Q2、Q3、Q4 等 773 个”）"
    assert len(lines) == 200 and more == 101
    frame = grouped_frame(problems)
    assert len(frame) == 200
    assert frame.iloc[0][["行号", "值"]].tolist() == ["2–774", "Q2、Q3、Q4 等 773 个"]


def test_the_problems_workbook_is_the_upload_marked_in_place(con):
    rows = [["HD1", "1001", "参加", "出席", 2], ["HD1", "9999", "参加", "到场", 2]]
    upload = ("出勤.csv", csv_bytes(["序号", *ATTENDANCE_HEADERS], [[i, *r] for i, r in
                                                                   enumerate(rows, 1)]))  # fmt: skip
    plan = refused(con, [upload])
    from analytics.dataio.feedback import problems_workbook

    book = openpyxl.load_workbook(io.BytesIO(problems_workbook([upload], plan.problems, 1 << 20)))
    assert book.sheetnames == ["问题清单", "出勤-出勤"]
    listing = [list(r) for r in book["问题清单"].iter_rows(values_only=True)]
    assert [r[2:5] for r in listing[1:]] == [[3, "出勤", "到场"], [3, "工号", "9999"]]
    sheet = book["出勤-出勤"]
    assert [c.value for c in sheet[1]] == ["序号", *ATTENDANCE_HEADERS, "问题"]
    assert sheet["G3"].value.startswith("不是可选值，应为：出席、请假、缺席。；工号不存在")
    red = {c.coordinate for r in sheet.iter_rows() for c in r if c.fill.fgColor.rgb == "FFFFC7CE"}
    assert red == {"C3", "E3"}  # 工号 and 出勤 of the second row, nothing else
    assert sheet["C3"].value == "9999" and sheet["E3"].value == "到场"


def test_a_key_given_twice_is_refused_whether_the_first_row_is_valid_or_not(con):
    """A repeat is found on the cells as typed (before the rows are validated, so a sheet pasted
    in twice makes no second set of records) and on the values as read (" 1002" is 1002)."""
    rows = [["HD1", "1001", "参加", "到场", 2],  # the first row is itself refused
            ["HD1", "1001", "参加", "出席", 2],
            ["HD1", " 1002", "参加", "出席", 2],
            ["HD1", "1002", "参加", "出席", 2]]  # fmt: skip
    before = snapshot(con)
    plan = refused(con, [("出勤.csv", csv_bytes(ATTENDANCE_HEADERS, rows))])
    again = "的关键列相同：同一记录在本次上传中出现了多次。"
    assert [(p.row, p.column, p.value, p.message) for p in plan.problems] == [
        (2, "出勤", "到场", "不是可选值，应为：出席、请假、缺席。"),
        (3, "活动编号+工号", "HD1 / 1001", "与 第 2 行" + again),
        (5, "活动编号+工号", "HD1 / 1002", "与 第 4 行" + again),
    ]
    assert plan.counts()["attendance"]["rejected"] == 3 and snapshot(con) == before


def test_a_sheet_pasted_into_itself_is_one_line(con):
    """The attendance rows pasted 15 times over: 28,000 rows repeat a key, one line says so.
    (Time and memory of the 20 MB case: scripts/bench_import.py --repeated.)"""
    from analytics.dataio.feedback import problem_lines

    con.execute("INSERT INTO activities SELECT 'HX' || i, '活动', '理论学习', '导师领学', NULL, NULL,"
                " NULL, '全体', DATE '2025-03-05', 2, NULL FROM range(1000) t(i)")  # fmt: skip
    rows = [[f"HX{i % 1000}", "1001" if i // 1000 % 2 else "1002", "参加", "出席", 2]
            for i in range(2000)]  # fmt: skip
    data = csv_bytes(ATTENDANCE_HEADERS, rows * 15)  # 30,000 rows, 28,000 repeats
    plan = prepare_import(con, [("出勤.csv", data)])
    lines, more = problem_lines(plan.problems)
    assert len(plan.problems) == 28_000 and more == 0
    assert lines == [
        "出勤.csv 第 2002–30001 行〔活动编号+工号〕：关键列与本次上传中前面的行相同：同一记录出现了"
        "多次。（值：“HX0 / 1002、HX1 / 1002、HX2 / 1002 等 2000 个”）"
    ]
    assert plan.counts()["attendance"] == {"new": 2000, "changed": 0, "unchanged": 0,
                                           "rejected": 28000}  # fmt: skip


# ----- plausibility across fields --------------------------------------------------------------

TODAY = D(2025, 12, 1)


@pytest.mark.parametrize(
    ("cells", "column", "value", "message"),
    [
        ({"出生日期": "2012-05-01", "入职日期": "2025-03-01"}, "出生日期、入职日期",
         "出生日期 2012-05-01，入职日期 2025-03-01", "出生日期与入职日期相差不到 16 年"),
        ({"出生日期": "2025-05-01", "入职日期": "2025-03-01"}, "出生日期、入职日期",
         "出生日期 2025-05-01，入职日期 2025-03-01", "出生日期不早于入职日期"),
        ({"调离日期": "2019-12-31"}, "调离日期、入职日期",
         "调离日期 2019-12-31，入职日期 2020-01-01", "调离日期早于入职日期"),
        ({"入职日期": "2027-01-01"}, "入职日期", "2027-01-01", "日期晚于 2026-12-01"),
        ({"出生日期": D(1905, 6, 18)}, "出生日期", "1905-06-18", "日期早于 1950-01-01"),
    ],
)  # fmt: skip
def test_a_roster_row_that_cannot_be_true_names_its_cells(con, cells, column, value, message):
    data = csv_bytes(CADRE_HEADERS, [cadre_row("2001", "孙四", **cells)])
    before = snapshot(con)
    plan = prepare_import(con, [("干部.csv", data)], today=TODAY)
    assert [(p.row, p.column, p.value) for p in plan.problems] == [(2, column, value)]
    assert plan.problems[0].message.startswith(message)
    assert not plan.ok and snapshot(con) == before


def test_credited_hours_must_fit_the_activity_and_the_attendance(con):
    activities = csv_bytes(
        ["活动编号", "活动名称", "类别", "形式", "主题", "批次", "组织小组", "参加范围", "日期",
         "学时", "主讲/导师"],
        [["HD2", "研学", "理论学习", "研学活动", "", "", "", "全体", "2025-06-01", 3, ""]],
    )  # fmt: skip
    attendance = csv_bytes(ATTENDANCE_HEADERS, [
        ["HD1", "1001", "参加", "出席", 2.5],  # HD1 in the database: 2 学时
        ["HD2", "1001", "参加", "出席", 3],  # HD2 in this upload: 3 学时
        ["HD2", "1002", "参加", "请假", 1],
    ])  # fmt: skip
    plan = refused(con, [("活动.csv", activities), ("出勤.csv", attendance)])
    assert [(p.row, p.column, p.value, p.message) for p in plan.problems] == [
        (2, "计入学时", "2.5",
         "计入学时超过了活动“HD1”本身的学时 2：请检查本格，或检查“活动”表中该活动的学时。"),
        (4, "出勤、计入学时", "出勤 请假，计入学时 1", "出勤为“请假”时计入学时应为 0：请检查这两格。"),
    ]  # fmt: skip


def test_a_new_id_that_is_a_stored_one_but_for_leading_zeros_is_refused_with_the_hint():
    con = database([cadre("0101"), activity("HD1", D(2025, 3, 5))])
    before = snapshot(con)
    roster = csv_bytes(CADRE_HEADERS, [cadre_row("101", "王一")])
    attendance = csv_bytes(ATTENDANCE_HEADERS, [["HD1", "101", "参加", "出席", 2]])
    # With the roster: the new cadre is refused; the attendance naming him is not flagged again.
    plan = prepare_import(con, [("干部.csv", roster), ("出勤.csv", attendance)])
    assert [(p.file, p.column, p.value) for p in plan.problems] == [("干部.csv", "工号", "101")]
    # Alone, the attendance row gets the same hint instead of "工号不存在".
    [alone] = prepare_import(con, [("出勤.csv", attendance)]).problems
    assert (alone.file, alone.column, alone.value) == ("出勤.csv", "工号", "101")
    for problem in (plan.problems[0], alone):
        assert problem.message.startswith("工号与已有的工号“0101”只差开头的 0")
    assert snapshot(con) == before


# ----- the command line ------------------------------------------------------------------------


def test_the_command_line_needs_an_existing_database_unless_told_to_create_one(tmp_path, capsys):
    from analytics.dataio.cli import main

    source = tmp_path / "干部.csv"
    source.write_bytes(csv_bytes(CADRE_HEADERS, [cadre_row("2001", "孙四")]))
    typo = tmp_path / "cadre.duckbd"
    assert main([str(source), "--db", str(typo)]) == 1
    assert capsys.readouterr().err.startswith(f"数据库文件不存在：{typo}。请检查路径")
    assert not typo.exists()
    assert main([str(source), "--db", str(typo), "--create"]) == 0
    check = duckdb.connect(str(typo), read_only=True)
    assert check.execute("SELECT cadre_id, name FROM cadres").fetchall() == [("2001", "孙四")]
    check.close()


def test_the_command_line_prints_grouped_lines_and_writes_the_marked_workbook(tmp_path, capsys):
    from analytics.dataio.cli import main
    from analytics.store.db import connect

    db = tmp_path / "office.duckdb"
    connect(db).close()
    source = tmp_path / "出勤.csv"
    source.write_bytes(csv_bytes(ATTENDANCE_HEADERS,
                                 [[f"HD{i}", f"Q{i}", "参加", "出席", 2] for i in range(500)]))  # fmt: skip
    out = tmp_path / "问题.xlsx"
    assert main([str(source), "--db", str(db), "--problems", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("出勤.csv 第 2–501 行〔工号〕：工号不存在")
    assert err[1].startswith("出勤.csv 第 2–501 行〔活动编号〕：活动编号不存在")
    assert err[-1] == "共 1000 处问题，未写入任何数据。"
    assert len(err) == 4
    listing = openpyxl.load_workbook(out)["问题清单"]
    assert listing.max_row == 1001


def test_the_command_line_says_what_it_did_not_read(tmp_path, capsys):
    from analytics.dataio.cli import main
    from analytics.store.db import connect

    def build(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet("青年干部")
        ws.write_row(0, 0, ["序号", *CADRE_HEADERS])
        ws.write_row(1, 0, [1, *cadre_row("2001", "孙四")])
        ws.write_row(2, 0, ["合计", 1])
        hidden = book.add_worksheet("出勤")
        hidden.write_row(0, 0, ATTENDANCE_HEADERS)
        hidden.hide()

    db = tmp_path / "office.duckdb"
    connect(db).close()
    source = tmp_path / "台账.xlsx"
    source.write_bytes(workbook(build))
    assert main([str(source), "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "台账.xlsx › 青年干部：已跳过 合计/签名等 1 行；模板外的列：序号",
        "台账.xlsx › 出勤：已跳过 隐藏的工作表，未读取（如需导入，请在 Excel 中取消隐藏）",
    ]


# ----- formats ---------------------------------------------------------------------------------


def test_a_legacy_xls_is_read_with_its_formats_merges_and_hidden_sheets(con):
    import xlwt

    book = xlwt.Workbook()
    title = book.add_sheet("花名册")
    title.write_merge(0, 0, 0, 9, "青年干部花名册")
    for col, header in enumerate(["职工号", *CADRE_HEADERS[1:]]):
        title.write(1, col, header)
    padded = xlwt.easyxf(num_format_str="0000")
    dated = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, (cid, name) in enumerate([(101, "王一"), (102, "李二")], start=2):
        title.write(r, 0, cid, padded)
        for c, value in enumerate(cadre_row(cid, name)[1:], start=1):
            if c == 8:
                title.write(r, c, D(2024, 3, 1), dated)
            elif c != 5 and value:
                title.write(r, c, value)
    title.write_merge(2, 3, 5, 5, "第二学习小组")
    hidden = book.add_sheet("旧表")
    hidden.write(0, 0, "工号")
    hidden.visibility = 1
    buffer = io.BytesIO()
    book.save(buffer)
    plan = prepare_import(con, [("花名册.xls", buffer.getvalue())])
    assert plan.problems == []
    assert plan.sheets_frame()["未读取"].tolist() == [
        "",
        "隐藏的工作表，未读取（如需导入，请在 Excel 中取消隐藏）",
    ]
    commit_import(con, plan, who="测试")
    assert con.execute(
        "SELECT cadre_id, study_group, join_date FROM cadres WHERE name IN ('王一', '李二') "
        "ORDER BY 1"
    ).fetchall() == [
        ("0101", "第二学习小组", D(2024, 3, 1)),
        ("0102", "第二学习小组", D(2024, 3, 1)),
    ]
