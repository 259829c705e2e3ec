"""The margins reserved for tick labels before the browser draws (analytics/visual/room.py):
wide enough that plotly's automargin need not draw a chart twice, on the charts' own axes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from analytics.visual import charts, output_charts, participation_charts, room, style

SIZE = style.FONT_SIZE


def test_a_long_category_name_gets_its_width_on_the_left() -> None:
    long = "市委办公室综合调研处第一学习小组"
    fig = go.Figure(go.Bar(x=[3, 1], y=[long, "二组"], orientation="h"))
    style.layout(fig, "各组")
    assert fig.layout.margin.l >= len(long) * SIZE  # every character is a CJK em
    assert fig.layout.margin.l <= len(long) * SIZE + 40  # and not much more


def test_lines_of_a_wrapped_label_count_once_each() -> None:
    wrapped = style.wrapped("市委办公室综合调研处第一学习小组", 8)  # two lines of 8
    assert room.text_width(wrapped, SIZE) == 8 * SIZE
    one_line = go.Figure(go.Bar(x=["甲"], y=[1]))
    two_lines = go.Figure(go.Bar(x=[wrapped], y=[1]))
    style.layout(one_line)
    style.layout(two_lines)
    assert two_lines.layout.margin.b - one_line.layout.margin.b >= SIZE


def test_markup_and_entities_take_the_room_of_what_shows() -> None:
    assert room.text_width("<b>A&amp;B</b>", 10) == room.text_width("A&B", 10)


def test_a_value_axis_gets_the_room_of_its_largest_label() -> None:
    small = go.Figure(go.Bar(x=["甲", "乙"], y=[3, 4]))
    large = go.Figure(go.Bar(x=["甲", "乙"], y=[300_000, 4]))
    for fig, top in ((small, 4), (large, 300_000)):
        fig.update_yaxes(**style.count_axis(top))  # as the app's counts are drawn
        style.layout(fig)
    # "300,000" against "4": six characters more
    assert large.layout.margin.l - small.layout.margin.l >= int(6 * room.NARROW_EM * SIZE)


def test_stacked_bars_are_measured_by_their_total() -> None:
    fig = go.Figure([go.Bar(x=["甲"], y=[600], name="a"), go.Bar(x=["甲"], y=[600], name="b")])
    fig.update_layout(barmode="stack")
    style.layout(fig)
    assert fig.layout.margin.l >= room.text_width("1,200", SIZE)  # the axis reaches 1,200


def test_percent_axes_are_measured_as_percent() -> None:
    fig = go.Figure(go.Bar(x=["甲"], y=[0.95]))
    fig.update_yaxes(tickformat=".1%")
    style.layout(fig)
    assert fig.layout.margin.l >= room.text_width("95.0%", SIZE)


def test_a_legend_below_adds_its_rows_to_the_foot() -> None:
    one = go.Figure([go.Bar(x=["甲"], y=[1], name=n) for n in ("出席", "请假")])
    many = go.Figure([go.Bar(x=["甲"], y=[1], name=f"第{i}类成果名称较长") for i in range(8)])
    style.layout(one)
    style.layout(many)
    assert room.legend_rows(one) == 1 and room.legend_rows(many) > 2
    assert many.layout.margin.b - one.layout.margin.b >= 2 * room.LEGEND_ROW


def test_margins_never_shrink_below_what_a_builder_set() -> None:
    fig = go.Figure(go.Bar(x=[1], y=["甲"], orientation="h"))
    fig.update_layout(margin={"l": 300, "r": 120})
    room.reserve_label_room(fig, SIZE, legend=False)
    assert (fig.layout.margin.l, fig.layout.margin.r) == (300, 120)


def test_the_app_charts_reserve_room_for_their_labels() -> None:
    """The builders' own figures: the rows' names on the left, months on top of the grid."""
    groups = [f"第{i}学习小组" for i in range(1, participation_charts.GROUP_BARS_MAX + 2)]
    by_unit = pd.DataFrame({"unit": groups, "per_capita": [1.2] * len(groups),
                            "reports": 3, "cadres": 4})  # fmt: skip
    fig = output_charts.per_capita_chart(by_unit, title="学习小组人均成果")
    assert fig.layout.margin.l >= room.text_width(groups[-1], SIZE)
    months = pd.date_range("2025-01-01", periods=12, freq="MS").date
    cells = pd.DataFrame({
        "study_group": [g for g in groups for _ in months],
        "month": [m for _ in groups for m in months],
        "expected": 10, "attended": 8, "rate": 0.8,
    })  # fmt: skip
    grid = participation_charts.group_month_chart(cells, threshold=0.8, title="月度")
    assert grid.layout.xaxis.side == "top"
    assert grid.layout.margin.l >= room.text_width(groups[-1], SIZE)
    trend = charts.monthly_trend_chart(pd.DataFrame({
        "month": [dt.date(2025, m, 1) for m in (1, 2)], "activities": [3, 4],
        "activities_last_year": [2, 5], "rate": [0.8, 0.9], "rate_last_year": [0.7, 0.8],
    }))  # fmt: skip
    assert trend.layout.margin.l >= room.text_width("5", SIZE) + room.TITLE_ROOM  # 活动场次


def test_an_axis_whose_values_are_not_numbers_is_left_to_automargin() -> None:
    fig = go.Figure(go.Bar(x=["甲", "乙"], y=["一", "二"]))
    fig.update_yaxes(type="linear")  # told linear, given text: nothing to estimate, no error
    style.layout(fig)
    assert fig.layout.yaxis.automargin is True
    assert fig.layout.margin.l == 10
