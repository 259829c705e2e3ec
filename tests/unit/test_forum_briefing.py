"""季度座谈会: periods, figures, quotas, attention, next-quarter actions and the narrative, exact,
on a database small enough to count by hand. Every figure in the text is checked twice: against
the hand count and against the metric it comes from."""

import pandas as pd
import pytest

from analytics.briefing.figures import (
    briefing_figures,
    briefing_pack,
    briefing_quarters,
    cadres_needing_attention,
    default_briefing_quarter,
    last_complete_quarter,
    next_quarter,
    next_quarter_actions,
)
from analytics.briefing.narrative import (
    awards_sentence,
    briefing_narrative,
    narrative_facts,
    period_name,
)
from analytics.common.selection import rows_matching, selection_values
from analytics.metrics.activities import activities_in_scope
from analytics.metrics.cadres import headcount
from analytics.metrics.participation import activity_highlights
from analytics.metrics.quotas import quota_by_cadre, quota_compliance
from analytics.semantic.scope import awards_in_scope, reports_in_scope
from analytics.store.models import Assessment, Mentorship
from tests.factories import (
    D,
    activity,
    award,
    cadre,
    course,
    database,
    filters,
    present,
    report,
    stint,
    target,
)  # fmt: skip

AS_OF = D(2025, 11, 30)


def research(aid, day, group, batch):
    return activity(aid, day, form="研学活动", scope="小组", organizer_group=group, batch=batch)


def talk(aid, day, theme):
    return activity(aid, day, form="座谈交流", scope="指定", theme=theme)


def seat(aid, day):
    return activity(aid, day, form="列席旁听", scope="指定", hours=3)


@pytest.fixture
def con():
    return database(
        [
            cadre("A1", group="一组"),
            cadre("A2", group="一组"),
            cadre("A3", group="二组", division="督查处"),
            cadre("A4", group="二组", leave_date=D(2025, 3, 31)),
            research("R1", D(2025, 3, 10), "一组", "第一批"),
            research("R2", D(2025, 4, 10), "二组", "第一批"),
            research("R3", D(2025, 9, 10), "一组", "第二批"),
            talk("T1", D(2025, 5, 20), "新质生产力"),
            talk("T2", D(2025, 6, 20), "新质生产力"),
            talk("T3", D(2025, 9, 22), "青年干部成长"),
            present("T1", "A1"),
            present("T1", "A2"),
            present("T1", "A3", status="请假"),
            present("T2", "A2"),
            present("T2", "A3"),
            present("T3", "A1"),
            seat("L1", D(2025, 4, 8)),
            seat("L2", D(2025, 10, 8)),
            present("L1", "A1", role="列席", hours=3),
            present("L1", "A3", role="列席", hours=3),
            present("L2", "A2", role="列席", hours=3),
            present("L2", "A3", role="列席", hours=3),
            activity("P1", D(2025, 5, 5), category="党性教育", form="红色教育",
                     title="参观红色纪念馆"),
            activity("P2", D(2025, 5, 6), category="党性教育", form="红色教育",
                     title="参观革命旧址"),
            activity("W1", D(2025, 7, 7), category="党性教育", form="警示教育",
                     title="观看警示片"),
            activity("X1", D(2025, 6, 6), category="实践锻炼", form="基层实践", scope="指定",
                     title="产业观摩"),
            present("X1", "A1", hours=6),
            report("B1", D(2025, 6, 1), "A1", theme="发展", outcome="领导批示"),
            report("B2", D(2025, 8, 1), "A2", theme="民生"),
            report("B3", D(2025, 2, 1), "A3", type="调研文章", source="回乡见闻"),
            report("B4", D(2025, 2, 2), "A3", type="调研文章", source="专题调研"),
            report("B5", D(2025, 3, 1), "A2", type="心得体会", source="理论学习"),
            award("J1", D(2025, 6, 20), ["A1"], competition="演讲比赛甲", category="理论组"),
            award("J2", D(2025, 6, 20), ["A2", "A3"], competition="演讲比赛甲",
                  category="演艺组", prize="二等奖"),
            award("J3", D(2025, 9, 18), ["A3"], competition="述讲比赛乙", work="《作品乙》"),
            award("J4", D(2025, 10, 24), ["A1"], competition="宣讲大赛丙", prize="优异成绩",
                  work="《作品丙》", level="市级"),
            stint("A3", "专项工作", D(2025, 5, 1), D(2025, 7, 31)),
            course("A1", D(2025, 3, 1), 60),
            Assessment(cadre_id="A1", period="2025Q1", type="政治能力提升报告", result="提交"),
            Assessment(cadre_id="A2", period="2025Q1", type="政治能力提升报告", result="提交"),
            Assessment(cadre_id="A3", period="2025Q1", type="政治能力提升报告", result="提交"),
            Assessment(cadre_id="A1", period="2025Q2", type="政治能力提升报告", result="提交"),
            Assessment(cadre_id="A2", period="2025Q2", type="政治能力提升报告", result="未提交"),
            Mentorship(cadre_id="A1", mentor_name="周处长", mentor_type="业务导师",
                       start_date=D(2025, 3, 1)),
            target("training_hours_per_cadre", 2025, 60),
            target("rotation_share", 2025, 0.3),
            target("secondment_share", 2025, 0.2),
            target("political_reports_per_quarter", 2025, 1),
            target("business_mentor_share", 2025, 1),
            target("forums_per_quarter", 2025, 1),
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2025, 11, 30), (2025, 3)),
        (D(2025, 9, 30), (2025, 3)),
        (D(2025, 10, 1), (2025, 3)),
        (D(2025, 12, 31), (2025, 4)),
        (D(2025, 2, 10), (2024, 4)),
        (D(2025, 3, 31), (2025, 1)),
    ],
)
def test_last_complete_quarter(as_of, expected):
    assert last_complete_quarter(as_of) == expected


