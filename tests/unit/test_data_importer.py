"""The importer: what it accepts, what it refuses (in Chinese), and that a refusal writes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from analytics.dataio.cli import main
from analytics.dataio.commit import StalePlanError, commit_import, import_history
from analytics.dataio.importer import prepare_import
from analytics.dataio.plan import MODELS_BY_TABLE, ImportPlan
from analytics.store.db import TABLE_ORDER, bump_data_version, connect, data_version
from tests.factories import activity, cadre, database

D = dt.date
CADRE_HEADERS = ["工号", "姓名", "性别", "出生日期", "处室", "学习小组", "职级", "政治面貌",
                 "入职日期", "调离日期"]  # fmt: skip
ACTIVITY_HEADERS = ["活动编号", "活动名称", "类别", "形式", "主题", "批次", "组织小组",
                    "参加范围", "日期", "学时", "主讲/导师"]  # fmt: skip
ATTENDANCE_HEADERS = ["活动编号", "工号", "角色", "出勤", "计入学时"]
REPORT_HEADERS = ["成果编号", "题目", "类型", "来源", "主题", "提交日期", "执笔人工号",
                  "参与人工号", "评价", "成效", "刊发载体"]  # fmt: skip
TRAINING_HEADERS = ["工号", "课程", "类别", "学时", "完成日期", "方式"]


def csv_bytes(headers: list[str], rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[list[Any]]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (headers, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Every row of every table, the data version and the audit trail: 'unchanged' means this."""
    state: dict[str, Any] = {
        table: sorted(map(repr, con.execute(f"SELECT * FROM {table}").fetchall()))
        for table in (*TABLE_ORDER, "import_log")
    }
    state["version"] = data_version(con)
    return state


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """Two cadres and one activity already in the database."""
    return database([cadre("1001"), cadre("1002"), activity("HD1", D(2025, 3, 5))])


def refused(con: duckdb.DuckDBPyConnection, uploads: list[tuple[str, bytes]]) -> ImportPlan:
    """Prepare, check that committing is refused, and that nothing changed."""
    before = snapshot(con)
    plan = prepare_import(con, uploads)
    assert plan.problems
    assert not plan.ok
    with pytest.raises(ValueError, match="有错误的导入不能写入"):
        commit_import(con, plan, who="测试")
    assert snapshot(con) == before
    return plan


# ----- what is accepted ----------------------------------------------------------------------


