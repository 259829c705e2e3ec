"""Columns an office's sheets do not keep are optional: only the key and the facts a figure
cannot do without are required; 参加范围 and 获奖编号 are derived when left out."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from analytics.dataio.commit import commit_import
from analytics.dataio.importer import prepare_import
from tests.factories import activity, cadre, database
from tests.unit.test_data_importer import ACTIVITY_HEADERS, csv_bytes, refused

D = dt.date


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """Two cadres and one activity already in the database."""
    return database([cadre("1001"), cadre("1002"), activity("HD1", D(2025, 3, 5))])


def test_a_missing_required_column_is_named_and_the_optional_ones_are_not(con):
    # A cadre sheet with only 工号 and 姓名: 处室 and 入职日期 are needed by every figure,
    # 性别, 出生日期 … are not, so only the two are named.
    data = csv_bytes(["工号", "姓名"], [["2001", "新人"]])
    plan = refused(con, [("干部.csv", data)])
    assert [p.message for p in plan.problems if p.row == 1] == [
        "按表头识别为“青年干部”，但缺少必填列：处室、入职日期。这些列必须有，且每一行都要填写；"
        "其他列没有可以不加。"
    ]


# PRODUCT.md's headers: the template's 参加范围 and 获奖编号 are not among them.
PRODUCT_ACTIVITY = ["活动编号", "活动名称", "类别", "形式", "主题", "批次", "组织小组", "日期",
                    "学时", "主讲/导师"]  # fmt: skip
PRODUCT_AWARD = ["比赛名称", "主办单位", "级别", "日期", "组别", "奖项", "作品", "获奖人工号"]


def test_without_a_scope_column_the_scope_follows_the_group_and_the_form(con):
    data = csv_bytes(PRODUCT_ACTIVITY, [
        ["A1", "一组导师领学", "理论学习", "导师领学", None, None, "一组", "2025-04-01", 2, None],
        ["A2", "座谈交流", "理论学习", "座谈交流", "新质生产力", None, None, "2025-04-02", 2, None],
        ["A3", "列席中心组", "理论学习", "列席旁听", None, None, None, "2025-04-03", 2, None],
        ["A4", "警示教育", "党性教育", "警示教育", None, None, None, "2025-04-04", 2, None],
    ])  # fmt: skip
    plan = prepare_import(con, [("活动.csv", data)])
    assert plan.problems == []
    commit_import(con, plan, who="测试")
    assert con.execute(
        "SELECT activity_id, scope FROM activities WHERE activity_id LIKE 'A%' ORDER BY 1"
    ).fetchall() == [("A1", "小组"), ("A2", "指定"), ("A3", "指定"), ("A4", "全体")]


def test_a_filled_in_scope_is_kept_and_a_blank_one_is_derived(con):
    headers = ACTIVITY_HEADERS
    data = csv_bytes(headers, [
        ["A5", "全办座谈", "理论学习", "座谈交流", None, None, None, "全体", "2025-04-02", 2, None],
        ["A6", "小组研学", "理论学习", "研学活动", None, "第一批", "一组", "", "2025-04-03", 3, None],
    ])  # fmt: skip
    commit_import(con, prepare_import(con, [("活动.csv", data)]), who="测试")
    assert con.execute(
        "SELECT activity_id, scope FROM activities WHERE activity_id IN ('A5', 'A6') ORDER BY 1"
    ).fetchall() == [("A5", "全体"), ("A6", "小组")]


def test_an_award_without_an_id_gets_one_from_its_facts_and_reimporting_finds_it(con):
    rows = [
        [
            "宣讲比赛",
            "市直机关工委",
            "市直机关",
            "2025-06-20",
            "理论组",
            "一等奖",
            None,
            "1001、1002",
        ],
        ["宣讲比赛", "市直机关工委", "市直机关", "2025-06-20", "理论组", "二等奖", None, "1002"],
    ]
    plan = prepare_import(con, [("获奖.csv", csv_bytes(PRODUCT_AWARD, rows))])
    assert plan.problems == []
    commit_import(con, plan, who="测试")
    ids = [r[0] for r in con.execute("SELECT award_id FROM awards ORDER BY prize").fetchall()]
    assert len(set(ids)) == 2 and all(i.startswith("HJ-") for i in ids)
    # The same sheet again (winners in another order, a corrected level): the same two rows.
    rows[0][-1] = "1002，1001"
    rows[1][2] = "市级"
    again = prepare_import(con, [("获奖.csv", csv_bytes(PRODUCT_AWARD, rows))])
    assert again.counts()["awards"] == {"new": 0, "changed": 1, "unchanged": 1, "rejected": 0}
    commit_import(con, again, who="测试")
    assert sorted(r[0] for r in con.execute("SELECT award_id FROM awards").fetchall()) == sorted(
        ids
    )


def test_the_same_award_twice_in_one_upload_is_named_by_its_facts(con):
    row = ["宣讲比赛", None, "市直机关", "2025-06-20", "理论组", "一等奖", None, "1001"]
    plan = refused(con, [("获奖.csv", csv_bytes(PRODUCT_AWARD, [row, row]))])
    (problem,) = plan.problems
    assert (problem.row, problem.column) == (3, "比赛名称+日期+组别+奖项+作品+获奖人工号")
    assert problem.message.startswith(
        "与 第 2 行是同一条获奖记录（比赛名称、日期、组别、奖项、作品"
    )
