"""Every overview figure, exact, on a database small enough to count by hand."""

import pandas as pd
import pytest

from analytics.metrics.overview import attention_items, monthly_trend, overview_kpis
from tests.factories import (
    D,
    activity,
    award,
    cadre,
    course,
    database,
    filters,
    mentor,
    present,
    report,
    stint,
    target,
)  # fmt: skip


@pytest.fixture
def con():
    return database(
        [
            cadre("A1", group="一组", division="秘书一处"),
            cadre("A2", group="二组", division="督查处"),
            cadre("A3", group="一组", division="秘书一处", join_date=D(2025, 7, 1)),
            cadre("A4", group="二组", division="督查处", leave_date=D(2025, 3, 31)),
            activity("H0", D(2024, 5, 6), scope="全体"),
            activity("H1", D(2025, 2, 10), scope="全体"),
            activity("H2", D(2025, 8, 5), scope="小组", organizer_group="一组"),
            activity("H3", D(2025, 9, 1), scope="指定", category="党性教育", form="警示教育"),
            present("H0", "A1"),
            present("H1", "A1"),
            present("H1", "A2", status="请假"),
            present("H1", "A4", status="缺席"),
            present("H2", "A1"),  # A3 expected at H2 but unrecorded
            present("H3", "A2"),
            course("A1", D(2025, 3, 1), 30),
            course("A2", D(2025, 6, 1), 10),
            course("A3", D(2025, 9, 1), 6),
            stint("A1", "跨处室轮岗", D(2024, 11, 1), D(2025, 1, 31)),  # spans two years
            stint("A2", "挂职", D(2025, 5, 1), None),
            report("R1", D(2025, 4, 1), "A1", co_authors=["A2"]),
            report("R0", D(2024, 4, 1), "A2"),
            award("W1", D(2025, 6, 1), ["A1", "A3"]),
            target("training_hours_per_cadre", 2025, 60),
            target("rotation_share", 2025, 0.3),
            target("secondment_share", 2025, 0.2),
        ]
    )


def kpi(con, **kw):
    return overview_kpis(con, filters(**kw)).set_index("key")


def test_whole_office_figures(con):
    k = kpi(con)
    assert k.loc["cadres", ["value", "previous"]].tolist() == [3, 3]
    assert k.loc["participation_rate", "value"] == pytest.approx(3 / 6)
    assert k.loc["participation_rate", "previous"] == pytest.approx(1 / 3)
    assert [k.loc[f"activities:{c}", "value"] for c in ("理论学习", "党性教育", "实践锻炼")] == [
        2,
        1,
        0,
    ]
    assert k.loc["reports", ["value", "previous"]].tolist() == [1, 1]
    assert k.loc["awards", ["value", "previous"]].tolist() == [1, 0]


def test_training_hours_are_pro_rated_by_days_in_post(con):
    k = kpi(con)
    assert k.loc["training_hours", "value"] == pytest.approx((30 + 10 + 6 + 0) / 4)
    expected = (60 + 60 + 60 * 184 / 365 + 60 * 90 / 365) / 4  # A3 joins 1 July, A4 leaves 31 March
    assert k.loc["training_hours", "expected"] == pytest.approx(expected)
    assert k.loc["training_hours", ["target", "status"]].tolist() == [60, "red"]


def test_shares_count_each_stint_in_every_year_it_ran(con):
    k = kpi(con)
    assert k.loc["rotation_share", "value"] == pytest.approx(1 / 4)
    assert k.loc["rotation_share", "status"] == "red"  # 25% < 90% of 30%
    assert k.loc["secondment_share", "value"] == pytest.approx(1 / 4)
    assert k.loc["secondment_share", "status"] == "green"
    assert k.loc["rotation_share", "previous"] == pytest.approx(1 / 3)  # 2024: A1 of A1, A2, A4


