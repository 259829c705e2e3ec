"""The charts as a reader sees them: bar orientation and labels, whole-number ticks on counts,
one category palette without red or green, red only for bad news, the trend's two panels,
and the rate grids (one heatmap trace, a 全期 square per row, bands per 学习小组)."""

from __future__ import annotations

import colorsys
import datetime as dt

import pandas as pd
import pytest

from analytics.visual import charts, output_charts, participation_charts, quota_charts, style

D = dt.date


def hue_of(color: str) -> tuple[float, float, float]:
    """(hue in degrees, lightness, saturation) of a #RRGGBB colour."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, light, s


def is_red(color: str) -> bool:
    h, light, s = hue_of(color)
    return s > 0.35 and 0.15 < light < 0.85 and (h < 30 or h > 335)


def is_green(color: str) -> bool:
    h, light, s = hue_of(color)
    return s > 0.35 and 0.15 < light < 0.85 and 75 < h < 170


def bars(fig):
    return [trace for trace in fig.data if trace.type == "bar"]


COUNTS = pd.DataFrame({"form": ["导师领学", "座谈交流", "红色教育", "基层实践", "其他", "其他"],
                       "category": ["理论学习", "理论学习", "党性教育", "实践锻炼", "党性教育",
                                    "实践锻炼"],
                       "sessions": [42, 11, 4, 3, 1, 1]})  # fmt: skip


# ----- bars: horizontal and sorted, labels horizontal and hidden when they do not fit -----


def test_category_bars_are_horizontal_and_sorted_largest_on_top():
    fig = charts.bar_chart(COUNTS, "form", "sessions", color="category", sort=True)
    assert {trace.orientation for trace in bars(fig)} == {"h"}
    # plotly draws a category axis bottom-up: the array ends with the top bar.
    assert list(fig.layout.yaxis.categoryarray)[::-1] == ["导师领学", "座谈交流", "红色教育",
                                                          "基层实践", "其他"]  # fmt: skip
    per_capita = output_charts.per_capita_chart(
        pd.DataFrame({"unit": ["人事处", "督查处", "文电处"], "per_capita": [0.5, 2.5, 1.0],
                      "reports": [3, 5, 6], "cadres": [6, 2, 6]})
    )  # fmt: skip
    assert per_capita.data[0].orientation == "h"
    assert list(per_capita.layout.yaxis.categoryarray) == ["人事处", "文电处", "督查处"]
    breakdown = quota_charts.quota_breakdown_chart(
        pd.DataFrame({"unit": ["甲处", "乙处"], "v": [0.2, 0.6], "e": [0.3, 0.3],
                      "s": ["red", "green"]}), "unit", "v", "e", "s",
    )  # fmt: skip
    assert breakdown.data[0].orientation == "h"
    assert list(breakdown.layout.yaxis.categoryarray) == ["甲处", "乙处"]  # 乙处 on top


def test_no_label_is_ever_turned_or_shrunk_below_the_minimum():
    figures = [
        charts.bar_chart(COUNTS, "form", "sessions", color="category", sort=True),
        participation_charts.group_status_chart(
            pd.DataFrame(
                {
                    "study_group": ["一组", "二组"],
                    "expected": [100, 50],
                    "attended": [97, 40],
                    "on_leave": [2, 6],
                    "absent": [1, 4],
                }
            )
        ),  # fmt: skip
        output_charts.stacked_with_previous(
            pd.DataFrame(
                {
                    "quarter_label": ["第1季度", "第1季度"],
                    "type": ["调研报告", "征文"],
                    "reports": [3, 1],
                }
            ),
            pd.DataFrame({"quarter_label": ["第1季度"], "reports_last_year": [2]}),
        ),  # fmt: skip
    ]
    for fig in figures:
        assert fig.layout.uniformtext.mode == "hide"
        assert fig.layout.uniformtext.minsize >= 10
        assert fig.layout.xaxis.tickangle == 0 and fig.layout.yaxis.tickangle == 0
        for trace in bars(fig):
            if trace.text is not None and trace.textposition == "inside":
                assert trace.textangle == 0 and trace.insidetextanchor == "middle"


def test_a_stack_says_its_total_once_at_its_end():
    fig = charts.bar_chart(COUNTS, "form", "sessions", color="category", sort=True)
    totals = {a.y: a.text for a in fig.layout.annotations}
    assert totals["导师领学"] == "42" and totals["其他"] == "2"
    texts = {(trace.name, y): text for trace in bars(fig)
             for y, text in zip(trace.y, trace.text, strict=True)}  # fmt: skip
    assert texts[("理论学习", "导师领学")] == ""  # one segment: its total says it
    assert texts[("党性教育", "其他")] == "1"  # two segments: each says its own


# ----- counts tick in whole numbers -----


@pytest.mark.parametrize("top", [1, 3, 7, 12, 48, 950, 12_000])
def test_a_count_axis_steps_in_whole_numbers(top):
    axis = style.count_axis(top)
    assert isinstance(axis["dtick"], int) and axis["dtick"] >= 1
    assert axis["tickformat"] == ",d"
    assert 2 <= top / axis["dtick"] <= 6 or top <= 5


def test_every_count_chart_uses_whole_number_ticks():
    small = pd.DataFrame({"level": ["市直机关", "市直机关", "市级"],
                          "prize": ["一等奖", "二等奖", "优异成绩"], "awards": [2, 1, 1]})  # fmt: skip
    awards = output_charts.award_count_chart(small, "level", "awards", color="prize",
                                              orientation="v")  # fmt: skip
    assert awards.layout.yaxis.dtick == 1 and awards.layout.yaxis.tickformat == ",d"
    funnel = output_charts.funnel_bars(
        pd.DataFrame({"stage": ["提交", "采纳"], "reports": [48, 5], "share": [1.0, 0.1],
                      "level": ["stage", "outcome"]})
    )  # fmt: skip
    assert funnel.layout.xaxis.dtick == 10
    trend = charts.monthly_trend_chart(
        pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                      "activities": [3, 4], "activities_last_year": [2, 1],
                      "rate": [0.9, 0.8], "rate_last_year": [0.85, None]})
    )  # fmt: skip
    assert trend.layout.yaxis.dtick == 1 and trend.layout.yaxis.tickformat == ",d"


# ----- colours: one palette for categories, one meaning for red and green -----


def test_the_category_palette_holds_no_red_and_no_green():
    colours = [*style.PALETTE, *style.CATEGORY_COLORS.values(),
               *output_charts.REPORT_TYPE_COLORS.values(), *output_charts.PRIZE_COLORS.values(),
               *output_charts.LEVEL_COLORS.values()]  # fmt: skip
    assert not [c for c in colours if is_red(c) or is_green(c)]
    assert is_red(style.SEMANTIC["bad"]) and not is_red(style.SEMANTIC["good"])
    assert style.STATUS_COLORS["red"] == style.SEMANTIC["bad"]


def test_good_news_is_never_red():
    funnel = output_charts.funnel_bars(
        pd.DataFrame({"stage": ["提交", "领导批示", "采纳", "刊发"], "reports": [9, 2, 3, 1],
                      "share": [1.0, 0.2, 0.3, 0.1],
                      "level": ["stage", "outcome", "outcome", "outcome"]})
    )  # fmt: skip
    colours = dict(zip(funnel.data[0].y, funnel.data[0].marker.color, strict=True))
    for stage in ("领导批示", "采纳", "刊发"):
        assert colours[stage] == style.SEMANTIC["good"] and not is_red(colours[stage])
    status = participation_charts.group_status_chart(
        pd.DataFrame({"study_group": ["一组"], "expected": [10], "attended": [8],
                      "on_leave": [1], "absent": [1]}), names=("出席", "请假", "缺席")
    )  # fmt: skip
    by_name = {trace.name: trace.marker.color for trace in status.data}
    assert by_name["出席"] == style.SEMANTIC["good"] and is_red(by_name["缺席"])
    output = charts.bar_chart(pd.DataFrame({"type": ["调研报告", "征文"], "reports": [3, 2]}),
                              "type", "reports")  # fmt: skip
    assert not is_red(output.data[0].marker.color)


# ----- the trend: the rate in a panel of its own, above the bars -----


def test_the_trends_rate_line_never_runs_over_the_bars():
    trend = charts.monthly_trend_chart(
        pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                      "activities": [14, 9], "activities_last_year": [10, 12],
                      "rate": [0.95, 0.88], "rate_last_year": [0.9, 0.86]})
    )  # fmt: skip
    bars_domain, rate_domain = trend.layout.yaxis.domain, trend.layout.yaxis2.domain
    assert bars_domain[1] < rate_domain[0]  # a gap between the two panels
    assert trend.layout.yaxis2.overlaying is None
    assert {t.yaxis for t in trend.data if t.type == "scatter"} == {"y2"}


# ----- the grids: one heatmap trace, a square per row, bands per 学习小组 -----


def grid_cells(groups: dict[str, list[str]], months: int = 3) -> pd.DataFrame:
    rows = []
    row = 0
    for group, people in groups.items():
        for person in people:
            for m in range(1, months + 1):
                rows.append({"cadre_id": f"Q{row}", "label": person, "study_group": group,
                             "month": D(2025, m, 1), "expected": 4, "attended": 3 + (m == 1),
                             "rate": (3 + (m == 1)) / 4, "row": row})  # fmt: skip
            row += 1
    return pd.DataFrame(rows)


def test_the_cadre_grid_is_one_heatmap_and_a_square_per_row():
    cells = grid_cells({"第一学习小组": ["甲", "乙"], "第二学习小组": ["丙", "丁", "戊"]})
    fig = participation_charts.attendance_grid(cells)
    heat, squares = fig.data
    assert heat.type == "heatmap" and len(heat.z) == 5 and len(heat.z[0]) == 3
    assert squares.type == "scatter" and len(squares.y) == 5  # rows, not rows × months
    assert [list(c) for c in squares.customdata][:2] == [["Q0"], ["Q1"]]
    assert list(squares.y) == list(heat.y)  # the row's label: its place on the axis
    assert squares.marker.color[0] == pytest.approx(10 / 12)  # the row's whole period


def test_the_grid_scale_is_sequential_and_colour_blind_safe():
    fig = participation_charts.attendance_grid(grid_cells({"一组": ["甲"]}))
    scale = [tuple(stop) for stop in fig.data[0].colorscale]
    assert scale == [tuple(stop) for stop in style.RATE_SCALE]
    lightness = [hue_of(colour)[1] for _, colour in scale]
    assert lightness == sorted(lightness, reverse=True)  # light = low, dark = high
    hues = [hue_of(colour)[0] for _, colour in scale]
    assert max(hues) - min(hues) < 20  # one hue: no red–green
    assert not any(is_red(c) or is_green(c) for _, c in scale)


def test_the_grid_has_a_band_and_a_label_per_study_group():
    cells = grid_cells({"第一学习小组": ["甲", "乙"], "第二学习小组": ["丙", "丁", "戊"],
                        "第三学习小组": ["己"]})  # fmt: skip
    fig = participation_charts.attendance_grid(cells)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert sorted(s.y0 for s in lines) == [1.5, 4.5]  # between 乙|丙 and 戊|己
    shaded = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(s.y0, s.y1) for s in shaded] == [(-0.5, 1.5), (4.5, 5.5)]  # every other group
    labels = [a.text for a in fig.layout.annotations]
    assert [label.split("<br>")[0] for label in labels] == [
        "<b>第一学习小组</b>",
        "<b>第二学习小组</b>",
        "<b>第三学习小组</b>",
    ]
    assert labels[1].endswith("3 人")
    # Sorted by rate the groups interleave: no bands that would mislead.
    by_rate = cells.assign(row=cells["row"].map({0: 0, 1: 3, 2: 1, 3: 4, 4: 2, 5: 5}))
    unbanded = participation_charts.attendance_grid(by_rate)
    assert not unbanded.layout.shapes and not unbanded.layout.annotations


def test_hundreds_of_groups_by_month_are_a_grid_not_hundreds_of_bar_traces():
    months = pd.to_datetime(["2025-01-01", "2025-02-01"])
    frame = pd.DataFrame([{"study_group": f"组{g:03d}", "month": m, "rate": 0.9,
                           "expected": 10, "attended": 9} for g in range(40) for m in months])  # fmt: skip
    fig = participation_charts.group_month_chart(frame)
    assert [t.type for t in fig.data] == ["heatmap", "scatter"]
    assert len(fig.data[1].y) == 40
    axes = participation_charts.group_month_axes(frame)
    assert axes.rows[:2] == ("组000", "组001") and axes.months == ("2025-01-01", "2025-02-01")
    few = frame[frame["study_group"].isin(["组000", "组001"])]
    assert participation_charts.group_month_axes(few) is None
    assert {t.type for t in participation_charts.group_month_chart(few).data} == {"bar"}


def test_a_city_of_groups_shows_the_lowest_participation_first_and_says_so():
    # 200 groups made the 出勤构成 chart 12,000 px tall; past GROUP_STATUS_MAX it shows the
    # groups a leader acts on (lowest 参与率 first) and its title says how many there are.
    n = participation_charts.GROUP_STATUS_MAX + 10
    groups = pd.DataFrame(
        {
            "study_group": [f"第{i}组" for i in range(n)],
            "expected": [100] * n,
            "attended": [100 - i for i in range(n)],  # the last groups are the weakest
            "on_leave": [0] * n,
            "absent": [i for i in range(n)],
        }
    )
    fig = participation_charts.group_status_chart(groups, title="各小组出勤构成")
    shown = list(fig.layout.yaxis.categoryarray)
    assert len(shown) == participation_charts.GROUP_STATUS_MAX
    assert shown[0] == f"第{n - 1}组" and f"第{n - 1}组" in shown and "第0组" not in shown
    limit = participation_charts.GROUP_STATUS_MAX
    assert f"参与率最低的 {limit} 个小组（共 {n} 个" in fig.layout.title.text
    few = participation_charts.group_status_chart(groups.head(5), title="各小组出勤构成")
    assert len(few.layout.yaxis.categoryarray) == 5 and few.layout.title.text == "各小组出勤构成"
