"""The 学习参与 page as a user meets it: the work report's figures, filters, the threshold slider."""

import json
import re

import pandas as pd
import pytest

from analytics.generators.demo import AS_OF
from analytics.semantic.rules import EXPECTED_RULE
from tests.app.conftest import metrics, open_page, visible
from ui.widgets import TABLE_ROWS_SHOWN

PAGE = "pages/participation.py"


def charts(at):
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def tables(at):
    return [df.value for df in at.dataframe]


def detail_count(at) -> int:
    counts = [re.fullmatch(r"共 ([\d,]+) 条记录", c.value) for c in at.caption]
    (match,) = [m for m in counts if m]
    return int(match.group(1).replace(",", ""))


@pytest.fixture
def year_2025():
    return open_page(PAGE, year="2025")


def test_the_work_reports_figures_for_2025(year_2025):
    at = year_2025
    assert not at.exception
    shown = metrics(at)
    assert shown["在岗青年干部"] == "82"
    assert shown["理论学习小组"] == "4"
    assert shown["研学活动批次"] == "3"
    assert shown["研学活动场次"] == "11"
    assert shown["座谈交流场次"] == "11"
    assert shown["座谈交流参与人数"] == "30"
    assert shown["每场列席人数"] == "2"


def test_the_group_comparison_comes_first_and_states_the_rule(year_2025):
    at = year_2025
    assert at.subheader[0].value == "各学习小组参与对比"
    first = charts(at)[0]
    groups = first["data"][0]["y"]
    assert groups == ["第一学习小组", "第二学习小组", "第三学习小组", "第四学习小组"]
    assert [trace["name"] for trace in first["data"]] == ["出席", "请假", "缺席（含未登记）"]
    group_table = tables(at)[0]
    assert group_table["学习小组"].tolist() == groups
    assert group_table["在岗人数"].sum() == 82
    assert any(EXPECTED_RULE in visible(md.value) for md in at.markdown)
    # With nothing selected the detail table holds every expected row the groups add up to.
    assert detail_count(at) == group_table["应参加人次"].sum()
    # The browser gets the first 500 of them; the note under the table gives the total.
    assert len(tables(at)[-1]) == min(detail_count(at), TABLE_ROWS_SHOWN)
    shown = f"共 {detail_count(at):,} 行，表格只显示前 {TABLE_ROWS_SHOWN} 行"
    assert any(shown in c.value for c in at.caption)


def test_each_table_downloads_as_csv_and_xlsx(year_2025):
    labels = [b.label for b in year_2025.get("download_button")]
    assert labels.count("下载 CSV") == labels.count("下载 Excel") >= 10


def test_group_and_quarter_filters_narrow_every_section():
    at = open_page(PAGE, year="2025", quarter="3", group="第一学习小组")
    assert not at.exception
    assert "2025年第3季度" in at.caption[0].value
    assert metrics(at)["在岗青年干部"] == "21"
    assert metrics(at)["理论学习小组"] == "1"
    group_table = tables(at)[0]
    assert group_table["学习小组"].tolist() == ["第一学习小组"]
    month_chart = charts(at)[1]
    bars = [t for t in month_chart["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["第一学习小组"]
    assert bars[0]["x"] == ["7月", "8月", "9月"]
    detail = tables(at)[-1]
    assert set(detail["学习小组"]) == {"第一学习小组"}
    days = pd.to_datetime(detail["日期"])
    assert days.min() >= pd.Timestamp(2025, 7, 1) and days.max() <= pd.Timestamp(2025, 9, 30)
    assert detail_count(at) == group_table["应参加人次"].sum() < 3057
    assert set(detail["出勤"]) <= {"出席", "请假", "缺席", "未登记"}


def test_the_threshold_slider_moves_who_is_flagged():
    at = open_page(PAGE, year="2025")

    def flagged() -> int:
        notes = [w.value for w in at.warning if "名青年干部需要关注" in w.value]
        return int(notes[0].split(" ")[0]) if notes else 0

    at_default = flagged()
    assert at_default > 0
    assert at.slider(key="participation_threshold").value == 0.8
    at.slider(key="participation_threshold").set_value(0.5).run()
    assert not at.exception
    assert flagged() < at_default
    at.slider(key="participation_threshold").set_value(1.0).run()
    assert flagged() > at_default
    at.number_input(key="participation_weeks").set_value(2).run()
    assert not at.exception


def test_the_heatmap_can_be_ordered_by_rate():
    at = open_page(PAGE, year="2025", group="第三学习小组")
    grid_by_group = charts(at)[3]["data"][0]
    at.radio(key="participation_heatmap_sort").set_value("rate").run()
    assert not at.exception
    grid_by_rate = charts(at)[3]["data"][0]
    assert sorted(grid_by_group["y"]) == sorted(grid_by_rate["y"])
    assert grid_by_group["y"][0] != grid_by_rate["y"][0]
    # The lowest attender heads the grid and the 落后 list alike (both ordered by rate).
    behind = next(df for df in tables(at) if "提醒原因" in df.columns)
    lowest = behind["姓名（档案）"].iloc[0].split("#", 1)[1]
    assert grid_by_rate["y"][0] == lowest


@pytest.mark.parametrize("query", [{"year": "2025"}, {"year": "2025", "quarter": "1"}])
def test_the_mentor_grid_note_says_whether_a_turn_was_missed(demo_con, query):
    from analytics.common.filters import Filters
    from analytics.metrics.rotation import mentor_grid

    at = open_page(PAGE, **query)
    f = Filters(year=2025, quarter=int(query["quarter"]) if "quarter" in query else None,
                as_of=AS_OF)  # fmt: skip
    missed = bool(mentor_grid(demo_con.cursor(), f)["missing"].any())
    captions = [c.value for c in at.caption]
    note = "标“⚠ 未轮值”的月份没有登记轮值导师（该月通常也没有导师领学）。"
    none = "所选期间各小组每月均有轮值导师。"
    assert (note in captions, none in captions) == (missed, not missed)


def test_a_year_after_no_data_says_无同期数据_on_every_card_not_a_change_from_zero():
    """2024 is the demo's first year: 2023 holds no record, so no card may read "+82" or
    "+4,000.0 学时" against it (comparison.YOY_RULE)."""
    at = open_page(PAGE, year="2024")
    assert not at.exception
    compared = [m for m in at.metric if m.delta]
    assert len(compared) >= 8  # the four group cards and the four activity-mix cards
    assert {m.delta for m in compared} == {"无同期数据"}
    at = open_page(PAGE, year="2025")  # a year with a year before it still compares
    assert any(m.delta and m.delta[0] in "+-" for m in at.metric)


def test_the_group_month_table_shows_months_not_their_first_days(year_2025):
    (months,) = [df for df in year_2025.dataframe if "月份" in df.value.columns]
    config = json.loads(months.proto.columns)["月份"]
    assert config["type_config"]["format"] == "YYYY年M月"  # 2025年1月, not 2025-01-01