def test_period_choices_default_and_next_quarter():
    f = filters(as_of=AS_OF)
    assert briefing_quarters(f) == [None, 1, 2, 3, 4]
    assert default_briefing_quarter(f) == 3
    assert default_briefing_quarter(f.model_copy(update={"quarter": 1})) == 1
    assert default_briefing_quarter(filters(year=2024, as_of=AS_OF)) == 4
    assert briefing_quarters(filters(as_of=D(2025, 2, 10))) == [None, 1]
    assert default_briefing_quarter(filters(as_of=D(2025, 2, 10))) is None
    assert period_name(f) == "2025年1—11月"
    assert period_name(f.model_copy(update={"quarter": 3})) == "2025年第3季度"
    assert period_name(filters(year=2024, as_of=AS_OF)) == "2024年"
    assert next_quarter(f.model_copy(update={"quarter": 3})) == (2025, 4)
    assert next_quarter(f) == (2025, 4)  # 年初至今 on 30 November: December is still Q4
    # A past year's briefing read on 30 November plans for what is left: 2025Q4, not 2025Q1.
    assert next_quarter(filters(year=2024, as_of=AS_OF)) == (2025, 4)
    assert next_quarter(filters(year=2025, quarter=1, as_of=D(2025, 12, 31))) == (2026, 1)


