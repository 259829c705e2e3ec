"""学习参与 metrics, exact, on an office of five cadres small enough to count by hand.

一组: A1 (in post throughout), A3 (joins 2025-07-01).
二组: A2, A4 (leaves 2025-03-31), A5 (shares A2's name, so the heatmap must keep them apart).
Every expected row of 2025 (period 2025-01-01 to the as-of date 2025-11-30):

    H1 02-10 全体 理论学习日   A1 出席  A2 请假  A4 缺席  A5 出席
    R1 03-20 二组 研学 第一批  A2 出席  A4 出席  A5 缺席
    R2 04-15 一组 研学 第一批  A1 出席
    P1 06-10 全体 警示教育     A1 出席  A2 出席  A5 请假
    H2 08-05 一组 导师领学     A1 出席  A3 (no row: 未登记)
    H3 09-01 指定 座谈交流     A2 出席  A5 出席  A1 请假
    R3 09-15 二组 研学 第二批  A2 出席  A5 出席
    H4 10-06 指定 列席旁听     A1 列席  A2 列席
    H6 10-20 指定 座谈交流     A5 出席  A1 出席
    H5 11-03 指定 列席旁听     A1 列席
    P2 11-20 全体 专题学习     A1 出席  A2 缺席  A3 出席  A5 出席
"""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics.common.links import profile_url
from analytics.metrics.participation import (
    activity_highlights,
    activity_mix,
    attendance_detail,
    cadres_behind,
    discussion_sessions,
    discussion_themes,
    group_comparison,
    participation_by_group_month,
    participation_heatmap,
    participation_overview,
    research_batches,
)
from analytics.metrics.rotation import (
    council_coverage,
    council_not_seated,
    council_sessions,
    mentor_grid,
    mentor_grid_table,
)
from analytics.store.db import bump_data_version
from analytics.store.models import GroupMentor
from tests.factories import D, activity, cadre, database, filters, present

AS_OF = D(2025, 11, 30)


@pytest.fixture
def con():
    return database(
        [
            cadre("A1", group="一组", division="秘书一处"),
            cadre("A2", group="二组", division="督查处"),
            cadre("A3", group="一组", division="秘书一处", join_date=D(2025, 7, 1)),
            cadre("A4", group="二组", division="督查处", leave_date=D(2025, 3, 31)),
            cadre("A5", group="二组", division="秘书一处", name="干部A2"),
            activity("H0", D(2024, 5, 6)),
            activity("H1", D(2025, 2, 10), form="理论学习日"),
            activity("R1", D(2025, 3, 20), form="研学活动", batch="第一批", scope="小组",
                     organizer_group="二组"),
            activity("R2", D(2025, 4, 15), form="研学活动", batch="第一批", scope="小组",
                     organizer_group="一组"),
            activity("P1", D(2025, 6, 10), category="党性教育", form="警示教育"),
            activity("H2", D(2025, 8, 5), scope="小组", organizer_group="一组"),
            activity("H3", D(2025, 9, 1), form="座谈交流", scope="指定", theme="新质生产力"),
            activity("R3", D(2025, 9, 15), form="研学活动", batch="第二批", scope="小组",
                     organizer_group="二组"),
            activity("H4", D(2025, 10, 6), form="列席旁听", scope="指定"),
            activity("H6", D(2025, 10, 20), form="座谈交流", scope="指定", theme="新质生产力"),
            activity("H5", D(2025, 11, 3), form="列席旁听", scope="指定"),
            activity("P2", D(2025, 11, 20), category="党性教育", form="专题学习"),
            present("H0", "A1"),
            present("H1", "A1"), present("H1", "A2", "请假"), present("H1", "A4", "缺席"),
            present("H1", "A5"),
            present("R1", "A2"), present("R1", "A4"), present("R1", "A5", "缺席"),
            present("R2", "A1"),
            present("P1", "A1"), present("P1", "A2"), present("P1", "A5", "请假"),
            present("H2", "A1"),
            present("H3", "A2"), present("H3", "A5"), present("H3", "A1", "请假"),
            present("R3", "A2"), present("R3", "A5"),
            present("H4", "A1", role="列席"), present("H4", "A2", role="列席"),
            present("H6", "A5"), present("H6", "A1"),
            present("H5", "A1", role="列席"),
            present("P2", "A1"), present("P2", "A2", "缺席"), present("P2", "A3"),
            present("P2", "A5"),
            GroupMentor(study_group="一组", month=D(2025, 2, 1), mentor_name="周处长"),
            GroupMentor(study_group="一组", month=D(2025, 8, 1), mentor_name="陈处长"),
            GroupMentor(study_group="二组", month=D(2025, 3, 1), mentor_name="王处长"),
        ]
    )  # fmt: skip


