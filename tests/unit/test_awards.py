"""竞赛获奖 metrics and the points rule, exact on a database small enough to count by hand.

The office: A and C in 一组, B in 二组, N in no study group. Weights for 2025: 一等奖 5, 二等奖 4,
优异成绩 2; 市直机关 ×1, 市级 ×1.5, 省级 ×2 (三等奖 deliberately unset: the default 3 applies). So
  W1 2025-03-10 市直机关 一等奖, team A+B+C     → 5 points, 5/3 each
  W2 2025-05-05 市级 优异成绩 理论组, N alone   → 3 points
  W3 2025-11-01 省级 二等奖, B alone            → 8 points
  W0 2024-06-01 市直机关 三等奖, A (2024 weights: 三等奖 3, 市直机关 1) → 3 points
"""

import math

import pandas as pd
import pytest

from analytics.common.selection import narrow, picks_from_points
from analytics.metrics.awards import (
    WeightingError,
    award_kpis,
    award_list,
    award_winners,
    awards_by_category,
    awards_by_level_prize,
    competition_timeline,
    labelled,
    missing_weights,
    points_by_division,
    points_by_group,
    points_weighting,
    save_points_weighting,
    weighting_years,
)
from analytics.store.db import data_version
from tests.factories import D, award, cadre, database, filters, target

WEIGHTS_2025 = {
    "points:prize:一等奖": 5, "points:prize:二等奖": 4, "points:prize:优异成绩": 2,
    "points:prize:优秀奖": 1, "points:level:市直机关": 1, "points:level:市级": 1.5,
    "points:level:省级": 2, "points:level:国家级": 3,
}  # fmt: skip


def office(*extra):
    return database(
        [
            cadre("A", group="一组", division="秘书一处", name="甲"),
            cadre("B", group="二组", division="秘书一处", name="乙"),
            cadre("C", group="一组", division="督查处", name="丙"),
            cadre("N", group=None, division="督查处", name="丁"),
            award("W0", D(2024, 6, 1), ["A"], prize="三等奖", work="《旧作》"),
            award("W1", D(2025, 3, 10), ["A", "B", "C"], competition="宣讲比赛",
                  organizer="市直机关工委", work="《团队作品》"),
            award("W2", D(2025, 5, 5), ["N"], competition="征文大赛", level="市级",
                  category="理论组", prize="优异成绩", work="《个人作品》"),
            award("W3", D(2025, 11, 1), ["B"], competition="演讲比赛", level="省级",
                  prize="二等奖"),
            *[target(k, 2025, v) for k, v in WEIGHTS_2025.items()],
            target("points:prize:三等奖", 2024, 3),
            target("points:level:市直机关", 2024, 1),
            *extra,
        ]
    )  # fmt: skip


@pytest.fixture
def con():
    return office()


def test_award_list_points_are_prize_times_level_and_list_every_team_member(con):
    df = award_list(con, filters())
    assert df[["award_id", "category", "winners", "team_size", "points", "weighted"]].to_dict(
        "records"
    ) == [
        {"award_id": "W1", "category": "不分组别", "winners": "甲、乙、丙", "team_size": 3,
         "points": 5.0, "weighted": True},
        {"award_id": "W2", "category": "理论组", "winners": "丁", "team_size": 1,
         "points": 3.0, "weighted": True},
        {"award_id": "W3", "category": "不分组别", "winners": "乙", "team_size": 1,
         "points": 8.0, "weighted": True},
    ]  # fmt: skip
    assert df.loc[2, ["prize_points", "level_multiplier"]].tolist() == [4.0, 2.0]
    assert str(df.loc[0, "date"]) == "2025-03-10"


def test_a_team_shares_its_points_equally(con):
    df = award_winners(con, filters())
    assert df[["award_id", "cadre_id", "study_group", "team_size", "share"]].values.tolist() == [
        ["W1", "A", "一组", 3, 1.67],
        ["W1", "B", "二组", 3, 1.67],
        ["W1", "C", "一组", 3, 1.67],
        ["W2", "N", "未分组", 1, 3.0],
        ["W3", "B", "二组", 1, 8.0],
    ]


def test_points_per_group_sum_the_members_shares_and_keep_winners_without_a_group(con):
    df = points_by_group(con, filters())
    expected = pd.DataFrame(
        {
            "study_group": ["一组", "二组", "未分组"],
            "awards": [1, 2, 1],
            "winner_count": [2, 1, 1],
            "points": [3.33, 9.67, 3.0],  # 2 × 5/3 rounded after summing; 5/3 + 8; N's 3
        }
    )
    pd.testing.assert_frame_equal(df, expected, check_dtype=False)


def test_points_per_division_most_points_first(con):
    df = points_by_division(con, filters())
    assert df.values.tolist() == [["秘书一处", 2, 2, 11.33], ["督查处", 2, 2, 4.67]]