def test_narrative_facts_equal_the_metrics_and_the_hand_count(con):
    f = filters(as_of=AS_OF)
    x = narrative_facts(con, f)
    held = activities_in_scope(con, f)
    reports = reports_in_scope(con, f)
    assert x["cadres"] == int(headcount(con, f).iloc[0]["at_end"]) == 3
    assert x["groups"] == 2
    assert x["research_batches"] == held.loc[held["form"] == "研学活动", "batch"].nunique() == 2
    assert x["research_sessions"] == int((held["form"] == "研学活动").sum()) == 3
    assert x["discussion_sessions"] == int((held["form"] == "座谈交流").sum()) == 3
    assert (
        x["discussion_people"]
        == activity_highlights(con, f).iloc[0]["discussion_participants"]
        == 3
    )
    assert x["discussion_theme"] == "新质生产力"
    assert (x["council_sessions"], x["council_seats"], x["seats_each"]) == (2, 4, 2)
    assert x["research_reports"] == int((reports["type"] == "调研报告").sum()) == 2
    assert x["hometown_articles"] == 1  # B4 is a 调研文章 but not 回乡见闻
    assert x["report_themes"] == ["发展", "民生"]
    assert x["report_outcomes"]["领导批示"] == 1
    assert len(x["awards"]) == len(awards_in_scope(con, f)) == 4
    assert (x["rotation_cadres"], x["cadres_during_year"]) == (1, 4)


def test_narrative_text_states_the_figures_in_the_reports_phrasing(con):
    n = briefing_narrative(con, filters(as_of=AS_OF))
    text = n.text
    assert n.title == "2025年1—11月青年干部培养工作情况"
    assert text.splitlines()[0] == n.title
    assert [s.heading for s in n.sections][:5] == [
        "一、主要工作情况",
        "（一）突出铸魂补钙，上好理论学习“基础课”",
        "（二）突出固本培元，修好党性教育“终身课”",
        "（三）突出知行合一，练好实践锻炼“必修课”",
        "二、下一步工作打算",
    ]
    for phrase in (
        "将办公室3名青年干部划分为2个理论学习小组",
        "已组织2批次、3场次研学活动",
        "3名青年干部围绕“新质生产力”等主题开展座谈交流3场次",
        "每次选派2名青年代表列席跟学",
        "今年以来共列席2次",
        "参观红色纪念馆、革命旧址",
        "扎实开展警示教育1场次，观看警示片",
        "撰写调研报告2篇，其中1篇获领导批示",
        "形成高质量调研文章1篇",
        "年初以来在岗的4名青年干部中，1名参与跨处室轮岗",  # one denominator, stated
        "共组织理论学习活动8场次、党性教育活动3场次、实践锻炼活动1场次",
    ):
        assert phrase in text, phrase
    assert (
        "选派优秀青年同志参加演讲比赛甲，荣获理论组一等奖、演艺组二等奖；"
        "《作品乙》荣获述讲比赛乙一等奖；《作品丙》在宣讲大赛丙中取得优异成绩。"
    ) in text


def test_awards_stand_in_their_own_paragraph(con):
    party = briefing_narrative(con, filters(as_of=AS_OF)).sections[2].paragraphs
    awards = [p for p in party if "荣获" in p]
    assert len(awards) == 1 and "警示教育" not in awards[0]


def test_a_quarter_narrative_counts_only_the_quarter(con):
    n = briefing_narrative(con, filters(as_of=AS_OF, quarter=3))
    assert n.title == "2025年第3季度青年干部培养工作情况"
    assert "本季度，已组织1批次、1场次研学活动" in n.text
    assert "1名青年干部围绕“青年干部成长”等主题开展座谈交流1场次" in n.text
    assert "列席跟学" not in n.text  # no 党组理论中心组 session in Q3


def test_awards_sentence_shapes():
    assert awards_sentence([]) == ""
    assert (
        awards_sentence(
            [{"competition": "比赛", "category": None, "prize": "二等奖", "work": "《作品》"}]
        )
        == "《作品》荣获比赛二等奖。"
    )
    assert (
        awards_sentence(
            [{"competition": "比赛", "category": None, "prize": "三等奖", "work": None}]
        )
        == "选派优秀青年同志参加比赛，荣获三等奖。"
    )