F = filters(as_of=AS_OF)
EMPTY_QUARTER = filters(year=2024, quarter=1, as_of=AS_OF)  # nothing happened in 2024Q1
FUTURE = filters(year=2026, as_of=AS_OF)  # starts after the data end


def months(year: int, last: int) -> list[pd.Timestamp]:
    return [pd.Timestamp(year, m, 1) for m in range(1, last + 1)]


def test_overview_counts_cadres_in_post_at_the_end_and_splits_leave_from_absence(con):
    row = participation_overview(con, F).iloc[0]
    assert (row["cadres"], row["groups"]) == (4, 2)  # A4 left; A3 joined
    assert (row["expected"], row["attended"], row["on_leave"], row["absent"]) == (27, 20, 3, 3)
    assert row["unrecorded"] == 1  # A3 at H2
    assert row["hours"] == 40
    assert row["rate"] == pytest.approx(20 / 27)


def test_group_comparison_exact(con):
    """人均学时: 二组's 22 hours include A4's 2 (she left on 31 March), so A4 is in the
    denominator too: 22 ÷ 3 cadres in post at some time in the period, not ÷ 2 at its end."""
    expected = pd.DataFrame(
        {
            "study_group": ["一组", "二组"],
            "cadres": [2, 2],
            "cadres_during": [2, 3],
            "expected": [11, 16],
            "attended": [9, 11],
            "on_leave": [1, 2],
            "absent": [1, 3],  # 缺席 and 未登记 together
            "on_stint": [0, 0],
            "rate": [9 / 11, 11 / 16],
            "hours": [18.0, 22.0],
            "hours_per_cadre": [9.0, 22 / 3],
        }
    )
    assert_frame_equal(group_comparison(con, F), expected, check_dtype=False)


def test_group_by_month_has_every_group_and_month_with_zeros_where_nothing_was_expected(con):
    cells = {  # (group, month): expected, attended, on_leave, absent, hours
        ("一组", 2): (1, 1, 0, 0, 2), ("一组", 4): (1, 1, 0, 0, 2), ("一组", 6): (1, 1, 0, 0, 2),
        ("一组", 8): (2, 1, 0, 1, 2), ("一组", 9): (1, 0, 1, 0, 0), ("一组", 10): (2, 2, 0, 0, 4),
        ("一组", 11): (3, 3, 0, 0, 6),
        ("二组", 2): (3, 1, 1, 1, 2), ("二组", 3): (3, 2, 0, 1, 4), ("二组", 6): (2, 1, 1, 0, 2),
        ("二组", 9): (4, 4, 0, 0, 8), ("二组", 10): (2, 2, 0, 0, 4), ("二组", 11): (2, 1, 0, 1, 2),
    }  # fmt: skip
    rows = []
    for group in ("一组", "二组"):
        for m in range(1, 12):
            exp, att, leave, absent, hours = cells.get((group, m), (0, 0, 0, 0, 0))
            rows.append(
                (group, pd.Timestamp(2025, m, 1), exp, att, leave, absent,
                 att / exp if exp else None, float(hours))
            )  # fmt: skip
    expected = pd.DataFrame(
        rows,
        columns=["study_group", "month", "expected", "attended", "on_leave", "absent", "rate",
                 "hours"],
    ).astype({"rate": "float64"})  # fmt: skip
    actual = participation_by_group_month(con, F)
    actual["month"] = pd.to_datetime(actual["month"])
    assert_frame_equal(actual, expected, check_dtype=False)