def test_group_filter_counts_awards_with_a_member_in_scope_and_only_their_shares(con):
    f = filters(group="一组")
    assert award_list(con, f)["award_id"].tolist() == ["W1"]
    assert award_list(con, f)["winners"].tolist() == ["甲、乙、丙"]  # every member still listed
    assert award_winners(con, f)["cadre_id"].tolist() == ["A", "C"]
    assert points_by_group(con, f).values.tolist() == [["一组", 1, 2, 3.33]]
    kpis = award_kpis(con, f).set_index("key")["value"]
    assert kpis.to_dict() == {"awards": 1, "competitions": 1, "winners": 2, "points": 3.33}


def test_division_filter_reaches_a_winner_without_a_group(con):
    f = filters(division="督查处")
    assert award_list(con, f)["award_id"].tolist() == ["W1", "W2"]
    assert points_by_group(con, f).values.tolist() == [
        ["一组", 1, 1, 1.67],
        ["未分组", 1, 1, 3.0],
    ]


def test_an_empty_period_gives_empty_tables_and_zero_points(con):
    f = filters(quarter=3)
    assert award_list(con, f).empty
    assert award_winners(con, f).empty
    assert awards_by_level_prize(con, f).empty
    assert awards_by_category(con, f).empty
    assert competition_timeline(con, f).empty
    assert list(competition_timeline(con, f).columns) == [
        "competition", "organizer", "level", "date", "awards", "won", "points",
    ]  # fmt: skip
    assert points_by_group(con, f).values.tolist() == [
        ["一组", 0, 0, 0.0],
        ["二组", 0, 0, 0.0],
        ["未分组", 0, 0, 0.0],
    ]
    assert award_kpis(con, f)["value"].tolist() == [0, 0, 0, 0]


def test_a_period_after_the_data_ends_is_empty_too(con):
    f = filters(year=2026, as_of=D(2025, 12, 31))
    assert f.is_empty
    assert award_list(con, f).empty
    assert award_kpis(con, f)["value"].tolist() == [0, 0, 0, 0]


def test_kpis_compare_with_the_same_period_last_year(con):
    df = award_kpis(con, filters()).set_index("key")
    assert df["value"].to_dict() == {"awards": 3, "competitions": 3, "winners": 4, "points": 16}
    assert df["previous"].to_dict() == {"awards": 1, "competitions": 1, "winners": 1, "points": 3}
    assert df.loc["points", "unit"] == "points"


def test_level_by_prize_and_category_counts(con):
    assert awards_by_level_prize(con, filters()).values.tolist() == [
        ["市直机关", "一等奖", 1, 5.0],
        ["省级", "二等奖", 1, 8.0],
        ["市级", "优异成绩", 1, 3.0],
    ]
    assert awards_by_category(con, filters()).values.tolist() == [
        ["不分组别", 2, 13.0],
        ["理论组", 1, 3.0],
    ]


def test_timeline_says_what_each_competition_won():
    con = office(
        award("W4", D(2025, 3, 10), ["C"], competition="宣讲比赛", organizer="市直机关工委",
              category="演艺组", prize="二等奖"),
    )  # fmt: skip
    df = competition_timeline(con, filters())
    assert df[["competition", "awards", "won", "points"]].values.tolist() == [
        ["宣讲比赛", 2, "一等奖、演艺组二等奖", 9.0],
        ["征文大赛", 1, "理论组优异成绩", 3.0],
        ["演讲比赛", 1, "二等奖", 8.0],
    ]


def test_a_prize_the_year_has_not_weighted_scores_by_the_default():
    # 2025 sets no 三等奖 of its own: the default (3, from schema.sql's target_defaults) applies.
    con = office(award("W5", D(2025, 4, 1), ["A"], prize="三等奖", level="市级"))
    df = award_list(con, filters()).set_index("award_id")
    assert df.loc["W5", ["prize_points", "level_multiplier", "points"]].tolist() == [3, 1.5, 4.5]
    assert df.loc["W5", "weighted"]
    assert missing_weights(con, filters()).empty


def test_a_new_database_weights_every_award_by_the_defaults():
    con = database([cadre("A"), award("W9", D(2026, 2, 1), ["A"], prize="二等奖", level="省级")])
    f = filters(year=2026, as_of=D(2026, 2, 1))
    assert award_list(con, f)["points"].tolist() == [8.0]  # 4 × 2
    weights = points_weighting(con, f).set_index("key")
    assert weights["is_default"].all()
    assert weights.loc["points:prize:一等奖", "value"] == 5