def test_plan_follows_the_reports_four_headings_and_says_what_each_quota_needs(con):
    f = filters(as_of=AS_OF)
    n = briefing_narrative(con, f)
    assert [s.heading for s in n.sections[5:]] == [
        "（一）强化思想政治引领，筑牢成长根基",
        "（二）深化专业能力培养，锻造硬核本领",
        "（三）拓展实践锻炼渠道，淬炼实干担当",
        "（四）完善成长保障机制，激发内生动力",
    ]
    plan = {item["key"]: item for item in n.facts["plan"]}
    assert plan["business_mentor_share"]["needed"] == 2  # A2, A3 have none
    # 30% of the 4 in post during 2025 → 2 cadres; A3 had a stint: 1 more
    assert (plan["rotation_share"]["done"], plan["rotation_share"]["needed"]) == (1, 1)
    assert plan["forums_per_quarter"]["needed"] == 4  # none held yet
    skills = "".join(n.sections[6].paragraphs)
    assert "还需为2名青年干部配备业务导师" in skills
    assert "还需安排1名青年干部" in skills
    assert "全年还需召开青年干部座谈会4次" in "".join(n.sections[8].paragraphs)
    assert "低于进度目标" not in n.text  # what is needed, not a list of shortfalls


def test_a_new_database_plans_against_the_default_targets():
    con = database([cadre("A1"), activity("H1", D(2025, 3, 3))])
    n = briefing_narrative(con, filters(as_of=AS_OF))
    assert "全年还需召开青年干部座谈会4次" in n.text  # 1 per quarter, none held
    assert "将办公室1名青年干部划分为1个理论学习小组" in n.text


def test_plan_without_targets_keeps_the_programme_going():
    con = database([cadre("A1"), activity("H1", D(2025, 3, 3))])
    con.execute("DELETE FROM target_defaults")  # neither the year's own targets nor defaults
    n = briefing_narrative(con, filters(as_of=AS_OF))
    assert n.sections[-1].heading == "（四）完善成长保障机制，激发内生动力"
    assert "还需" not in n.text
    assert "将办公室1名青年干部划分为1个理论学习小组" in n.text


def test_a_group_narrative_speaks_of_the_group_and_titles_read_as_prose(con):
    n = briefing_narrative(con, filters(as_of=AS_OF, group="一组"))
    assert "将办公室" not in n.text
    assert "一组现有青年干部" in n.text
    assert "”、“" not in n.text  # quoted titles follow each other without 顿号


def test_titles_become_clauses_with_a_verb_and_a_series_is_said_once():
    from analytics.briefing.narrative import _clauses

    assert _clauses(["“学思享”系列活动（一）", "《条例》解读（市委党校专家授课）",
                     "“学思享”系列活动（二）"]) == (
        "开展“学思享”系列活动2场，邀请市委党校专家授课，集中学习《条例》解读"
    )  # fmt: skip
    assert _clauses(["音乐党史课：以音乐回望党史", "人工智能话术比赛"]) == (
        "举办音乐党史课，以音乐回望党史，策划人工智能话术比赛"
    )


def test_quota_status_is_the_quota_pages_compliance(con):
    f = filters(as_of=AS_OF)
    pack = briefing_pack(con, f)
    pd.testing.assert_frame_equal(pack.quota, quota_compliance(con, f))
    quotas = pack.quota.set_index("metric")
    reports = quotas.loc["political_reports_per_quarter"]
    assert reports["numerator"] / reports["denominator"] == pytest.approx(4 / 10)
    assert reports["status"] == "red"
    assert quotas.loc["business_mentor_share", "actual"] == pytest.approx(1 / 3)
    assert quotas.loc["rotation_share", "actual"] == pytest.approx(1 / 4)
    forums = quotas.loc["forums_per_quarter", ["actual", "expected", "required"]].tolist()
    assert forums == [0.0, 3.0, 4.0]
    # No 2025 target of its own: the default, 1 a month, applies and is marked so.
    assert quotas.loc["study_days_per_month", ["target", "is_default"]].tolist() == [1.0, True]
    assert not quotas.loc["rotation_share", "is_default"]
    # Q1: 4 due, 1 submitted; Q2: 3 due, 2 submitted; Q3: 3 due, none submitted.
    people = quota_by_cadre(con, f.year_to_date())
    assert [int(people["reports_due"].sum()), int(people["reports_submitted"].sum())] == [10, 4]
    business = quotas.loc["business_mentor_share", ["denominator", "numerator"]].tolist()
    assert business == [3, 1]


