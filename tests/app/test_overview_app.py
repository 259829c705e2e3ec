"""The overview and the shared filters, as a user meets them through the app."""

import pytest

from analytics.access.auth import Role
from tests.app.conftest import metrics, open_page


def test_overview_shows_the_work_reports_headcount_in_chinese():
    at = open_page()
    assert not at.exception
    shown = metrics(at)
    assert shown["在岗青年干部"] == "82 人"
    assert shown["竞赛获奖"] == "4 项"
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
    assert metrics(at)["在岗青年干部"] == "21 人" != whole
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
    assert metrics(at)["在岗青年干部"] == "82 人"  # the rest of the view still works


# ----- the first screen answers "how are we doing" (issue 19) -----


def _verdict(at) -> str:
    (line,) = [m.value for m in at.markdown if "项年度指标" in m.value]
    return line


def test_the_verdict_counts_the_quotas_the_quota_page_rates(demo_con):
    import datetime as dt

    from analytics.common.filters import Filters
    from analytics.metrics.quotas import quota_compliance

    at = open_page()
    statuses = quota_compliance(demo_con.cursor(), Filters(year=2025, as_of=dt.date(2025, 11, 30)))[
        "status"
    ].tolist()
    line = _verdict(at)
    rated = [s for s in statuses if s != "none"]
    assert f"{len(rated)} 项年度指标" in line
    for status, word in (("green", "达标"), ("amber", "接近"), ("red", "落后")):
        assert f"{statuses.count(status)} 项{word}" in line
    # the three worst come first, each with its gap; the rest fold away
    shown = [e.value for e in at.error] + [w.value for w in at.warning]
    assert len([s for s in shown if "（差 " in s]) >= 3
    assert any(e.label.startswith("其余 ") for e in at.expander)


def test_the_scope_says_period_group_division_and_the_roles_restriction():
    at = open_page(quarter="3", division="督查处")
    (scope,) = [c.value for c in at.caption if c.value.startswith("统计范围")]
    assert "2025年7月1日至2025年9月30日" in scope
    assert "学习小组：全部" in scope and "处室：督查处" in scope
    assert "管理员（全部数据）" in scope
    at.selectbox(key="demo_role").set_value(Role.MENTOR).run()
    (scope,) = [c.value for c in at.caption if c.value.startswith("统计范围")]
    assert "学习小组：第一学习小组" in scope and "小组导师，仅限第一学习小组" in scope


def _card(at, label):
    (card,) = [m for m in at.metric if m.label == label]
    return card


def test_the_yoy_colour_follows_good_or_bad_news_not_the_sign():
    from streamlit.proto.Metric_pb2 import Metric as MetricProto

    at = open_page()
    rotation = _card(at, "轮岗交流占比")  # up on last year: good news, though still 落后
    assert rotation.delta.startswith("+")
    assert rotation.proto.color == MetricProto.MetricColor.GREEN
    rate = _card(at, "活动参与率")  # higher is better: green up, red down
    assert rate.delta[0] in "+-"
    expected = (
        MetricProto.MetricColor.GREEN if rate.delta[0] == "+" else MetricProto.MetricColor.RED
    )
    assert rate.proto.color == expected
    heads = _card(at, "在岗青年干部")  # more cadres is neither good nor bad
    assert heads.proto.color == MetricProto.MetricColor.GRAY


def test_a_year_with_no_records_a_year_earlier_says_so_without_an_arrow():
    from streamlit.proto.Metric_pb2 import Metric as MetricProto

    at = open_page(year="2024")
    for card in at.metric:
        assert card.delta == "无同期数据", card.label
        assert card.proto.direction == MetricProto.MetricDirection.NONE


def test_leaving_the_mentor_role_gives_back_every_group():
    at = open_page()
    at.selectbox(key="demo_role").set_value(Role.MENTOR).run()
    assert at.selectbox(key="f_group").value == "第一学习小组"
    at.selectbox(key="demo_role").set_value(Role.ADMIN).run()
    assert not at.exception
    assert at.selectbox(key="f_group").value is None
    assert "group" not in at.query_params
    assert metrics(at)["在岗青年干部"] == "82 人"


def test_a_figure_shown_without_a_comparison_has_no_change_line():
    at = open_page("pages/participation.py")
    assert not at.exception
    council = _card(at, "中心组学习场次")
    assert not council.delta  # nothing to compare with was asked for: no 无同期数据 either
    at = open_page("pages/quotas.py")
    assert not _card(at, "跨处室轮岗、专项工作占比").delta


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