def test_group_by_month_follows_the_group_filter_and_the_quarter(con):
    frame = participation_by_group_month(con, filters(as_of=AS_OF, quarter=3, group="二组"))
    assert list(frame["study_group"].unique()) == ["二组"]
    assert list(pd.to_datetime(frame["month"])) == months(2025, 9)[6:]
    assert list(frame["expected"]) == [0, 0, 4]


def test_activity_mix_by_category_and_form(con):
    expected = pd.DataFrame(
        [
            ("理论学习", "研学活动", 3, 6.0, 6, 5),
            ("理论学习", "列席旁听", 2, 4.0, 3, 3),
            ("理论学习", "座谈交流", 2, 4.0, 5, 4),
            ("理论学习", "导师领学", 1, 2.0, 2, 1),
            ("理论学习", "理论学习日", 1, 2.0, 4, 2),
            ("党性教育", "专题学习", 1, 2.0, 4, 3),
            ("党性教育", "警示教育", 1, 2.0, 3, 2),
        ],
        columns=["category", "form", "sessions", "hours", "expected", "attended"],
    )
    expected["rate"] = expected["attended"] / expected["expected"]
    assert_frame_equal(activity_mix(con, F), expected, check_dtype=False)


def test_activity_mix_under_a_group_filter_counts_that_groups_sessions_and_people(con):
    frame = activity_mix(con, filters(as_of=AS_OF, group="一组")).set_index("form")
    assert frame.loc["研学活动", "sessions"] == 1  # R2 only
    assert frame.loc["座谈交流", ["sessions", "expected", "attended"]].tolist() == [2, 2, 1]
    assert "导师领学" in frame.index


def test_research_batches_and_highlights(con):
    batches = research_batches(con, F)
    assert batches["batch"].tolist() == ["第一批", "第二批"]
    assert batches["sessions"].tolist() == [2, 1]
    assert batches["groups"].tolist() == ["一组、二组", "二组"]
    assert batches["expected"].tolist() == [4, 2]
    assert batches["attended"].tolist() == [3, 2]
    assert pd.Timestamp(batches["first_date"][0]) == pd.Timestamp(2025, 3, 20)
    assert pd.Timestamp(batches["last_date"][0]) == pd.Timestamp(2025, 4, 15)
    row = activity_highlights(con, F).iloc[0]
    assert row.to_dict() == {
        "research_batches": 2,
        "research_sessions": 3,
        "discussion_sessions": 2,
        "discussion_participants": 3,  # A2, A5 at H3; A5, A1 at H6 — A1's 请假 at H3 not counted
    }
    one = activity_highlights(con, filters(as_of=AS_OF, group="二组")).iloc[0]
    assert one.to_dict() == {
        "research_batches": 2,
        "research_sessions": 2,
        "discussion_sessions": 2,
        "discussion_participants": 2,
    }


def test_office_wide_research_sessions_name_no_group():
    # An office whose 研学活动 are all office-wide (no 组织小组): the batch lists no group.
    con = database([
        cadre("A1"), cadre("A2"),
        activity("R1", D(2025, 3, 20), form="研学活动", batch="第一批"),
        activity("R2", D(2025, 4, 20), form="研学活动", batch="第一批"),
        present("R1", "A1"), present("R2", "A1"), present("R2", "A2", status="请假"),
    ])  # fmt: skip
    batches = research_batches(con, filters(as_of=AS_OF))
    assert batches[["batch", "sessions", "groups", "expected", "attended"]].values.tolist() == [
        ["第一批", 2, "", 4, 2]
    ]