def test_a_workbook_of_several_sheets_is_read_in_every_spelling_and_committed(con):
    data = xlsx_bytes(
        {
            # Sheet names are free: the headers say which table a sheet is.
            "Sheet1": (CADRE_HEADERS, [
                ["１００３", " 王五　", "女", "1995年6月1日", "秘书一处", "一组", None, "", 44562, None],
                [1004.0, "赵六", "男", dt.datetime(1996, 2, 3), "秘书二处", "二组", "四级主任科员",
                 "中共党员", "2021.9.1", "2025/10/31"],
            ]),
            "活动": (ACTIVITY_HEADERS, [
                ["HD2", "座谈交流：新质生产力（一）", "理论学习", "座谈交流", "新质生产力", None, None,
                 "指定", "2025-04-08", "２", "李处长"],
            ]),
            "出勤": (ATTENDANCE_HEADERS, [
                ["HD2", "1003", "主讲", "出席", 2],
                ["HD2", "1001", "参加", " 请假 ", 0],
                ["HD1", 1004, "列席", "出席", "1.5"],
            ]),
            "调研成果": (REPORT_HEADERS, [
                ["R1", "关于“AI+政务服务”的调研", "调研报告", "产业观察", None, "2025/5/6", "1003",
                 "1001、1002，1004;1003", "优秀", "领导批示", None],
            ]),
        }
    )  # fmt: skip
    plan = prepare_import(con, [("台账.xlsx", data)])
    assert plan.problems == []
    assert plan.counts() == {
        "cadres": {"new": 2, "changed": 0, "unchanged": 0, "rejected": 0},
        "activities": {"new": 1, "changed": 0, "unchanged": 0, "rejected": 0},
        "attendance": {"new": 3, "changed": 0, "unchanged": 0, "rejected": 0},
        "reports": {"new": 1, "changed": 0, "unchanged": 0, "rejected": 0},
    }
    version = data_version(con)
    import_id = commit_import(con, plan, who="会话 abc")
    assert data_version(con) == version + 1

    assert con.execute(
        "SELECT * FROM cadres WHERE cadre_id IN ('1003', '1004') ORDER BY 1"
    ).fetchall() == [
        ("1003", "王五", "女", D(1995, 6, 1), "秘书一处", "一组", None, None, D(2022, 1, 1), None),
        ("1004", "赵六", "男", D(1996, 2, 3), "秘书二处", "二组", "四级主任科员", "中共党员",
         D(2021, 9, 1), D(2025, 10, 31)),
    ]  # fmt: skip
    # Free text keeps its Chinese punctuation; the full-width 学时 "２" is the number 2.
    assert con.execute(
        "SELECT title, hours FROM activities WHERE activity_id = 'HD2'"
    ).fetchall() == [("座谈交流：新质生产力（一）", 2.0)]
    assert con.execute("SELECT * FROM attendance ORDER BY 1, 2").fetchall() == [
        ("HD1", "1004", "列席", "出席", 1.5),
        ("HD2", "1001", "参加", "请假", 0.0),
        ("HD2", "1003", "主讲", "出席", 2.0),
    ]
    assert con.execute("SELECT cadre_id, role FROM report_authors ORDER BY 1").fetchall() == [
        ("1001", "参与"), ("1002", "参与"), ("1003", "执笔"), ("1004", "参与"),
    ]  # fmt: skip

    log = con.execute("SELECT * FROM import_log").fetchall()
    assert len(log) == 1
    log_id, at, who, name, digest, counts = log[0]
    assert (log_id, who, name) == (import_id, "会话 abc", "台账.xlsx")
    assert digest == hashlib.sha256(data).hexdigest()
    assert isinstance(at, dt.datetime)
    assert json.loads(counts)["attendance"] == {"new": 3, "changed": 0, "unchanged": 0}
    history = import_history(con)
    assert history.iloc[0]["操作人"] == "会话 abc"
    assert history.iloc[0]["新增"] == 7


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_chinese_excel_writes(con, encoding):
    data = csv_bytes(TRAINING_HEADERS, [["1001", "公文写作（基础）", "公文写作", "8", "2025/3/5", "线上"]],
                     encoding)  # fmt: skip
    plan = prepare_import(con, [("培训.csv", data)])
    assert plan.problems == []
    commit_import(con, plan, who="测试")
    assert con.execute("SELECT * FROM training").fetchall() == [
        ("1001", "公文写作（基础）", "公文写作", 8.0, D(2025, 3, 5), "线上")
    ]


def test_tab_separated_text_and_shuffled_columns_are_read(con):
    headers = ["出勤", "工号", "计入学时", "活动编号", "角色"]
    data = csv_bytes(headers, [["出席", "1002", "2", "HD1", "参加"]]).replace(b",", b"\t")
    plan = prepare_import(con, [("export.txt", data)])
    assert plan.problems == []
    commit_import(con, plan, who="测试")
    assert con.execute("SELECT * FROM attendance").fetchall() == [
        ("HD1", "1002", "参加", "出席", 2.0)
    ]


def test_reuploading_the_same_file_changes_nothing_and_says_so(con):
    data = csv_bytes(ATTENDANCE_HEADERS, [["HD1", "1001", "参加", "出席", 2]])
    commit_import(con, prepare_import(con, [("出勤.csv", data)]), who="测试")
    before = snapshot(con)
    again = prepare_import(con, [("出勤.csv", data)])
    assert again.ok and not again.has_changes
    assert again.counts()["attendance"] == {"new": 0, "changed": 0, "unchanged": 1, "rejected": 0}
    assert commit_import(con, again, who="测试") is None
    assert snapshot(con) == before  # no rows, no version bump, no audit row


def test_the_diff_compares_whole_keys_among_rows_sharing_the_first_key_column():
    con = database([cadre("1001"), cadre("1002"), cadre("1003"), activity("HD1", D(2025, 3, 5)),
                    activity("HD2", D(2025, 4, 2))])  # fmt: skip
    stored = [["HD1", "1001", "参加", "出席", 2], ["HD1", "1002", "参加", "请假", 0],
              ["HD2", "1003", "参加", "出席", 2]]  # fmt: skip
    commit_import(con, prepare_import(con, [("出勤.csv", csv_bytes(ATTENDANCE_HEADERS, stored))]),
                  who="测试")  # fmt: skip
    upload = [["HD1", "1001", "参加", "出席", 2], ["HD1", "1002", "参加", "出席", 2],
              ["HD1", "1003", "参加", "出席", 2]]  # fmt: skip
    plan = prepare_import(con, [("出勤.csv", csv_bytes(ATTENDANCE_HEADERS, upload))])
    assert plan.counts()["attendance"] == {"new": 1, "changed": 1, "unchanged": 1, "rejected": 0}