def test_figures_carry_year_on_year_and_quarter_on_quarter(con):
    figures = briefing_figures(con, filters(as_of=AS_OF, quarter=3)).set_index("key")
    assert figures.loc["research_sessions", ["value", "qoq"]].tolist() == [1.0, 1.0]
    assert figures["yoy"].isna().all()  # 2024Q3 holds no record: 无同期数据, not 0
    assert figures.loc["discussion_sessions", ["value", "qoq"]].tolist() == [1.0, 2.0]
    assert figures.loc["awards", ["value", "qoq"]].tolist() == [1.0, 2.0]
    ytd = briefing_figures(con, filters(as_of=AS_OF)).set_index("key")
    assert ytd["qoq"].isna().all()  # 年初至今 has no 环比


def test_attention_names_and_reasons(con):
    people = cadres_needing_attention(con, filters(as_of=AS_OF, quarter=2))
    by_id = people.set_index("cadre_id")
    assert by_id.loc["A2", "reasons"].endswith("第2季度政治能力提升报告未提交")
    assert by_id.loc["A2", "link"] == "profile?cadre=A2"
    assert "A1" not in by_id.index or "专业培训" not in by_id.loc["A1", "reasons"]


def test_next_quarter_actions(con):
    actions = next_quarter_actions(con, filters(as_of=AS_OF, quarter=3))
    by_action = dict(zip(actions["action"], actions["count"], strict=True))
    assert by_action["召开2025年第4季度青年干部座谈会"] == 1
    assert by_action["组织青年干部提交2025年第4季度政治能力提升报告"] == 3
    # Counted on 30 November, not at the end of Q3: October's and November's turns are past.
    assert by_action["安排各学习小组轮值学习导师"] == 2 * 1
    # 30% of the 4 in post during 2025 is 1.2 → 2 cadres; A3 had a stint: 1 more needed
    assert by_action["安排青年干部参加跨处室轮岗或专项工作"] == 1
    assert by_action["选派青年干部到区县部门、乡镇街道挂职"] == 1
    assert by_action["为未配备业务导师的青年干部配齐导师"] == 2
    after_year = next_quarter_actions(con, filters(year=2025, as_of=D(2025, 12, 31), quarter=4))
    assert any("2026年" in a for a in after_year["action"])


def test_selection_helpers():
    points = [{"customdata": ["一组", None]}, {"customdata": ["二组"]}, {"customdata": ["一组"]}]
    assert selection_values(points) == ["一组", "二组"]
    assert selection_values([{"x": 1}]) == []
    df = pd.DataFrame({"g": ["一组", "二组", "三组"]})
    assert rows_matching(df, "g", ["二组"])["g"].tolist() == ["二组"]
    assert rows_matching(df, "g", []).equals(df)


def test_the_q3_to_do_list_of_the_demo_does_not_ask_for_study_days_already_held(demo_con):
    """On 30 November only December's 青年政治理论学习日 is still to come, plus the months missed
    from January to November (11 due, as held by then)."""
    from analytics.metrics.rotation import study_days

    actions = next_quarter_actions(demo_con, filters(2025, AS_OF, quarter=3)).set_index("action")
    held = int(study_days(demo_con, filters(2025, AS_OF)).iloc[0]["held"])
    assert actions.loc["开展“青年政治理论学习日”", "count"] == 1 + (11 - held)