def test_an_unweighted_prize_scores_zero_and_is_reported():
    con = office(award("W5", D(2025, 4, 1), ["A"], prize="三等奖"))
    con.execute("DELETE FROM target_defaults WHERE metric = 'points:prize:三等奖'")  # no default
    df = award_list(con, filters()).set_index("award_id")
    assert df.loc["W5", "points"] == 0
    assert not df.loc["W5", "weighted"]
    assert missing_weights(con, filters()).values.tolist() == [[2025, "三等奖"]]
    assert missing_weights(con, filters(year=2024)).empty


def test_weighting_lists_every_prize_and_level_marking_defaults_and_gaps(con):
    df = points_weighting(con, filters()).set_index("key")
    assert len(df) == 9
    assert df.loc["points:prize:一等奖", ["value", "is_default"]].tolist() == [5, False]
    assert df.loc["points:prize:三等奖", ["value", "is_default"]].tolist() == [3, True]
    con.execute("DELETE FROM target_defaults WHERE metric = 'points:prize:三等奖'")
    assert math.isnan(points_weighting(con, filters()).set_index("key").loc[
        "points:prize:三等奖", "value"])  # fmt: skip
    assert df.loc["points:level:市级", ["kind", "item"]].tolist() == ["level", "市级"]
    assert weighting_years(con, filters())["year"].tolist() == [2024, 2025]
    assert weighting_years(con, filters(year=2026, as_of=D(2026, 1, 5)))["year"].tolist() == [
        2024, 2025, 2026,
    ]  # fmt: skip


def test_editing_a_weight_changes_the_points_and_the_data_version(con):
    before = data_version(con)
    version = save_points_weighting(con, 2025, {"points:prize:一等奖": 8, "points:prize:三等奖": 3})
    assert version == data_version(con) == before + 1
    assert award_list(con, filters())["points"].tolist() == [8.0, 3.0, 8.0]
    assert award_winners(con, filters())["share"].tolist()[:3] == [2.67, 2.67, 2.67]
    assert (
        points_weighting(con, filters()).set_index("key").loc["points:prize:三等奖", "value"] == 3
    )
    assert award_list(con, filters(year=2024))["points"].tolist() == [3.0]  # 2024 untouched


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"points:prize:一等奖": -1}, "“一等奖”不能为负数"),
        ({"points:level:市级": None}, "“市级”须填写数字"),
        ({"points:level:市级": "两分"}, "“市级”须填写数字"),
        ({"points:level:市级": float("nan")}, "“市级”须填写数字"),
        ({"points:prize:特等奖": 9}, "未知权重项：points:prize:特等奖"),
    ],
)
def test_a_bad_weight_is_refused_in_chinese_and_nothing_is_written(con, values, message):
    before = data_version(con)
    with pytest.raises(WeightingError, match=message):
        save_points_weighting(con, 2025, {"points:prize:二等奖": 6, **values})
    assert data_version(con) == before
    assert (
        points_weighting(con, filters()).set_index("key").loc["points:prize:二等奖", "value"] == 4
    )


def test_saving_nothing_is_refused(con):
    with pytest.raises(WeightingError, match="没有需要保存的权重"):
        save_points_weighting(con, 2025, {})


def test_chart_selection_reads_customdata_and_narrow_keeps_matching_rows(con):
    df = award_list(con, filters())
    points = [
        {"curve_number": 0, "customdata": ["市直机关", "一等奖"], "x": "市直机关", "y": 1},
        {"curve_number": 1, "customdata": ["省级", "二等奖"]},
        {"curve_number": 1, "customdata": ["省级", "二等奖"]},  # the same bar twice
        {"curve_number": 2},  # no customdata: ignored
    ]
    by_bar = picks_from_points(points, ["level", "prize"])
    assert by_bar == [
        {"level": "市直机关", "prize": "一等奖"},
        {"level": "省级", "prize": "二等奖"},
    ]
    assert narrow(df, [by_bar])["award_id"].tolist() == ["W1", "W3"]
    by_category = picks_from_points([{"customdata": ["不分组别"]}], ["category"])
    assert narrow(df, [by_bar, by_category, []])["award_id"].tolist() == ["W1", "W3"]
    by_competition = picks_from_points([{"customdata": "演讲比赛"}], ["competition"])
    assert narrow(df, [by_bar, by_competition])["award_id"].tolist() == ["W3"]
    assert narrow(df, [[], []]).equals(df)


def test_labelled_tables_have_chinese_headers_and_no_steering_columns(con):
    shown = labelled(award_list(con, filters()))
    assert "weighted" not in shown.columns
    assert list(shown.columns[:3]) == ["日期", "比赛名称", "级别"]
    assert "作品" in shown.columns and "积分" in shown.columns
    assert list(labelled(points_by_group(con, filters())).columns) == [
        "学习小组", "获奖项数", "获奖人数", "积分",
    ]  # fmt: skip