def test_every_tables_first_key_column_is_text():
    """The import diff reads only the stored rows whose first key column is among the
    upload's values, passed as text."""
    con = connect(":memory:")
    for model in MODELS_BY_TABLE.values():
        (kind,) = con.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = ? AND column_name = ?", [model.table, model.key[0]],
        ).fetchone()  # fmt: skip
        assert kind == "VARCHAR", model.table


def test_a_changed_row_is_updated_and_its_authors_replaced(con):
    first = csv_bytes(REPORT_HEADERS, [["R1", "初稿", "调研报告", "产业观察", "", "2025-05-06", "1001",
                                        "1002", "", "", ""]])  # fmt: skip
    commit_import(con, prepare_import(con, [("成果.csv", first)]), who="测试")
    second = csv_bytes(REPORT_HEADERS, [["R1", "定稿", "调研报告", "产业观察", "", "2025-05-06", "1002",
                                         "1001", "良好", "", ""]])  # fmt: skip
    plan = prepare_import(con, [("成果.csv", second)])
    assert plan.counts()["reports"] == {"new": 0, "changed": 1, "unchanged": 0, "rejected": 0}
    commit_import(con, plan, who="测试")
    assert con.execute("SELECT title, lead_author, grade FROM reports").fetchall() == [
        ("定稿", "1002", "良好")
    ]
    assert con.execute("SELECT cadre_id, role FROM report_authors ORDER BY 1").fetchall() == [
        ("1001", "参与"), ("1002", "执笔"),
    ]  # fmt: skip


def test_a_blank_author_list_keeps_the_stored_one_and_the_clear_marker_empties_it(con):
    row = ["R1", "题目", "调研报告", "产业观察", "", "2025-05-06", "1001", "1002", "", "", ""]
    commit_import(con, prepare_import(con, [("a.csv", csv_bytes(REPORT_HEADERS, [row]))]), who="t")
    row[7] = ""
    plan = prepare_import(con, [("a.csv", csv_bytes(REPORT_HEADERS, [row]))])
    assert plan.counts()["reports"]["unchanged"] == 1
    row[7] = "（清空）"
    plan = prepare_import(con, [("a.csv", csv_bytes(REPORT_HEADERS, [row]))])
    assert plan.counts()["reports"]["changed"] == 1
    assert plan.changes_frame().values.tolist() == [
        ["调研成果", "R1", "参与人工号", "1002", "（空）"]
    ]
    commit_import(con, plan, who="t")
    assert con.execute("SELECT cadre_id FROM report_authors").fetchall() == [("1001",)]


def test_cadres_introduced_in_the_same_upload_satisfy_references(con):
    cadres = csv_bytes(CADRE_HEADERS, [["2001", "新人", "女", "", "秘书一处", "一组", "", "", "2025-09-01", ""]])  # fmt: skip
    attendance = csv_bytes(ATTENDANCE_HEADERS, [["HD1", "2001", "参加", "出席", 2]])
    plan = prepare_import(con, [("出勤.csv", attendance), ("干部.csv", cadres)])
    assert plan.problems == []
    commit_import(con, plan, who="测试")
    assert con.execute("SELECT count(*) FROM attendance WHERE cadre_id = '2001'").fetchone() == (1,)


def test_the_database_changing_after_the_preview_stops_the_commit(con):
    plan = prepare_import(
        con, [("出勤.csv", csv_bytes(ATTENDANCE_HEADERS, [["HD1", "1001", "参加", "出席", 2]]))]
    )
    bump_data_version(con)  # another session imported in between
    before = snapshot(con)
    with pytest.raises(StalePlanError, match="请重新预览"):
        commit_import(con, plan, who="测试")
    assert snapshot(con) == before


def test_a_failure_inside_the_transaction_writes_nothing(con, monkeypatch):
    data = csv_bytes(CADRE_HEADERS, [["2001", "新人", "女", "", "秘书一处", "一组", "", "", "2025-09-01", ""]])  # fmt: skip
    plan = prepare_import(con, [("干部.csv", data)])
    before = snapshot(con)
    import analytics.dataio.commit as commit

    def broken(*args: Any, **kwargs: Any) -> int:
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(commit, "bump_data_version", broken)
    with pytest.raises(duckdb.IOException):
        commit_import(con, plan, who="测试")
    assert snapshot(con) == before