def test_discussions_count_distinct_people_present(con):
    sessions = discussion_sessions(con, F)
    assert sessions["activity_id"].tolist() == ["H3", "H6"]
    assert sessions["participants"].tolist() == [2, 2]
    themes = discussion_themes(con, F)
    assert themes.to_dict("records") == [{"theme": "新质生产力", "sessions": 2, "participants": 3}]


def test_heatmap_cells_and_both_orders(con):
    cells = participation_heatmap(con, F, sort="group")
    a3 = cells[cells["cadre_id"] == "A3"]
    assert list(pd.to_datetime(a3["month"])) == [
        pd.Timestamp(2025, 8, 1),
        pd.Timestamp(2025, 11, 1),
    ]
    assert a3["rate"].tolist() == [0.0, 1.0]
    assert a3["period_rate"].tolist() == [0.5, 0.5]
    order = cells.drop_duplicates("cadre_id")[["cadre_id", "row"]]
    assert order["cadre_id"].tolist() == ["A1", "A3", "A2", "A4", "A5"]
    assert order["row"].tolist() == [0, 1, 2, 3, 4]
    labels = dict(zip(cells["cadre_id"], cells["label"], strict=False))
    assert labels["A2"] == "干部A2（A2）" and labels["A5"] == "干部A2（A5）"
    assert labels["A1"] == "干部A1"
    by_rate = participation_heatmap(con, F, sort="rate").drop_duplicates("cadre_id")
    assert by_rate["cadre_id"].tolist() == ["A3", "A4", "A2", "A5", "A1"]
    with pytest.raises(ValueError, match="sort"):
        participation_heatmap(con, F, sort="name")


def test_who_fell_behind_by_rate_or_by_recent_silence(con):
    behind = cadres_behind(con, F, threshold=0.8, weeks=4)
    assert behind["cadre_id"].tolist() == ["A3", "A2", "A5"]  # A4 has left; A1 is at 8/9
    assert behind["rate"].tolist() == pytest.approx([0.5, 5 / 7, 5 / 7])
    a2 = behind.set_index("cadre_id").loc["A2"]
    assert bool(a2["low_rate"]) and bool(a2["quiet"])  # expected at P2 (11-20), absent
    assert a2["reason"] == "参与率低于 80%；近 4 周无出席"
    assert pd.Timestamp(a2["last_attended"]) == pd.Timestamp(2025, 10, 6)
    assert a2["profile"] == "profile?cadre=A2&year=2025#干部A2"
    # At a 50 % line only the silence remains: A3 at exactly 0.5 is not under it.
    quiet = cadres_behind(con, F, threshold=0.5, weeks=4)
    assert quiet["cadre_id"].tolist() == ["A2"]
    assert quiet["reason"].tolist() == ["近 4 周无出席"]
    # 17 weeks reach back to 08-04: A2 came to H3, R3 and H4 in that window, A3 to P2.
    assert cadres_behind(con, F, threshold=0.5, weeks=17).empty
    with pytest.raises(ValueError, match="threshold"):
        cadres_behind(con, F, threshold=1.5)
    with pytest.raises(ValueError, match="weeks"):
        cadres_behind(con, F, weeks=0)


def test_mentor_grid_flags_months_without_a_mentor(con):
    grid = mentor_grid(con, F)
    assert len(grid) == 22  # 2 groups × 11 months
    assert int(grid["missing"].sum()) == 19
    one = grid[grid["study_group"] == "一组"]
    one = one.set_index(pd.to_datetime(one["month"]))
    assert one.loc[pd.Timestamp(2025, 2, 1), "mentor_name"] == "周处长"
    assert one.loc[pd.Timestamp(2025, 8, 1), "led_sessions"] == 1  # H2
    assert bool(one.loc[pd.Timestamp(2025, 1, 1), "missing"])
    table = mentor_grid_table(con, F)
    assert list(table.columns) == ["学习小组", *[f"2025年{m}月" for m in range(1, 12)]]
    assert table.iloc[0].tolist()[:4] == ["一组", "⚠ 未轮值", "周处长", "⚠ 未轮值"]
    assert table.iloc[1]["2025年3月"] == "王处长"


