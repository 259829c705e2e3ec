"""The overview and the shared filters, as a user meets them through the app."""

import pytest

from tests.app.conftest import metrics, open_page


def test_overview_shows_the_work_reports_headcount_in_chinese():
    at = open_page()
    assert not at.exception
    shown = metrics(at)
    assert shown["在岗青年干部"] == "82"
    assert shown["竞赛获奖"] == "4"
    assert any("数据截至 2025年11月30日" in c.value for c in at.sidebar.caption)
    assert at.query_params["year"] == ["2025"] or at.query_params["year"] == "2025"


@pytest.mark.parametrize(
    "query",
    [
        {"year": "2024"},
        {"year": "2025", "quarter": "3"},
        {"year": "2025", "group": "第一学习小组"},
        {"year": "2025", "quarter": "4", "division": "秘书一处", "group": "第二学习小组"},
        {"year": "2024", "quarter": "1", "division": "督查处"},
    ],
)
def test_overview_runs_for_filter_combinations(query):
    at = open_page(**query)
    assert not at.exception
    assert len(at.metric) == 10
    assert not at.warning or all("无效" not in w.value for w in at.warning)


def test_query_parameters_set_the_widgets():
    at = open_page(year="2024", quarter="2", group="第三学习小组", division="秘书二处")
    assert at.selectbox(key="f_year").value == 2024
    assert at.selectbox(key="f_quarter").value == 2
    assert at.selectbox(key="f_group").value == "第三学习小组"
    assert at.selectbox(key="f_division").value == "秘书二处"


def test_widgets_set_the_query_parameters_and_the_numbers_follow():
    at = open_page()
    whole = metrics(at)["在岗青年干部"]
    at.selectbox(key="f_group").set_value("第一学习小组").run()
    at.selectbox(key="f_quarter").set_value(3).run()
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params == {"year": "2025", "quarter": "3", "group": "第一学习小组"}
    assert metrics(at)["在岗青年干部"] == "21" != whole
    at.selectbox(key="f_group").set_value(None).run()
    assert "group" not in at.query_params


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"year": "abc"}, "year=abc"),
        ({"group": "第九学习小组"}, "group=第九学习小组"),
        ({"quarter": "7"}, "quarter=7"),
    ],
)
def test_an_invalid_parameter_is_ignored_with_a_visible_note(query, shown):
    at = open_page(**query)
    assert not at.exception
    notes = [w.value for w in at.warning]
    assert any(shown in n and "无效" in n for n in notes)
    assert metrics(at)["在岗青年干部"] == "82"  # the rest of the view still works


def test_every_card_carries_its_counting_rule_and_the_note_repeats_nothing():
    """The 调研成果 card says it counts every type (48, where the report counts 11 调研报告); the
    activity cards say that office-wide activities count in every group."""
    at = open_page()
    helps = {m.label: m.help or "" for m in at.metric}
    assert len(helps) == 10 and all(helps.values())
    assert "心得体会" in helps["调研成果"] and "征文" in helps["调研成果"]
    assert "全体活动计入每个小组" in helps["党性教育活动"]
    assert "挂职" in helps["活动参与率"]
    note = at.expander[-1].markdown[0].value
    sentences = [s for s in note.split("。") if s]
    assert len(sentences) == len(set(sentences))
    assert "无同期数据" in note