# ----- what is refused, each with a Chinese message and the database unchanged ------------------


def only_message(plan: ImportPlan) -> str:
    assert len(plan.problems) == 1, [p.text() for p in plan.problems]
    return plan.problems[0].message


@pytest.mark.parametrize("name", ["空.csv", "空.xlsx"])
def test_an_empty_file(con, name):
    assert "文件是空的" in only_message(refused(con, [(name, b"")]))


@pytest.mark.parametrize(
    ("name", "expected"), [("伪装.xlsx", "不是有效的 Excel"), ("伪装.csv", "不是文本格式的 CSV")]
)
def test_random_bytes_renamed_as_a_spreadsheet(con, name, expected):
    noise = bytes(range(256)) * 8 + os.urandom(512)
    assert expected in only_message(refused(con, [(name, noise)]))


def test_a_file_over_the_size_limit_is_refused_before_parsing(con, monkeypatch):
    monkeypatch.setenv("CADRE_MAX_UPLOAD_MB", "0.01")  # 10 KB
    # Garbage that would fail parsing: the size message proves the check came first.
    message = only_message(refused(con, [("大文件.xlsx", b"x" * 20_000)]))
    assert message == (
        "文件大小 19.5 KB，超过上限 10.2 KB，未读取。请把表格按年度或按工作表拆成几个文件"
        "（每个不超过 10.2 KB），分别上传。"
    )


def test_size_limit_message_names_both_sizes(con, monkeypatch):
    monkeypatch.setenv("CADRE_MAX_UPLOAD_MB", "1")
    message = only_message(refused(con, [("大文件.csv", b"a" * (3 * 1024 * 1024))]))
    assert message == (
        "文件大小 3 MB，超过上限 1 MB，未读取。请把表格按年度或按工作表拆成几个文件"
        "（每个不超过 1 MB），分别上传。"
    )


def test_a_legacy_xls_file(con):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "另存为” .xlsx" in only_message(refused(con, [("旧表.xls", data)]))


def test_unknown_headers(con):
    data = csv_bytes(["序号", "名称", "金额"], [["1", "办公用品", "300"]])
    message = only_message(refused(con, [("报销.csv", data)]))
    assert message.startswith("无法识别表头“序号、名称、金额”")


def test_a_missing_column_is_named_and_an_unknown_one_only_listed(con):
    data = csv_bytes(
        ["活动编号", "工号", "角色", "出勤", "备注"], [["HD1", "1001", "参加", "出席", "迟到"]]
    )
    plan = refused(con, [("出勤.csv", data)])
    assert [(p.row, p.message[:22]) for p in plan.problems] == [
        (1, "按表头识别为“出勤”，但缺少必填列：计入学时")
    ]
    assert plan.sheets_frame()["未读取"].tolist() == ["模板外的列：备注"]


def test_content_in_a_column_without_a_header_is_not_dropped_silently(con):
    data = csv_bytes(ATTENDANCE_HEADERS + [""], [["HD1", "1001", "参加", "出席", 2, "迟到10分钟"],
                                                 ["HD1", "1002", "参加", "出席", 2, ""],
                                                 ["HD1", "Q3", "参加", "出席", 2, "早退", "?"]])  # fmt: skip
    plan = refused(con, [("出勤.csv", data)])
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (
            2,
            "第 6 列（无表头）",
            "这一列没有表头，无法判断内容属于哪一列（共 2 行有内容）。请补上模板中的表头或删除这些内容。",
        ),
        (
            4,
            "第 7 列（无表头）",
            "这一列没有表头，无法判断内容属于哪一列（共 1 行有内容）。请补上模板中的表头或删除这些内容。",
        ),
        (4, "工号", "工号不存在：数据库和本次上传的“青年干部”表中都没有这个工号。"),
    ]


def test_a_wrong_encoding(con):
    data = "Activité,Employé\nréunion,Zoë\n".encode("cp1252")
    assert "无法识别文件编码" in only_message(refused(con, [("latin.csv", data)]))


def test_a_chinese_encoding_read_wrongly_hints_at_the_encoding(con):
    data = "活動編號,工號,角色,出勤,計入學時\nHD1,1001,參加,出席,2\n".encode("big5")
    message = only_message(refused(con, [("big5.csv", data)]))
    assert "无法识别表头" in message and "编码不对" in message


