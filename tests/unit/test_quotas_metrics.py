"""指标达成 metrics, exact on a tiny literal office.

The office (2025, data to 30 June: 181 of 365 days gone):
  A  in post all year, 秘书一处/一组; a rotation 2024-11-01–2025-02-28 (spans two years)
  B  joins 2025-04-01, 秘书二处/二组
  C  leaves 2025-03-31, 秘书二处/一组; a secondment in Q1
  D  in post all year, 秘书一处/二组; two rotation-type stints and a secondment
  E  left 2024-12-31 (not in post in 2025)
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.metrics.overview import overview_kpis
from analytics.metrics.quotas import (
    cadres_behind_on_hours,
    compliance_table,
    default_targets,
    for_download,
    mentors_missing,
    planning_pool,
    quota_breakdown,
    quota_by_cadre,
    quota_compliance,
    reports_missing,
    training_hours_by_cadre,
)
from analytics.metrics.targets import QUOTA_KEYS, save_targets, target_inputs, targets_for_year
from analytics.semantic.rules import DENOMINATOR_RULE
from analytics.store.db import data_version
from tests.factories import (
    activity,
    assessment,
    cadre,
    course,
    database,
    filters,
    mentor,
    stint,
    target,
)

D = dt.date
AS_OF = D(2025, 6, 30)
ELAPSED = 181 / 365


DEFAULT_TARGETS = {
    "rotation_share": 0.3, "secondment_share": 0.2, "training_hours_per_cadre": 60,
    "business_mentor_share": 1.0, "writing_mentor_share": 1.0,
    "political_reports_per_quarter": 1, "study_days_per_month": 1, "forums_per_quarter": 1,
}  # fmt: skip


def office_records(targets: dict[str, float] | None = None) -> list:
    targets = DEFAULT_TARGETS if targets is None else targets
    return [
        cadre("A", group="一组", division="秘书一处"),
        cadre("B", group="二组", division="秘书二处", join_date=D(2025, 4, 1)),
        cadre("C", group="一组", division="秘书二处", leave_date=D(2025, 3, 31)),
        cadre("D", group="二组", division="秘书一处"),
        cadre("E", group="一组", division="秘书一处", leave_date=D(2024, 12, 31)),
        stint("A", "跨处室轮岗", D(2024, 11, 1), D(2025, 2, 28)),
        stint("C", "挂职", D(2025, 1, 1), D(2025, 3, 15)),
        stint("D", "跨处室轮岗", D(2025, 2, 1), D(2025, 3, 31)),
        stint("D", "专项工作", D(2025, 5, 1), None),
        stint("D", "挂职", D(2025, 6, 1), None),
        stint("D", "三线历练", D(2025, 1, 10), D(2025, 1, 20)),  # neither rotation nor secondment
        stint("E", "挂职", D(2024, 3, 1), D(2024, 6, 30)),
        course("A", D(2025, 3, 1), 20),
        course("A", D(2024, 12, 31), 10, name="去年课程"),
        course("B", D(2025, 5, 1), 16),
        course("D", D(2025, 2, 1), 40),
        course("D", D(2025, 7, 15), 8, name="期后课程"),
        course("E", D(2024, 6, 1), 30),
        mentor("A", "业务导师", D(2024, 1, 1)),
        mentor("A", "写作导师", D(2025, 3, 1), name="陈海峰"),
        mentor("B", "业务导师", D(2025, 4, 1)),
        mentor("C", "业务导师", D(2024, 1, 1)),
        mentor("D", "写作导师", D(2024, 6, 1), D(2025, 5, 31)),
        mentor("D", "班子成员结对", D(2025, 1, 1)),
        assessment("A", "2025Q1"),
        assessment("A", "2025Q2"),
        assessment("A", "2025Q3"),  # not yet due
        assessment("C", "2025Q1", "未提交"),
        assessment("D", "2025Q1"),
        assessment("D", "2025Q2", "称职", kind="季度考核"),  # another kind of record
        assessment("B", "2025Q2"),
        assessment("E", "2025Q1"),  # not in post
        activity("S0", D(2024, 12, 13), form="理论学习日"),
        activity("S1", D(2025, 1, 15), form="理论学习日"),
        activity("S3", D(2025, 3, 14), form="理论学习日"),
        activity("S4", D(2025, 4, 15), form="理论学习日"),
        activity("S6", D(2025, 6, 13), form="理论学习日"),
        activity("S7", D(2025, 7, 15), form="理论学习日"),
        activity("F1", D(2025, 3, 26), form="青年干部座谈会", scope="指定"),
        activity("F3", D(2025, 9, 26), form="青年干部座谈会", scope="指定"),
        *[
            target(metric, year, value)
            for metric, value in targets.items()
            for year in (2024, 2025)
        ],
    ]


@pytest.fixture
def con():
    return database(office_records())


def f25(**kw):
    return filters(2025, AS_OF, **kw)


def row(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame.set_index("metric").loc[key]


def test_denominator_counts_joiner_and_leaver_but_not_earlier_leaver(con):
    people = quota_by_cadre(con, f25().year_to_date())
    assert list(people["cadre_id"]) == ["A", "B", "C", "D"]
    assert list(people["in_post_at_end"]) == [True, True, False, True]
    assert list(people["days_in_post"]) == [181, 91, 90, 181]
    assert "年中入职" in DENOMINATOR_RULE and "调离" in DENOMINATOR_RULE


def test_rotation_share_spanning_stint_and_two_stints_count_once(con):
    r = row(quota_compliance(con, f25()), "rotation_share")
    assert (r["numerator"], r["denominator"]) == (2, 4)  # A (spanning) and D (two stints)
    assert r["actual"] == 0.5
    assert r["target"] == 0.3
    assert r["expected"] == pytest.approx(0.3 * ELAPSED)
    assert r["projection"] == 1.0  # 0.5 ÷ 181/365 is above 100 %: capped
    assert r["status"] == "green"


def test_spanning_stint_counts_in_the_year_it_started_too(con):
    f24 = filters(2024, D(2024, 12, 31))
    r = row(quota_compliance(con, f24), "rotation_share")
    assert (r["numerator"], r["denominator"]) == (1, 4)  # A; in post: A, C, D, E
    r = row(quota_compliance(con, f24), "secondment_share")
    assert (r["numerator"], r["denominator"]) == (1, 4)  # E, who left at the end of 2024


def test_secondment_share_counts_the_leaver(con):
    r = row(quota_compliance(con, f25()), "secondment_share")
    assert (r["numerator"], r["denominator"]) == (2, 4)  # C (left in March) and D
    assert r["expected"] == pytest.approx(0.2 * ELAPSED)


def test_training_hours_pro_rated_by_days_in_post(con):
    r = row(quota_compliance(con, f25()), "training_hours_per_cadre")
    assert r["actual"] == 19.0  # (20 + 16 + 0 + 40) / 4: last year's and later courses out
    assert r["expected"] == pytest.approx(60 * (181 + 91 + 90 + 181) / 4 / 365)
    assert r["projection"] == pytest.approx(19 / ELAPSED)
    assert r["status"] == "red"  # 19 / 22.3 = 85 % of pace


def test_mentor_coverage_counts_pairings_in_force_at_the_end(con):
    c = quota_compliance(con, f25())
    business, writing = row(c, "business_mentor_share"), row(c, "writing_mentor_share")
    assert (business["numerator"], business["denominator"]) == (2, 3)  # A, B of A, B, D
    assert (writing["numerator"], writing["denominator"]) == (1, 3)  # D's ended in May


def test_mentor_coverage_is_a_state_compared_with_the_full_target_at_any_date(con):
    """为每名青年干部配备导师: at mid-year 2 of 3 is not 达标 against a pace of 50 %; the bar
    is the whole target, and there is no linear projection to year end."""
    c = quota_compliance(con, f25())
    business, writing = row(c, "business_mentor_share"), row(c, "writing_mentor_share")
    for r in (business, writing):
        assert r["expected"] == 1.0
        assert r["projection"] is None or pd.isna(r["projection"])
    assert (business["status"], writing["status"]) == ("red", "red")  # 67 %, 33 % of 100 %
    shown = compliance_table(c).set_index("指标").loc["业务导师配备率"]
    assert shown["进度目标"] == "同全年目标"  # not pro-rated, and short enough for its cell
    b = quota_breakdown(con, f25(), "division")
    assert set(b["business_mentor_share:expected"]) == {1.0}


def test_political_reports_due_for_quarters_ended(con):
    r = row(quota_compliance(con, f25()), "political_reports_per_quarter")
    # Q1 due from A, C, D (C in post on 31 March); Q2 from A, B, D. Submitted: A×2, D Q1, B Q2.
    assert (r["actual"], r["expected"]) == (4, 6)
    assert r["required"] == 6 + 3 * 2  # the three in post now owe Q3 and Q4
    assert r["projection"] == pytest.approx(12 * 4 / 6)
    assert r["status"] == "red"


def test_study_days_and_forums_against_periods_ended(con):
    c = quota_compliance(con, f25())
    days, forums = row(c, "study_days_per_month"), row(c, "forums_per_quarter")
    assert (days["actual"], days["expected"], days["required"]) == (4, 6, 12)
    assert days["projection"] == pytest.approx(8)
    assert (forums["actual"], forums["expected"], forums["required"]) == (1, 2, 4)
    assert forums["status"] == "red"


def test_every_target_of_the_year_is_a_row(con):
    c = quota_compliance(con, f25())
    assert list(c["metric"]) == list(QUOTA_KEYS)
    assert list(c["target"]) == [DEFAULT_TARGETS[k] for k in QUOTA_KEYS]


def test_quarter_filter_measures_year_to_date(con):
    q1 = quota_compliance(con, f25(quarter=1))
    r = row(q1, "political_reports_per_quarter")
    assert (r["actual"], r["expected"]) == (2, 3)  # Q1 only: A, D submitted; C did not
    assert row(q1, "rotation_share")["denominator"] == 3  # B had not joined by 31 March


def test_zero_cadres():
    con = database([target(k, 2025, v) for k, v in DEFAULT_TARGETS.items()])
    c = quota_compliance(con, f25())
    for key in ("rotation_share", "secondment_share", "training_hours_per_cadre",
                "business_mentor_share", "writing_mentor_share"):  # fmt: skip
        assert row(c, key)["actual"] is None or pd.isna(row(c, key)["actual"])
        assert row(c, key)["status"] == "none"
    reports = row(c, "political_reports_per_quarter")
    assert (reports["actual"], reports["expected"], reports["status"]) == (0, 0, "none")
    assert row(c, "study_days_per_month")["status"] == "red"  # 0 of 6 office-wide days held
    assert quota_breakdown(con, f25(), "division").empty
    assert cadres_behind_on_hours(con, f25()).empty
    assert planning_pool(con, f25()).empty
    assert not compliance_table(c).empty


def test_a_target_the_year_has_not_set_is_the_default_and_says_so():
    con = database(office_records(targets={"rotation_share": 0.3}))
    c = quota_compliance(con, f25())
    assert row(c, "rotation_share")["status"] == "green"
    hours = row(c, "training_hours_per_cadre")
    assert (hours["target"], hours["is_default"]) == (60, True)
    assert hours["status"] != "none"
    shown = compliance_table(c)
    assert shown.iloc[0]["目标"] == "每年 30%"
    assert shown.iloc[2]["目标"] == "每人每年 60 学时（默认）"


def test_missing_target_has_no_status():
    con = database(office_records(targets={"rotation_share": 0.3}))
    con.execute("DELETE FROM target_defaults WHERE metric = 'training_hours_per_cadre'")
    c = quota_compliance(con, f25())
    assert row(c, "training_hours_per_cadre")["status"] == "none"
    assert pd.isna(row(c, "training_hours_per_cadre")["target"])
    assert compliance_table(c).iloc[2]["目标"] == "未设置"


def test_group_filter_narrows_per_cadre_quotas_not_office_activities(con):
    c = quota_compliance(con, f25(group="一组"))
    assert row(c, "rotation_share")["denominator"] == 2  # A and C
    assert row(c, "study_days_per_month")["actual"] == 4


def test_breakdown_by_division(con):
    b = quota_breakdown(con, f25(), "division").set_index("unit")
    assert list(b.index) == ["秘书一处", "秘书二处"]
    assert list(b["cadres"]) == [2, 2]
    assert list(b["current_cadres"]) == [2, 1]
    assert list(b["rotation_share"]) == [1.0, 0.0]
    assert list(b["secondment_share"]) == [0.5, 0.5]
    assert list(b["training_hours_per_cadre"]) == [30.0, 8.0]
    assert b.loc["秘书二处", "training_hours_per_cadre:expected"] == pytest.approx(
        60 * (91 + 90) / 2 / 365
    )
    assert list(b["business_mentor_share"]) == [0.5, 1.0]
    assert list(b["political_reports_per_quarter"]) == [0.75, 0.5]
    assert list(b["rotation_share:status"]) == ["green", "red"]


def test_breakdown_by_group(con):
    b = quota_breakdown(con, f25(), "study_group").set_index("unit")
    assert list(b.index) == ["一组", "二组"]
    assert list(b["rotation_share"]) == [0.5, 0.5]
    assert list(b["secondment_share"]) == [0.5, 0.5]
    with pytest.raises(ValueError):
        quota_breakdown(con, f25(), "rank")


def test_cadres_behind_on_hours_lists_only_those_in_post(con):
    behind = cadres_behind_on_hours(con, f25())
    assert list(behind["cadre_id"]) == ["A"]  # C (0 hours) has left; B and D are on pace
    assert behind.iloc[0]["hours_short"] == pytest.approx(60 * 181 / 365 - 20)
    assert behind.iloc[0]["profile"] == "profile?cadre=A#干部A"


def test_reports_missing(con):
    missing = reports_missing(con, f25())
    assert list(missing["cadre_id"]) == ["D"]
    assert missing.iloc[0]["reports_missing"] == "2025Q2"
    assert missing.iloc[0]["reports_short"] == 1


def test_mentors_missing(con):
    lacking = mentors_missing(con, f25()).set_index("cadre_id")
    assert list(lacking.index) == ["B", "D"]
    assert lacking.loc["B", "mentors_lacking"] == "写作导师"
    assert lacking.loc["D", "mentors_lacking"] == "业务导师、写作导师"


def test_planning_pool_window_of_n_years():
    con = database(
        [
            cadre("A"),
            cadre("F"),
            cadre("G", join_date=D(2025, 2, 1)),
            cadre("L", leave_date=D(2025, 1, 31)),
            stint("A", "专项工作", D(2024, 11, 1), D(2025, 2, 28)),
            stint("F", "挂职", D(2022, 3, 1), D(2022, 12, 31)),
            stint("G", "三线历练", D(2025, 3, 1), D(2025, 3, 31)),
        ]
    )
    pool = planning_pool(con, f25(), years=3)  # since 2023-01-01
    assert list(pool["cadre_id"]) == ["G", "F"]  # never first, then longest waiting; L left
    assert pool.set_index("cadre_id").loc["F", "last_type"] == "挂职"
    assert list(planning_pool(con, f25(), years=4)["cadre_id"]) == ["G"]  # since 2022
    assert list(planning_pool(con, f25(), years=1)["cadre_id"]) == ["G", "F"]


def test_overview_reads_the_same_figures(con):
    kpis = overview_kpis(con, f25()).set_index("key")
    c = quota_compliance(con, f25())
    for kpi, key in (("training_hours", "training_hours_per_cadre"),
                     ("rotation_share", "rotation_share"),
                     ("secondment_share", "secondment_share")):  # fmt: skip
        assert kpis.loc[kpi, "value"] == pytest.approx(row(c, key)["actual"])
        assert kpis.loc[kpi, "expected"] == pytest.approx(row(c, key)["expected"])
        assert kpis.loc[kpi, "status"] == row(c, key)["status"]
    hours = training_hours_by_cadre(con, f25().year_to_date())
    assert list(hours.columns) == ["cadre_id", "name", "study_group", "division", "hours",
                                   "expected"]  # fmt: skip


def test_editing_a_target_changes_the_status(con):
    c = quota_compliance(con, f25())
    assert row(c, "training_hours_per_cadre")["status"] == "red"
    assert row(c, "writing_mentor_share")["status"] == "red"  # 1/3 against 100 %
    assert row(c, "forums_per_quarter")["status"] == "red"
    before = data_version(con)
    entered = {"training_hours_per_cadre": 40, "writing_mentor_share": 30,
               "forums_per_quarter": 0.5, "secondment_share": 100.0}  # fmt: skip
    assert save_targets(con, 2025, entered) == []
    assert data_version(con) == before + 1
    assert targets_for_year(con, 2025)["writing_mentor_share"] == 0.3  # entered in percent
    assert targets_for_year(con, 2024)["training_hours_per_cadre"] == 60  # other years kept
    c = quota_compliance(con, f25())
    assert row(c, "training_hours_per_cadre")["status"] == "green"  # 19 ≥ 40 × 543/1460
    assert row(c, "writing_mentor_share")["status"] == "green"  # 1/3 ≥ 30 %
    assert row(c, "forums_per_quarter")["status"] == "green"  # 1 held, 0.5 × 2 due
    assert row(c, "secondment_share")["expected"] == pytest.approx(ELAPSED)
    assert row(c, "secondment_share")["status"] == "green"  # 0.5 ≥ 0.496


def test_editor_shows_shares_in_percent(con):
    inputs = target_inputs(con, 2025).set_index("metric")
    assert inputs.loc["rotation_share", "value"] == 30
    assert inputs.loc["training_hours_per_cadre", "value"] == 60
    assert not inputs["is_default"].any()
    later = target_inputs(con, 2030)  # a year never set: the plan's defaults, marked so
    assert later["is_default"].all()
    assert later.set_index("metric")["value"].to_dict() == {
        "rotation_share": 30, "secondment_share": 20, "training_hours_per_cadre": 60,
        "business_mentor_share": 100, "writing_mentor_share": 100,
        "political_reports_per_quarter": 1, "study_days_per_month": 1, "forums_per_quarter": 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        ({"rotation_share": 120}, "0 到 100"),
        ({"secondment_share": -5}, "0 到 100"),
        ({"training_hours_per_cadre": -1}, "不能为负数"),
        ({"forums_per_quarter": None}, "不能为空"),
        ({"study_days_per_month": "一次"}, "必须是数字"),
        ({"no_such_metric": 1}, "未知指标"),
    ],
)
def test_invalid_targets_are_refused_in_chinese_and_nothing_is_written(con, entered, message):
    before = data_version(con)
    errors = save_targets(con, 2025, {"training_hours_per_cadre": 40, **entered})
    assert len(errors) == 1 and message in errors[0]
    assert targets_for_year(con, 2025)["training_hours_per_cadre"] == 60
    assert data_version(con) == before


def test_new_year_targets_are_inserted(con):
    assert save_targets(con, 2026, {"forums_per_quarter": 2}) == []
    assert con.execute("SELECT metric, value FROM targets WHERE year = 2026").fetchall() == [
        ("forums_per_quarter", 2.0)
    ]  # the year's own value; the others stay defaults
    assert targets_for_year(con, 2026)["forums_per_quarter"] == 2.0
    assert "forums_per_quarter" not in default_targets(con, 2026)
    assert "rotation_share" in default_targets(con, 2026)
    assert save_targets(con, 1999, {"forums_per_quarter": 2})[0].startswith("年度")


def test_downloads_have_chinese_headers_and_no_links(con):
    frame = for_download(mentors_missing(con, f25()))
    assert list(frame.columns) == [
        "工号",
        "姓名",
        "处室",
        "学习小组",
        "业务导师",
        "写作导师",
        "尚缺",
    ]
    b = for_download(quota_breakdown(con, f25(), "division"))
    assert "跨处室轮岗、专项工作占比·状态" in b.columns
    assert set(b["跨处室轮岗、专项工作占比·状态"]) == {"达标", "落后"}
