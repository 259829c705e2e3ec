"""干部档案 metrics, exact, on a database small enough to count by hand."""

import pandas as pd
import pytest

from analytics.common.links import profile_url
from analytics.metrics.participation import participation_by_cadre
from analytics.metrics.profile import (
    basics_items,
    cadre_activities,
    cadre_assignments,
    cadre_awards,
    cadre_basics,
    cadre_directory,
    cadre_needs,
    cadre_reports,
    cadre_standing,
    cadre_training_progress,
    find_cadre,
    political_reports_by_quarter,
    search_cadres,
    search_options,
)
from tests.factories import (
    D,
    activity,
    assessment,
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

AS_OF = D(2025, 11, 30)


@pytest.fixture
def con():
    return database(
        [
            cadre("P1", group="一组", name="张三", birth_date=D(1995, 12, 1)),
            cadre("P2", group="一组", name="李四"),
            cadre("P3", group="一组", name="王五"),
            cadre("P4", group="二组", name="赵六", division="督查处"),
            cadre("P5", group="二组", name="李四", leave_date=D(2025, 3, 31)),
            activity("G1", D(2025, 2, 10), scope="小组", organizer_group="一组"),
            activity("G2", D(2025, 5, 12), scope="小组", organizer_group="一组"),
            activity(
                "G3", D(2025, 8, 11), scope="全体", hours=3, category="党性教育", form="红色教育"
            ),  # fmt: skip
            present("G1", "P1"),
            present("G2", "P1"),
            present("G3", "P1", hours=3),
            present("G1", "P2"),
            present("G2", "P2", status="缺席"),
            present("G3", "P2", status="请假"),
            present("G3", "P4", hours=3),  # P3 has no rows at all: 未登记 everywhere
            course("P1", D(2025, 3, 1), 20),
            course("P2", D(2025, 4, 1), 50),
            report("R1", D(2025, 6, 1), "P1", co_authors=["P2"]),
            report("R2", D(2024, 6, 1), "P2", co_authors=["P1"]),
            award("W1", D(2025, 6, 20), ["P1", "P4"], work="《作品》"),
            stint("P2", "专项工作", D(2025, 4, 1), D(2025, 6, 30)),
            stint("P1", "挂职", D(2024, 3, 1), D(2024, 8, 31)),
            assessment("P1", "2025Q1", "提交"),
            assessment("P1", "2025Q2", "未提交"),
            assessment("P2", "2025Q1", "提交"),
            assessment("P2", "2025Q2", "提交"),
            assessment("P2", "2025Q3", "提交"),
            mentor("P1", "业务导师", D(2025, 3, 1), name="周处长"),
            target("training_hours_per_cadre", 2025, 60),
            target("rotation_share", 2025, 0.3),
            target("political_reports_per_quarter", 2025, 1),
            target("business_mentor_share", 2025, 1),
            target("writing_mentor_share", 2025, 1),
        ]
    )


def test_profile_url_is_the_link_other_pages_use():
    assert profile_url("Q1011") == "profile?cadre=Q1011"
    assert profile_url("A 1") == "profile?cadre=A%201"


def test_directory_follows_the_sidebar_filter_and_marks_who_left(con):
    everyone = cadre_directory(con, filters(as_of=AS_OF))
    assert everyone["cadre_id"].tolist() == ["P1", "P2", "P3", "P4", "P5"]
    assert everyone.set_index("cadre_id")["in_post"].to_dict() == {
        "P1": True, "P2": True, "P3": True, "P4": True, "P5": False,
    }  # fmt: skip
    group_two = cadre_directory(con, filters(as_of=AS_OF, group="二组"))
    assert group_two["cadre_id"].tolist() == ["P4", "P5"]
    assert search_options(group_two, "P1") == ["P1", "P4", "P5"]
    assert search_options(group_two, "P4") == ["P4", "P5"]


@pytest.mark.parametrize(
    ("typed", "group", "found"),
    [("李四", None, ["P2", "P5"]), ("p", None, ["P1", "P2", "P3", "P4", "P5"]),
     ("p4", None, ["P4"]), ("李", "二组", ["P5"]), ("张", "二组", []), (" 六 ", None, ["P4"]),
     ("%", None, []), ("_", None, []), ("P_", None, []), ("", None, [])],
)  # fmt: skip
def test_search_matches_id_or_name_in_the_filter_with_wildcards_literal(con, typed, group, found):
    hits = search_cadres(con, filters(as_of=AS_OF, group=group), typed)
    assert hits["cadre_id"].tolist() == found


def test_search_puts_the_exact_match_first_and_stops_at_the_limit(con):
    assert search_cadres(con, filters(as_of=AS_OF), "P3")["cadre_id"].tolist() == ["P3"]
    assert search_cadres(con, filters(as_of=AS_OF), "P", limit=2)["cadre_id"].tolist() == [
        "P1", "P2",
    ]  # fmt: skip
    con.execute("UPDATE cadres SET name = 'P1x' WHERE cadre_id = 'P4'")
    assert search_cadres(con, filters(as_of=AS_OF), "P1x")["cadre_id"].tolist() == ["P4"]
    assert search_cadres(con, filters(as_of=AS_OF), "p1")["cadre_id"].tolist() == ["P1", "P4"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [("P2", "P2"), ("p2", "P2"), (" 张三 ", "P1"), ("李四", None), ("Q9999", None), ("", None),
     (None, None)],
)  # fmt: skip
def test_find_cadre_by_id_or_unique_name(con, typed, found):
    everyone = cadre_directory(con, filters(as_of=AS_OF))
    assert find_cadre(everyone, typed) == found


def test_basics_age_service_and_status(con):
    basics = cadre_basics(con, filters(as_of=AS_OF), "P1")
    row = basics.iloc[0]
    assert (row["name"], int(row["age"]), row["service_years"]) == ("张三", 29, 5.9)
    items = dict(basics_items(basics))
    assert items["年龄"] == "29 岁"
    assert items["入职日期"] == "2020年1月1日"
    assert items["状态"] == "在岗"
    assert dict(basics_items(cadre_basics(con, filters(as_of=AS_OF), "P5")))["状态"] == (
        "已调离（2025年3月31日）"
    )
    assert cadre_basics(con, filters(as_of=AS_OF), "NOPE").empty


def test_activities_with_status_and_running_hours(con):
    acts = cadre_activities(con, filters(as_of=AS_OF), "P2")
    assert acts["activity_id"].tolist() == ["G1", "G2", "G3"]
    assert acts["status"].tolist() == ["出席", "缺席", "请假"]
    assert acts["cumulative_hours"].tolist() == [2.0, 2.0, 2.0]
    p1 = cadre_activities(con, filters(as_of=AS_OF), "P1")
    assert p1["cumulative_hours"].tolist() == [2.0, 4.0, 7.0]
    q3 = cadre_activities(con, filters(as_of=AS_OF, quarter=3), "P3")
    assert q3[["activity_id", "status"]].values.tolist() == [["G3", "未登记"]]


def test_whole_record_lists_are_all_time(con):
    f = filters(as_of=AS_OF, quarter=1)  # the period does not cut the file
    reports = cadre_reports(con, f, "P1")
    assert reports[["report_id", "role"]].values.tolist() == [["R1", "执笔"], ["R2", "参与"]]
    assert cadre_awards(con, f, "P4")["work"].tolist() == ["《作品》"]
    stints = cadre_assignments(con, f, "P1")
    assert stints[["type", "running"]].values.tolist() == [["挂职", False]]


def test_standing_against_the_group_median(con):
    f = filters(as_of=AS_OF)
    standing = cadre_standing(con, f, "P2").set_index("measure")
    rates = participation_by_cadre(con, f.model_copy(update={"group": "一组"}))
    assert standing.loc["participation_rate", "value"] == pytest.approx(1 / 3)
    assert standing.loc["participation_rate", "group_median"] == pytest.approx(
        rates["rate"].median()
    )
    assert standing.loc["participation_rate", "group_median"] == pytest.approx(1 / 3)
    assert standing.loc["participation_rate", "rank"] == 2
    assert standing.loc["activity_hours", ["value", "group_median"]].tolist() == [2.0, 2.0]
    assert standing.loc["training_hours", ["value", "group_median", "rank"]].tolist() == [
        50.0, 20.0, 1,
    ]  # fmt: skip
    assert standing.loc["reports", ["value", "group_median"]].tolist() == [1.0, 1.0]
    assert (standing["peers"] == 3).all()  # P1–P3: P5 left before and is in 二组


def test_needs_hours_rotation_reports_mentors_participation(con):
    needs = cadre_needs(con, filters(as_of=AS_OF), "P1")
    assert needs["kind"].tolist() == [
        "training", "rotation", "political_report", "political_report", "political_report",
        "mentor",
    ]  # fmt: skip
    texts = needs["text"].tolist()
    assert texts[0] == "2025年专业培训还差 40.0 学时（已完成 20.0 学时，全年应完成 60.0 学时）。"
    assert needs.iloc[0]["gap"] == pytest.approx(40.0)
    assert "2025年第2季度政治能力提升报告未提交" in texts[2]
    assert "2025年第3季度政治能力提升报告未提交" in texts[3]
    assert texts[4] == "2025年第4季度政治能力提升报告待提交（2025年12月31日前）。"
    assert texts[5] == "尚未配备写作导师。"


def test_needs_of_a_busy_cadre_and_of_one_who_left(con):
    needs = cadre_needs(con, filters(as_of=AS_OF), "P2")
    kinds = needs["kind"].tolist()
    assert "rotation" not in kinds  # 专项工作 in 2025
    assert kinds.count("political_report") == 1  # only Q4, still open
    assert "participation" in kinds  # 1 of 3 attended: below 80%
    assert cadre_needs(con, filters(as_of=AS_OF), "P5").empty


def test_political_reports_by_quarter(con):
    frame = political_reports_by_quarter(con, filters(as_of=AS_OF), "P1")
    assert frame[["period", "complete", "submitted"]].values.tolist() == [
        ["2025Q1", True, True], ["2025Q2", True, False], ["2025Q3", True, False],
        ["2025Q4", False, False],
    ]  # fmt: skip
    left = political_reports_by_quarter(con, filters(as_of=AS_OF), "P5")
    assert left["period"].tolist() == ["2025Q1"]


def test_training_progress_year_to_date(con):
    progress = cadre_training_progress(con, filters(as_of=D(2025, 6, 30), quarter=2), "P1")
    assert progress["hours"] == 20.0
    assert progress["target"] == 60.0
    assert progress["expected"] == pytest.approx(60 * 181 / 365)
    assert isinstance(progress, dict) and not pd.isna(progress["expected"])