def training_rows(n: int) -> list[list[Any]]:
    start = D(2025, 1, 1)
    return [
        [
            "1001",
            f"课程{i}",
            "公文写作",
            2,
            (start + dt.timedelta(days=i % 300)).isoformat(),
            "线上",
        ]
        for i in range(n)
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_bad_date_number_and_enumeration_in_the_last_of_ten_thousand_rows(con, kind):
    rows = training_rows(10_000)
    rows[-1][3:6] = ["两小时", "2025-02-30", "函授"]  # 学时, 完成日期, 方式
    data = (
        csv_bytes(TRAINING_HEADERS, rows)
        if kind == "csv"
        else xlsx_bytes({"专业培训": (TRAINING_HEADERS, rows)})
    )
    plan = refused(con, [(f"培训.{kind}", data)])
    sheet = "培训" if kind == "csv" else "专业培训"
    assert sorted((p.sheet, p.row, p.column, p.value, p.message) for p in plan.problems) == [
        (sheet, 10_001, "学时", "两小时", "应为数字。"),
        (sheet, 10_001, "完成日期", "2025-02-30", "日期不存在：2025-02-30"),
        (sheet, 10_001, "方式", "函授", "不是可选值，应为：线上、线下。"),
    ]
    assert plan.counts()["training"] == {"new": 9_999, "changed": 0, "unchanged": 0, "rejected": 1}


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        (
            "完成日期",
            "下周一",
            "无法识别的日期：下周一（可用格式如 2025-03-05、2025/3/5、2025年3月5日）",
        ),
        ("完成日期", "", "必填项为空。"),
        ("学时", "-1", "应大于 0。"),
        ("学时", "=1+1", "应为数字。"),
        ("方式", " 线上 ", None),
    ],
)
def test_each_bad_value_has_its_own_words(con, column, bad, message):
    rows = training_rows(3)
    rows[1][TRAINING_HEADERS.index(column)] = bad
    plan = prepare_import(con, [("培训.csv", csv_bytes(TRAINING_HEADERS, rows))])
    if message is None:
        assert plan.problems == []
        return
    [problem] = plan.problems
    assert (problem.row, problem.column, problem.value or "", problem.message) == (
        3, column, bad, message,
    )  # fmt: skip


def test_an_unknown_cadre_or_activity(con):
    data = csv_bytes(
        ATTENDANCE_HEADERS,
        [["HD1", "1001", "参加", "出席", 2], ["HD1", "9999", "参加", "出席", 2],
         ["HD9", "1002", "参加", "出席", "两"]],
    )  # fmt: skip
    plan = refused(con, [("出勤.csv", data)])
    assert [(p.row, p.column, p.value, p.message) for p in plan.problems] == [
        (3, "工号", "9999", "工号不存在：数据库和本次上传的“青年干部”表中都没有这个工号。"),
        (4, "计入学时", "两", "应为数字。"),
        (4, "活动编号", "HD9", "活动编号不存在：数据库和本次上传的“活动”表中都没有这个活动。"),
    ]


def test_an_unknown_cadre_in_a_list_of_winners(con):
    headers = [
        "获奖编号",
        "比赛名称",
        "主办单位",
        "级别",
        "日期",
        "组别",
        "奖项",
        "作品",
        "获奖人工号",
    ]
    data = csv_bytes(headers, [["W1", "宣讲比赛", "", "市级", "2025-06-01", "理论组", "一等奖", "", "1001、1009"]])  # fmt: skip
    [problem] = refused(con, [("获奖.csv", data)]).problems
    assert (problem.column, problem.value) == ("获奖人工号", "1009")


def test_duplicate_keys_within_a_sheet_and_across_files(con):
    rows = [["HD1", "1001", "参加", "出席", 2], ["HD1", "1002", "参加", "出席", 2],
            ["HD1", "1001", "参加", "缺席", 0]]  # fmt: skip
    plan = refused(con, [("出勤.csv", csv_bytes(ATTENDANCE_HEADERS, rows)),
                         ("补录.csv", csv_bytes(ATTENDANCE_HEADERS, [rows[1]]))])  # fmt: skip
    assert [(p.file, p.row, p.column, p.value, p.message) for p in plan.problems] == [
        ("出勤.csv", 4, "活动编号+工号", "HD1 / 1001",
         "与 第 2 行的关键列相同：同一记录在本次上传中出现了多次。"),
        ("补录.csv", 2, "活动编号+工号", "HD1 / 1002",
         "与出勤.csv › 出勤 第 3 行的关键列相同：同一记录在本次上传中出现了多次。"),
    ]  # fmt: skip


