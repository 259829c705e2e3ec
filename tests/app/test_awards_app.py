"""The 竞赛获奖 page as a user meets it: filters, the four awards of 2025, points, the editor.

Demo weights: 一等奖 5, 二等奖 4, 优异成绩 2; 市直机关 ×1, 市级 ×1.5. 2025: 理论组一等奖 (1 winner)
5 + 演艺组二等奖 (4 winners) 4 + 述讲一等奖 5 + 优异成绩 at a 市级 contest 3 = 17 points.
"""

import pytest

from tests.app.conftest import metrics, open_page, query

PAGE = "pages/awards.py"
SAVE = "FormSubmitter:awards_weights_form_2025-保存权重"


def table(at, first_header):
    """The dataframe whose first column is `first_header`."""
    frames = [d.value for d in at.dataframe if list(d.value.columns)[:1] == [first_header]]
    assert frames, f"no table starting with {first_header}"
    return frames


def test_2025_shows_the_four_awards_of_the_work_report():
    at = open_page(PAGE, year="2025")
    assert not at.exception
    assert metrics(at) == {"获奖项数": "4", "参赛比赛": "3", "获奖人数": "7", "获奖积分": "17 分"}
    awards = table(at, "日期")[0]
    assert set(awards["作品"]) == {
        "《在“三服务”一线淬火成钢》", "《政办青年的一天》",
        "《愿以青春赴山海 逐梦基层绽芳华》", "《热线连民心 服务暖万家》",
    }  # fmt: skip
    assert awards.loc[awards["组别"] == "演艺组", "获奖人"].str.count("、").tolist() == [3]
    assert len(table(at, "姓名")[0]) == 8  # the winners table: one row per person
    assert len(at.get("plotly_chart")) == 3
    groups = table(at, "学习小组")[0]
    assert groups["积分"].sum() == pytest.approx(17)


@pytest.mark.parametrize(
    ("query", "awards", "points"),
    [
        ({"year": "2024"}, "2", "8.5 分"),  # 二等奖 4 + 市级 三等奖 3 × 1.5
        ({"year": "2025", "group": "第四学习小组"}, "2", "6 分"),  # 述讲 5 + a 演艺组 share
        ({"year": "2025", "quarter": "2", "division": "综合调研处"}, "1", "2 分"),  # 演艺组 ×2
        ({"year": "2025", "quarter": "4"}, "1", "3 分"),
    ],
)
def test_numbers_follow_the_filters(query, awards, points):
    at = open_page(PAGE, **query)
    assert not at.exception
    shown = metrics(at)
    assert (shown["获奖项数"], shown["获奖积分"]) == (awards, points)


def test_a_quarter_without_awards_says_so_and_still_shows_zero_points():
    at = open_page(PAGE, year="2025", quarter="1")
    assert not at.exception
    assert any("2025年第1季度没有获奖记录" in i.value for i in at.info)
    assert metrics(at)["获奖项数"] == "0"
    assert len(at.get("plotly_chart")) == 0
    groups = table(at, "学习小组")[0]
    assert groups["积分"].tolist() == [0, 0, 0, 0]


def test_changing_the_sidebar_group_narrows_the_page():
    at = open_page(PAGE, year="2025")
    at.selectbox(key="f_group").set_value("第二学习小组").run()
    assert not at.exception
    assert metrics(at)["获奖项数"] == "1"  # only the 演艺组 team has members in 第二学习小组
    winners = table(at, "姓名")[0]
    assert set(winners["学习小组"]) == {"第二学习小组"}
    assert table(at, "日期")[0]["获奖人"].str.count("、").tolist() == [3]  # whole team listed


def test_editing_a_weight_changes_the_points_at_once(own_db):
    at = open_page(PAGE, year="2025")
    assert metrics(at)["获奖积分"] == "17 分"
    first = [n for n in at.number_input if n.label == "一等奖"]
    assert first[0].value == 5
    first[0].set_value(10.0)
    at.button(key=SAVE).click().run()
    assert not at.exception
    assert metrics(at)["获奖积分"] == "27 分"  # 10 + 4 + 10 + 3
    assert any("2025年积分权重已保存" in s.value for s in at.success)
    assert [n.value for n in at.number_input if n.label == "一等奖"] == [10]


def test_a_weight_the_year_has_not_set_is_the_default_until_saved(own_db):
    query(own_db, "DELETE FROM targets WHERE metric = 'points:level:市级' AND year = 2025")
    at = open_page(PAGE, year="2025")
    assert not any("未设置以下积分权重" in w.value for w in at.warning)
    assert any("标“默认”的权重 2025 年度尚未设置" in c.value for c in at.caption)
    assert metrics(at)["获奖积分"] == "17 分"  # the 市级 优异成绩 scores 2 × the default 1.5
    [level] = [n for n in at.number_input if n.label == "市级（默认）"]
    assert level.value == 1.5
    level.set_value(2.0)
    at.button(key=SAVE).click().run()
    assert not at.exception
    assert metrics(at)["获奖积分"] == "18 分"  # 优异成绩 2 × 市级 2
    assert not any("未设置以下积分权重" in w.value for w in at.warning)
    assert [n.value for n in at.number_input if n.label == "市级"] == [2.0]  # its own now
    assert query(
        own_db, "SELECT value FROM targets WHERE metric = 'points:level:市级' AND year = 2025"
    ) == [(2.0,)]


def test_a_year_after_no_data_says_无同期数据_not_a_change_from_zero():
    at = open_page(PAGE, year="2024")  # the demo's first year: 2023 holds no record
    assert not at.exception
    compared = [m for m in at.metric if m.delta]
    assert compared and {m.delta for m in compared} == {"无同期数据"}
