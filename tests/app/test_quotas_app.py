"""指标达成 as a user meets it: the demo year's quotas, the filters, the breakdown, the lists,
and the targets editor writing through to DuckDB."""

from __future__ import annotations

import pytest

from analytics.semantic.rules import DENOMINATOR_RULE
from tests.app.conftest import metrics, number_input, open_page, query, visible

PAGE = "pages/quotas.py"
ROTATION = "跨处室轮岗、专项工作占比"


# The page's tables in the order it draws them (display-only tables carry no key in AppTest).
SUMMARY, BREAKDOWN, HOURS, POOL, REPORTS, MENTORS = range(6)


def table(at, index):
    return at.dataframe[index].value


def summary(at):
    """The compliance table, indexed by the quota's name."""
    return table(at, SUMMARY).set_index("指标")


def test_demo_2025_is_part_way_met_with_some_quotas_behind():
    at = open_page(PAGE)
    assert not at.exception
    shown = metrics(at)
    assert shown[ROTATION] == "23.8%"
    assert shown["挂职锻炼占比"] == "13.1%"
    assert shown["人均专业培训学时"] == "51.1 学时"
    quotas = summary(at)
    assert len(quotas) == 8
    assert quotas.loc[ROTATION, "进度目标"] == "27.5%"
    assert quotas.loc["人均专业培训学时", "进度目标"] == "52.4 学时"
    assert quotas.loc[ROTATION, "状态"] == "落后"
    assert quotas.loc["青年干部座谈会（次）", "状态"] == "达标"
    assert quotas.loc["政治能力提升报告（份）", "计算依据"] == "已交 212 份 / 已到期 240 人次"
    rules = " ".join(e.proto.label + " ".join(m.value for m in e.markdown) for e in at.expander)
    assert DENOMINATOR_RULE[:20] in rules
    lists = [t.label for t in at.tabs]
    assert lists == ["学时落后", "轮岗挂职储备", "报告缺交", "导师未配齐"]
    behind = table(at, HOURS)
    assert len(behind) > 0 and (behind["hours"] < behind["hours_expected"]).all()


@pytest.mark.parametrize(
    "query",
    [
        {"year": "2024"},
        {"year": "2025", "quarter": "2"},
        {"year": "2025", "group": "第三学习小组"},
        {"year": "2025", "quarter": "4", "division": "秘书一处", "group": "第二学习小组"},
        {"year": "2024", "quarter": "1", "division": "督查处"},
    ],
)
def test_quotas_run_for_filter_combinations(query):
    at = open_page(PAGE, **query)
    assert not at.exception
    assert len(summary(at)) == 8
    assert len(at.metric) == 8


def test_a_scope_with_no_cadres_shows_an_empty_state():
    at = open_page(PAGE, year="2025", division="机关党委", group="第三学习小组")
    assert not at.exception
    assert metrics(at)[ROTATION] == "—"
    assert summary(at).loc[ROTATION, "状态"] == "—"
    assert "所选范围内没有在岗青年干部。" in [i.value for i in at.info]
    assert "没有需要落实的人员。" in [s.value for s in at.success]


def test_filters_change_the_numbers():
    at = open_page(PAGE, year="2025", group="第三学习小组")
    assert metrics(at)[ROTATION] == "15.0%"  # 3 of the group's 20 cadres in post this year
    at = open_page(PAGE, year="2025", quarter="1")
    assert "年初至 2025年3月31日" in at.caption[0].value
    assert summary(at).loc["青年干部座谈会（次）", "计算依据"] == "已召开 1 次 / 已结束 1 个季度"


def test_breakdown_switches_dimension_and_quota():
    at = open_page(PAGE)
    units = table(at, BREAKDOWN)
    assert units.columns[0] == "处室" and len(units) == 12
    at.segmented_control(key="quotas_breakdown_by").set_value("study_group").run()
    units = table(at, BREAKDOWN)
    assert list(units["学习小组"]) == [
        "第一学习小组",
        "第二学习小组",
        "第三学习小组",
        "第四学习小组",
    ]
    assert units.loc[2, ROTATION] == "15.0%（落后）"
    at.selectbox(key="quotas_breakdown_metric").set_value("training_hours_per_cadre").run()
    assert not at.exception


def test_planning_pool_follows_n_years():
    at = open_page(PAGE)
    two = len(table(at, POOL))
    at.number_input(key="quotas_pool_years").set_value(1).run()
    one = len(table(at, POOL))
    assert one > two > 0  # a shorter window leaves more cadres without a recent stint


def stored(path, metric):
    return query(path, "SELECT value FROM targets WHERE year = 2025 AND metric = ?", [metric])[0][0]


def test_editing_a_target_saves_it_and_the_status_follows(own_db):
    at = open_page(PAGE)
    assert summary(at).loc[ROTATION, "状态"] == "落后"
    field = number_input(at, f"{ROTATION}（%）")
    assert field.value == 30
    field.set_value(20)
    at.button(key="FormSubmitter:quotas_targets_2025-保存目标").click().run()
    assert not at.exception
    assert summary(at).loc[ROTATION, "状态"] == "达标"
    assert summary(at).loc[ROTATION, "目标"] == "每年 20%"
    assert [t.value for t in at.toast] == ["2025 年度目标已保存。"]
    # The write went to DuckDB; refuse a share above 100 % in Chinese and keep the old value.
    number_input(at, f"{ROTATION}（%）").set_value(120)
    number_input(at, "专业培训学时（学时/人/年）").set_value(-5)
    at.button(key="FormSubmitter:quotas_targets_2025-保存目标").click().run()
    errors = [visible(e.value) for e in at.error]
    assert any("0 到 100" in e for e in errors)
    assert any("专业培训学时（学时/人/年）”不能为负数" in e for e in errors)
    assert summary(at).loc[ROTATION, "目标"] == "每年 20%"
    assert stored(own_db, "rotation_share") == 0.2


def test_a_year_without_targets_of_its_own_shows_the_defaults_until_saved(own_db):
    query(own_db, "DELETE FROM targets WHERE year = 2025 AND NOT starts_with(metric, 'points:')")
    at = open_page(PAGE)
    assert not at.exception
    shown = summary(at)
    assert shown.loc[ROTATION, "目标"] == "每年 30%（默认）"
    assert shown.loc["人均专业培训学时", "目标"] == "每人每年 60 学时（默认）"
    assert shown.loc[ROTATION, "状态"] == "落后"  # measured against the default, not "未设置"
    assert any("标“默认”的指标本年度尚未设置" in c.value for c in at.caption)
    number_input(at, f"{ROTATION}（%）（默认）").set_value(20)
    at.button(key="FormSubmitter:quotas_targets_2025-保存目标").click().run()
    assert not at.exception
    assert summary(at).loc[ROTATION, "目标"] == "每年 20%"
    assert summary(at).loc["人均专业培训学时", "目标"] == "每人每年 60 学时"  # saved as its own
    assert stored(own_db, "training_hours_per_cadre") == 60
    assert number_input(at, f"{ROTATION}（%）").value == 20


def test_a_coverage_card_states_its_target_and_no_pace_a_paced_one_both():
    at = open_page(PAGE)
    captions = [c.value for c in at.caption]
    # 导师配备 is a state, compared with the full target at any date (COVERAGE_RULE).
    assert any(c.startswith("目标 100.0% :") for c in captions), captions
    assert not any(c.startswith("目标 100.0% · 进度") for c in captions)
    assert any(c.startswith("目标 30.0% · 进度 27.5%") for c in captions)  # 轮岗: paced