def test_group_filter_narrows_every_figure(con):
    k = kpi(con, group="一组")
    assert k.loc["cadres", "value"] == 2
    assert k.loc["participation_rate", "value"] == pytest.approx(2 / 3)
    assert k.loc["activities:党性教育", "value"] == 0
    assert k.loc["rotation_share", "value"] == pytest.approx(1 / 2)
    assert kpi(con, division="督查处").loc["awards", "value"] == 0


def test_quarter_filter_and_an_empty_period(con):
    q1 = kpi(con, quarter=1)
    assert q1.loc["participation_rate", "value"] == pytest.approx(1 / 3)
    assert q1.loc["activities:理论学习", "value"] == 1
    q4 = kpi(con, quarter=4)
    assert pd.isna(q4.loc["participation_rate", "value"])
    assert q4.loc["reports", "value"] == 0


def test_monthly_trend_has_every_month_and_last_year_beside_it(con):
    trend = monthly_trend(con, filters()).set_index("month")
    assert len(trend) == 12
    assert trend.loc[pd.Timestamp(2025, 2, 1), ["activities", "expected", "attended"]].tolist() == [
        1,
        3,
        1,
    ]
    assert trend.loc[pd.Timestamp(2025, 5, 1), "rate_last_year"] == pytest.approx(1 / 3)
    assert trend.loc[pd.Timestamp(2025, 5, 1), "activities"] == 0


def test_attention_lists_what_is_behind_worst_first(con):
    items = attention_items(con, filters())
    assert items["severity"].iloc[0] == "red"
    text = " ".join(items["text"])
    assert "轮岗交流占比：25.0%，低于进度目标 30.0%（差 5.0 个百分点）" in text
    assert "挂职锻炼占比" not in text  # on target
    assert "二组参与率 33.3%" in text


def test_a_coverage_quota_is_said_to_be_below_its_target_not_its_pace():
    """导师配备率 is a state every cadre should be in: compared with the full target, never
    called "低于进度目标" (it has no pace)."""
    con = database(
        [
            cadre("A1", group="一组"),
            cadre("A2", group="一组"),
            mentor("A1", "业务导师", D(2025, 1, 1)),
            target("business_mentor_share", 2025, 1.0),
            target("rotation_share", 2025, 0.5),
        ]
    )
    text = " ".join(attention_items(con, filters())["text"])
    assert "业务导师配备率：50.0%，低于目标 100.0%（差 50.0 个百分点）" in text
    assert "业务导师配备率：50.0%，低于进度目标" not in text
    assert "轮岗交流占比：0.0%，低于进度目标 " in text  # a paced quota keeps its wording


def test_the_hours_card_is_the_per_cadre_list_aggregated(con):
    from analytics.metrics.quotas import training_hours_by_cadre
    from analytics.semantic.answer import figures

    keys = ["cadres_in_year", "training_hours_per_cadre", "training_hours_expected"]
    got = figures(con, filters(), keys)
    per_cadre = training_hours_by_cadre(con, filters())
    assert got["cadres_in_year"] == 4
    assert got["training_hours_per_cadre"] == pytest.approx(11.5)
    assert got["training_hours_expected"] == pytest.approx(per_cadre["expected"].mean())
    one = figures(con, filters(group="一组"), ["training_hours_per_cadre"])
    assert one["training_hours_per_cadre"] == pytest.approx(18)


def test_no_yoy_against_a_period_without_data(con):
    """同比 against a year with no records reads 无同期数据 (None), not "+6.0 学时" against 0."""
    k = kpi(con)  # 2024 has an activity and a report, but no training at all
    assert k.loc["training_hours", "value"] == pytest.approx(46 / 4)
    assert pd.isna(k.loc["training_hours", "previous"])
    assert k.loc["reports", "previous"] == 1  # a real figure of 2024
    assert k.loc["activities:党性教育", "previous"] == 0  # a real zero, not missing
    before_data = kpi(con, year=2024)  # 2023 holds no record of any kind
    assert before_data["previous"].isna().all()