def test_html_cells_are_kept_as_plain_text_and_a_formula_without_its_value_is_refused(con):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "活动"
    sheet.append(ACTIVITY_HEADERS)
    sheet.append(["HD2", "新质生产力", "理论学习", "专题学习", "<script>alert(1)</script>", None,
                  None, "全体", "2025-06-01", 2, "<b>主讲</b>"])  # fmt: skip
    sheet.append(["HD3", "正常", "理论学习", "专题学习", None, None, None, "全体", "2025-06-02",
                  "=1+1", None])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl saves a formula without a computed value, as no Excel does
    plan = prepare_import(con, [("公式.xlsx", buffer.getvalue())])
    assert [(p.row, p.column, p.value, p.message[:19]) for p in plan.problems] == [
        (3, "学时", "=1+1", "这是公式，但文件中没有保存它的计算结果")
    ]
    assert plan.counts()["activities"] == {"new": 1, "changed": 0, "unchanged": 0, "rejected": 1}

    sheet.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    plan = prepare_import(con, [("公式.xlsx", buffer.getvalue())])
    commit_import(con, plan, who="测试")
    assert con.execute(
        "SELECT title, theme, lead FROM activities WHERE activity_id = 'HD2'"
    ).fetchall() == [("新质生产力", "<script>alert(1)</script>", "<b>主讲</b>")]


def test_a_sheet_with_headers_only_and_the_spare_empty_sheets_are_no_data(con):
    data = xlsx_bytes({"出勤": (ATTENDANCE_HEADERS, []), "Sheet2": ([], [])})
    assert "没有找到数据行" in only_message(refused(con, [("空表.xlsx", data)]))


def test_row_numbers_are_the_sheets_own_despite_blank_rows(con):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ATTENDANCE_HEADERS)
    sheet.append(["HD1", "1001", "参加", "出席", 2])
    sheet.cell(row=7, column=1, value="HD1")
    for col, value in enumerate(["1002", "旁听", "出席", 2], start=2):
        sheet.cell(row=7, column=col, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    [problem] = refused(con, [("出勤.xlsx", buffer.getvalue())]).problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        "Sheet",
        7,
        "角色",
        "旁听",
    )


# ----- command line --------------------------------------------------------------------------


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "office.duckdb"
    con = connect(path)
    from analytics.store.db import insert_rows, rows_by_table

    insert_rows(con, rows_by_table([cadre("1001"), activity("HD1", D(2025, 3, 5))]))
    con.close()
    return path


def file_snapshot(path: Path) -> dict[str, Any]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return snapshot(con)
    finally:
        con.close()


def test_cli_commits_and_prints_the_counts(db_file, tmp_path, capsys):
    source = tmp_path / "出勤.csv"
    source.write_bytes(csv_bytes(ATTENDANCE_HEADERS, [["HD1", "1001", "参加", "出席", 2]]))
    assert main([str(source), "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "出勤：新增 1，修改 0，未变 0，拒绝 0" in out
    assert "已写入（导入序号 1）" in out
    state = file_snapshot(db_file)
    assert state["attendance"] == [repr(("HD1", "1001", "参加", "出席", 2.0))]
    assert len(state["import_log"]) == 1 and "命令行" in state["import_log"][0]

    assert main([str(source), "--db", str(db_file)]) == 0  # again: nothing to change
    assert "无需写入" in capsys.readouterr().out
    assert file_snapshot(db_file) == state


def test_cli_prints_every_error_and_writes_nothing(db_file, tmp_path, capsys):
    bad = tmp_path / "出勤.csv"
    bad.write_bytes(csv_bytes(ATTENDANCE_HEADERS, [["HD1", "1001", "参加", "出席", "x"],
                                                  ["HD1", "7777", "参加", "在", 2]]))  # fmt: skip
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    before = file_snapshot(db_file)
    assert main([str(bad), str(empty), "--db", str(db_file)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "出勤.csv 第 2 行〔计入学时〕：应为数字。（值：“x”）",
        "出勤.csv 第 3 行〔出勤〕：不是可选值，应为：出席、请假、缺席。（值：“在”）",
        "出勤.csv 第 3 行〔工号〕：工号不存在：数据库和本次上传的“青年干部”表中都没有这个工号。（值：“7777”）",
        "空.xlsx：文件是空的，没有任何内容。",
        "共 4 处问题，未写入任何数据。",
    ]
    assert file_snapshot(db_file) == before


def test_cli_missing_file_and_usage(db_file, tmp_path, capsys):
    assert main([str(tmp_path / "没有.csv"), "--db", str(db_file)]) == 1
    assert "无法读取文件" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