def test_council_seats_against_the_target_of_two(con):
    sessions = council_sessions(con, F)
    assert sessions[["activity_id", "seats", "seats_in_scope", "target", "met"]].to_dict(
        "records"
    ) == [
        {"activity_id": "H4", "seats": 2, "seats_in_scope": 2, "target": 2, "met": True},
        {"activity_id": "H5", "seats": 1, "seats_in_scope": 1, "target": 2, "met": False},
    ]
    cover = council_coverage(con, F).iloc[0]
    assert cover[["sessions", "seats", "sessions_met", "cadres", "seated", "seated_in_post"]]\
        .tolist() == [2, 3, 1, 4, 2, 2]  # fmt: skip
    assert cover["seats_per_session"] == 1.5
    assert cover["coverage"] == 0.5
    assert cover["status"] == "amber"  # H5 had one seat of two
    group = council_coverage(con, filters(as_of=AS_OF, group="二组")).iloc[0]
    assert (group["seats"], group["seats_in_scope"], group["cadres"], group["seated"]) == (
        3,
        1,
        2,
        1,
    )
    missing = council_not_seated(con, F)
    assert missing["cadre_id"].tolist() == ["A3", "A5"]  # A4 has left: not listed
    assert missing["profile"].tolist() == [
        "profile?cadre=A3&year=2025#干部A3",
        "profile?cadre=A5&year=2025#干部A2",
    ]


def test_detail_rows_narrow_by_each_selection(con):
    assert len(attendance_detail(con, F)) == 27
    assert len(attendance_detail(con, F, groups=("一组",))) == 11
    assert len(attendance_detail(con, F, months=(D(2025, 9, 1),))) == 5  # H3 + R3
    assert len(attendance_detail(con, F, forms=("座谈交流",))) == 5
    cell = attendance_detail(con, F, cadres=("A3",), months=(D(2025, 8, 1),))
    assert cell[["activity_id", "title", "name", "status"]].to_dict("records") == [
        {"activity_id": "H2", "title": "活动H2", "name": "干部A3", "status": "未登记"}
    ]
    scoped = attendance_detail(con, filters(as_of=AS_OF, group="二组"), forms=("研学活动",))
    assert scoped["activity_id"].tolist() == ["R1", "R1", "R1", "R3", "R3"]


@pytest.mark.parametrize("f", [EMPTY_QUARTER, FUTURE], ids=["nothing-happened", "future"])
def test_an_empty_period_gives_empty_frames_not_errors(con, f):
    row = participation_overview(con, f).iloc[0]
    assert row["expected"] == 0 and pd.isna(row["rate"])
    assert activity_mix(con, f).empty
    assert list(activity_mix(con, f).columns) == [
        "category", "form", "sessions", "hours", "expected", "attended", "rate",
    ]  # fmt: skip
    assert research_batches(con, f).empty
    assert discussion_sessions(con, f).empty
    assert participation_heatmap(con, f).empty
    assert cadres_behind(con, f).empty
    assert attendance_detail(con, f).empty
    cover = council_coverage(con, f).iloc[0]
    assert cover["sessions"] == 0 and pd.isna(cover["seats_per_session"])
    assert cover["status"] == "none"  # no session: nothing fell short
    assert activity_highlights(con, f).iloc[0].tolist() == [0, 0, 0, 0]
    by_month = participation_by_group_month(con, f)
    assert (by_month["expected"] == 0).all()
    assert len(by_month) == (6 if f is EMPTY_QUARTER else 0)  # 2 groups × 3 months


def test_profile_link_keeps_the_period():
    f = filters(quarter=3, as_of=AS_OF)
    assert profile_url("Q1", "张三", f) == "profile?cadre=Q1&year=2025&quarter=3#张三"
    assert profile_url("Q 1", "李四", filters()) == "profile?cadre=Q%201&year=2025#李四"


