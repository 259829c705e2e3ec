"""On the generated demo database, 2025 shows exactly the four awards the work report names."""

import pytest

from analytics.common.filters import Filters
from analytics.generators.demo import AS_OF
from analytics.metrics.awards import award_list, points_weighting


def test_2025_has_the_four_awards_of_the_work_report(demo_con):
    df = award_list(demo_con, Filters(year=2025, as_of=AS_OF))
    won = set(zip(df["competition"], df["category"], df["prize"], strict=True))
    assert won == {
        ("市直机关“打头阵、当先锋、抓落实”宣讲比赛", "理论组", "一等奖"),
        ("市直机关“打头阵、当先锋、抓落实”宣讲比赛", "演艺组", "二等奖"),
        ("“青年干部成长心路展演主题述讲比赛”", "不分组别", "一等奖"),
        ("“使命必达我们的价值观”宣讲大赛", "不分组别", "优异成绩"),
    }
    works = dict(zip(df["competition"] + df["prize"], df["work"], strict=True))
    assert works["“青年干部成长心路展演主题述讲比赛”一等奖"] == "《愿以青春赴山海 逐梦基层绽芳华》"
    assert works["“使命必达我们的价值观”宣讲大赛优异成绩"] == "《热线连民心 服务暖万家》"
    assert df["weighted"].all()


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_demo_year_has_a_full_points_weighting(demo_con, year):
    weights = points_weighting(demo_con, Filters(year=year, as_of=AS_OF), year=year)
    assert weights["value"].notna().all()
    by_item = weights.set_index("item")["value"]
    assert by_item["一等奖"] > by_item["二等奖"] > by_item["三等奖"]
    assert by_item["国家级"] > by_item["省级"] > by_item["市级"] >= by_item["市直机关"]
