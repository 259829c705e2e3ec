"""季度座谈会 as a user meets it: the default quarter, 同比/环比, the narrative they edit, the
names that link to 干部档案, and the filters."""

import json

import pytest

from analytics.briefing.narrative import briefing_narrative
from analytics.common.filters import Filters
from analytics.generators.demo import AS_OF
from analytics.metrics.cadres import headcount
from tests.app.conftest import open_page

PAGE = "pages/forum.py"


@pytest.fixture(scope="module")
def q3_text(demo_con) -> str:
    return briefing_narrative(demo_con, Filters(year=2025, quarter=3, as_of=AS_OF)).text


@pytest.fixture(scope="module")
def q3_heads(demo_con) -> int:
    f = Filters(year=2025, quarter=3, as_of=AS_OF)
    return int(headcount(demo_con, f).iloc[0]["at_end"])


def text_area(at):
    (area,) = at.text_area
    return area


def test_default_is_the_last_complete_quarter_with_yoy_and_qoq(q3_text, q3_heads):
    at = open_page(PAGE)
    assert not at.exception
    period = at.selectbox(key="forum_quarter_2025_None")
    assert period.value == "2025年第3季度"
    assert period.options[0] == "2025年 年初至今"
    metrics = {m.label: m for m in at.metric}
    assert metrics["在岗青年干部"].value == f"{q3_heads} 人"
    assert any(h.value == "关键数据（箭头为同比）" for h in at.subheader)
    assert metrics["研学活动场次"].delta[0] in "+-"  # a change against last year
    assert any(c.value.startswith("环比") for c in at.caption)
    assert text_area(at).value == q3_text
    assert q3_text.startswith("2025年第3季度青年干部培养工作情况")
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 4
    assert {s.value for s in at.subheader} >= {
        "关键数据（箭头为同比）", "图表", "需要关注", "文字材料", "下载材料", "2025年第4季度应办事项",
    }  # fmt: skip


def test_the_key_figures_yoy_colour_follows_good_or_bad_news_not_the_sign():
    """The shared KPI card: more cadres is neither good nor bad (grey whatever the sign);
    more 调研报告 is good (green up, red down); no change has no arrow."""
    from streamlit.proto.Metric_pb2 import Metric as MetricProto

    at = open_page(PAGE)
    at.selectbox(key="forum_quarter_2025_None").set_value("2025年 年初至今").run()
    cards = {m.label: m for m in at.metric}
    assert cards["在岗青年干部"].proto.color == MetricProto.MetricColor.GRAY
    for card in cards.values():
        if card.delta in ("持平", "无同期数据"):
            assert card.proto.direction == MetricProto.MetricDirection.NONE, card.label
            continue
        assert card.delta[0] in "+-", (card.label, card.delta)
        if card.label != "在岗青年干部":
            good = MetricProto.MetricColor.GREEN if card.delta[0] == "+" else (
                MetricProto.MetricColor.RED)  # fmt: skip
            assert card.proto.color == good, (card.label, card.delta)
    assert cards["调研报告"].value.endswith(" 篇")  # every value has its unit


def test_year_to_date_states_the_work_reports_figures():
    at = open_page(PAGE)
    at.selectbox(key="forum_quarter_2025_None").set_value("2025年 年初至今").run()
    assert not at.exception
    text = text_area(at).value
    for phrase in (
        "将办公室82名青年干部划分为4个理论学习小组",
        "已组织3批次、11场次研学活动",
        "30名青年干部围绕“新质生产力”等主题开展座谈交流11场次",
        "撰写调研报告11篇",
        "形成高质量调研文章4篇",
    ):
        assert phrase in text
    assert any("年初至今无环比" in c.value for c in at.caption)


def test_the_narrative_is_editable_and_can_be_reset(q3_text):
    at = open_page(PAGE)
    text_area(at).input(q3_text + "\n补充一句。").run()
    assert not at.exception
    assert any("下载将使用修改后的版本" in i.value for i in at.info)
    at.button(key="forum_reset").click().run()
    assert text_area(at).value == q3_text
    assert not any("修改后的版本" in i.value for i in at.info)


def test_people_needing_attention_link_to_their_profile():
    at = open_page(PAGE)
    links = at.page_link
    assert 0 < len(links) <= 10
    first = links[0].proto
    assert first.page.endswith("profile") or "profile" in first.page
    assert "cadre=Q" in first.query_string
    cadre_id = first.query_string.split("cadre=")[1]
    assert f"（{cadre_id}）" in links[0].value


def test_the_sidebar_filters_apply_to_the_briefing():
    at = open_page(PAGE, group="第一学习小组", quarter="2")
    assert not at.exception
    assert at.selectbox(key="forum_quarter_2025_2").value == "2025年第2季度"
    assert text_area(at).value.startswith("2025年第2季度青年干部培养工作情况（第一学习小组）")


def test_a_past_year_defaults_to_its_fourth_quarter():
    at = open_page(PAGE, year="2024")
    assert not at.exception
    assert at.selectbox(key="forum_quarter_2024_None").value == "2024年第4季度"
    assert text_area(at).value.startswith("2024年第4季度")