def test_a_chart_selection_becomes_a_drill_with_its_description():
    from analytics.common.selection import drill_from_points

    assert drill_from_points("month", []) is None
    assert drill_from_points("group", [{"customdata": []}]) is None
    month_points = [
        {"customdata": ["第一学习小组", "2025-03-01"]},
        {"customdata": ["第二学习小组", "2025-03-01"]},
        {"customdata": ["第一学习小组", "2025-03-01"]},  # the same bar twice counts once
    ]
    drill = drill_from_points("month", month_points)
    assert drill["groups"] == ("第一学习小组", "第二学习小组")
    assert drill["months"] == (D(2025, 3, 1),)
    assert drill["source"] == "month" and drill["forms"] == () and drill["cadres"] == ()
    assert "第一学习小组、第二学习小组" in drill["text"] and "2025年3月" in drill["text"]
    grid = drill_from_points("grid", [{"customdata": ["A1", "张三"]}])  # a 全期 square
    assert grid["cadres"] == ("A1",) and grid["months"] == () and "张三" in grid["text"]


def test_a_box_over_a_rate_grid_picks_the_rows_and_months_it_covers():
    """plotly gives a box on category axes in index units (cell i spans i − 0.5 … i + 0.5);
    the 全期 column beside the months adds no month."""
    from analytics.common.selection import cells_in_box, drill_from_points
    from analytics.visual.participation_charts import GridAxes

    assert cells_in_box({"x": [-0.3, 0.97], "y": [4.99, 2.22]}, 6, 5) == (range(2, 6), range(0, 2))
    assert cells_in_box({"x": [3.6, 9.0], "y": [-2, 0.4]}, 6, 5) == (range(0, 1), range(4, 5))
    assert cells_in_box({"x": [], "y": []}, 6, 5) == (range(0), range(0))
    axes = GridAxes(rows=("A1", "A2", "A3"), labels=("张三", "李四", "王五"),
                    months=("2025-01-01", "2025-02-01"))  # fmt: skip
    drill = drill_from_points("grid", [], [{"x": [0.6, 2.4], "y": [0.8, 2.1]}], axes)
    assert drill["cadres"] == ("A2", "A3") and drill["months"] == (D(2025, 2, 1),)
    assert drill["text"] == "月份 2025年2月；干部 李四、王五"
    square = drill_from_points("grid", [{"customdata": ["A3"]}], axes=axes)  # as drawn
    assert square["cadres"] == ("A3",) and square["text"] == "干部 王五"
    rows_only = drill_from_points("grid", [], [{"x": [1.7, 2.2], "y": [0, 0]}], axes)
    assert rows_only["cadres"] == ("A1",) and rows_only["months"] == ()  # the 全期 column
    many = drill_from_points("month", [{"customdata": [g, g]} for g in "ABCDEF"])
    assert many["groups"] == tuple("ABCDEF") and many["text"] == "小组 A、B、C 等 6 项"


def test_a_secondee_is_shown_apart_and_does_not_pull_the_rate_down(con):
    """A2 on 挂职 from 1 June: P1 (全体, present) still counts, P2 (全体, 缺席) moves to 挂职期间;
    H3 and H4 are rosters (指定) and stay expected."""
    con.execute("INSERT INTO assignments VALUES ('A2', '挂职', '某街道', DATE '2025-06-01', NULL)")
    bump_data_version(con)
    row = participation_overview(con, F).iloc[0]
    assert (row["expected"], row["attended"], row["on_stint"]) == (26, 20, 1)
    assert row["rate"] == pytest.approx(20 / 26)
    groups = group_comparison(con, F).set_index("study_group")
    assert list(groups["on_stint"]) == [0, 1]
    behind = cadres_behind(con, F, threshold=1.0).set_index("cadre_id")
    assert behind.loc["A2", "on_stint"] == 1
    assert behind.loc["A2", "expected"] == 6  # H1 R1 P1 H3 R3 H4
