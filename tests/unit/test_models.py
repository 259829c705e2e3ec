import datetime as dt

import pytest
from pydantic import ValidationError

from analytics.store.models import Activity, Award, Cadre, Report, Target, parse_date


@pytest.mark.parametrize(
    "raw",
    [
        "2025-03-05",
        "2025/3/5",
        "2025年3月5日",
        "2025.3.5",
        45721,
        "45721",
        "２０２５-０３-０５",
        " 2025/03/05 ",
    ],
)
def test_dates_in_every_spelling_the_office_uses(raw):
    assert parse_date(raw) == dt.date(2025, 3, 5)


@pytest.mark.parametrize("raw", ["2025-02-30", "明天", "3/5/2025"])
def test_bad_dates_are_refused_in_chinese(raw):
    with pytest.raises(ValueError, match="日期"):
        parse_date(raw)


def test_models_take_the_chinese_template_headers():
    row = {
        "工号": 1001.0,
        "姓名": " 张三 ",
        "性别": "男",
        "处室": "秘书一处",
        "入职日期": "2020/1/1",
    }
    c = Cadre.model_validate(row)
    assert (c.cadre_id, c.name, c.join_date) == ("1001", "张三", dt.date(2020, 1, 1))


def test_id_lists_split_on_chinese_and_ascii_separators():
    r = Report.model_validate(
        {"成果编号": "R1", "题目": "t", "类型": "调研报告", "来源": "产业观察", "提交日期": "2025-1-2",
         "执笔人工号": "A1", "参与人工号": "A2、A3，A4;A5 A2"}
    )  # fmt: skip
    authors = r.db_rows()["report_authors"]
    assert [(a["cadre_id"], a["role"]) for a in authors] == [
        ("A1", "执笔"), ("A2", "参与"), ("A3", "参与"), ("A4", "参与"), ("A5", "参与"),
    ]  # fmt: skip


def test_unknown_enumeration_and_extra_columns_are_refused():
    with pytest.raises(ValidationError, match="类别|category"):
        Activity(activity_id="H", title="t", category="文体", form="导师领学", scope="全体",
                 date=dt.date(2025, 1, 1), hours=1)  # fmt: skip
    with pytest.raises(ValidationError, match="Extra inputs"):
        Cadre(cadre_id="A", name="n", gender="男", division="d", join_date=dt.date(2020, 1, 1),
              shoe_size=42)  # fmt: skip


def test_group_activity_needs_its_group_and_award_needs_a_winner():
    with pytest.raises(ValidationError, match="组织小组"):
        Activity(activity_id="H", title="t", category="理论学习", form="导师领学", scope="小组",
                 date=dt.date(2025, 1, 1), hours=1)  # fmt: skip
    with pytest.raises(ValidationError, match="获奖人工号|winners"):
        Award(award_id="W", competition="c", level="市级", date=dt.date(2025, 1, 1), prize="一等奖",
              winners="")  # fmt: skip


def test_share_targets_are_fractions_and_metrics_are_known():
    assert Target(metric="rotation_share", year=2025, value=0.3).value == 0.3
    with pytest.raises(ValidationError, match="0 到 100%"):
        Target(metric="rotation_share", year=2025, value=30)
    with pytest.raises(ValidationError, match="未知指标"):
        Target(metric="happiness", year=2025, value=1)


def test_leaving_before_joining_is_refused():
    with pytest.raises(ValidationError, match="调离日期早于入职日期"):
        Cadre(cadre_id="A", name="n", gender="男", division="d", join_date=dt.date(2024, 1, 1),
              leave_date=dt.date(2023, 1, 1))  # fmt: skip
