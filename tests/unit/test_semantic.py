"""自助分析's semantic layer: the SQL is built from the catalogue only, every measure by every
dimension runs on the demo and a tiny city, additive measures add up, and where a page shows
the same figure the measure equals it (one rule, one home)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from analytics.briefing.narrative import narrative_facts
from analytics.common.filters import Filters
from analytics.generators.citygen import build_city
from analytics.generators.demo import AS_OF
from analytics.metrics import awards, overview, participation, quotas, reports
from analytics.semantic.answer import (
    answer,
    answer_total,
    compile_sql,
    dimension_options,
    figures,
    figures_by,
    result_table,
    shown_table,
)
from analytics.semantic.catalogue import DIMENSIONS, FACTS, MEASURES
from analytics.semantic.question import Question, describe, from_params, to_params
from analytics.semantic.scope import awards_in_scope, reports_in_scope
from analytics.store.db import as_of_date, connect
from tests.factories import D, activity, cadre, database, filters, present
from tests.semantic_checks import additive_pairs, additive_totals, every_pair

YEAR = Filters(year=2025, as_of=AS_OF)
PERIODS = {
    "2025": YEAR,
    "2025Q3-group": Filters(year=2025, quarter=3, group="第二学习小组", as_of=AS_OF),
    "2024-division": Filters(year=2024, division="秘书一处", as_of=AS_OF),
}


def value(con, f, measure, **kw) -> float:
    return float(answer_total(con, f, Question(measure=measure, **kw))["value"].iloc[0])


def by(con, f, measure, dim, **kw) -> dict:
    frame = answer(con, f, Question(measure=measure, dims=(dim,), **kw))
    return dict(zip(frame[dim], frame["value"], strict=True))


# ----- every pair, additivity: on the demo and on a tiny city -----


@pytest.fixture(scope="module")
def tiny_city(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("city") / "city.duckdb"
    build_city(path, cadres=300, units=3, groups=3, years=2)
    con = connect(path, read_only=True)
    yield con
    con.close()


@pytest.fixture(params=["demo", "tiny_city"])
def office(request, demo_con):
    """(connection, the year's filters) of each database the checks run on."""
    con = demo_con if request.param == "demo" else request.getfixturevalue("tiny_city")
    as_of = as_of_date(con)
    return con.cursor(), Filters(year=as_of.year, as_of=as_of)


def test_every_measure_by_every_dimension_runs(office):
    con, f = office
    assert every_pair(con, f) == []


def test_office_totals_equal_the_sum_over_every_additive_dimension(office):
    con, f = office
    assert additive_pairs() > 40
    assert additive_totals(con, f) == []


def test_reports_do_not_add_up_over_divisions_which_is_why_they_are_not_declared_additive(
    demo_con,
):
    """A report with authors in two divisions counts in both (AUTHOR_RULE)."""
    parts = sum(by(demo_con, YEAR, "reports", "division").values())
    assert parts > value(demo_con, YEAR, "reports")
    assert "division" not in MEASURES["reports"].additive


# ----- the pages' figures, from the same rules -----


@pytest.fixture
def marked_measures(monkeypatch):
    """Every measure's declaration replaced by a constant of its own (100, 101, …): a figure
    that shows its measure's constant was computed from the declaration, not beside it."""
    marks = {}
    for i, (key, m) in enumerate(list(MEASURES.items())):
        marks[key] = 100 + i
        monkeypatch.setitem(MEASURES, key, dataclasses.replace(m, sql=f"({m.sql}) * 0 + {100 + i}"))
    return marks


def test_the_pages_figures_are_computed_from_the_catalogues_declarations(demo_con, marked_measures):
    # One rule, one home: 总览's cards, 学习参与's summary, 指标达成's compliance and the
    # briefing's 轮岗/挂职 sentence all change when the declaration does.
    mark = marked_measures
    cards = overview.period_figures(demo_con, YEAR)
    assert {card: cards[card] for card in overview.PERIOD_MEASURES} == {
        card: mark[m] for card, m in overview.PERIOD_MEASURES.items()
    }
    summary = participation.participation_summary(demo_con, YEAR).iloc[0]
    for column, m in participation.SUMMARY_MEASURES.items():
        assert summary[column] == mark[m], column
    compliance = quotas.quota_compliance(demo_con, YEAR).set_index("metric")
    for key in ("rotation_share", "secondment_share", "training_hours_per_cadre",
                "business_mentor_share", "writing_mentor_share"):  # fmt: skip
        assert compliance.loc[key, "actual"] == mark[key], key
    assert compliance.loc["rotation_share", "numerator"] == mark["rotation_cadres"]
    assert compliance.loc["rotation_share", "denominator"] == mark["cadres_in_year"]
    assert compliance.loc["business_mentor_share", "denominator"] == mark["cadres_at_end"]
    assert compliance.loc["political_reports_per_quarter", "actual"] == mark["reports_submitted"]
    facts = narrative_facts(demo_con, YEAR)
    assert facts["rotation_cadres"] == mark["rotation_cadres"]
    assert facts["secondment_share"] == mark["secondment_share"]
    assert facts["frontline_cadres"] == mark["frontline_cadres"]
    assert facts["participation_rate"] == mark["participation_rate"]
    kpis = reports.output_kpis(demo_con, YEAR).set_index("key")["value"]
    assert kpis["total"] == mark["reports"]
    award_cards = awards.award_kpis(demo_con, YEAR).set_index("key")["value"]
    assert award_cards["awards"] == mark["awards"]
    assert award_cards["points"] == mark["award_points"]
    # The breakdowns by study group and division too: one row per group, the same declarations.
    groups = participation.participation_by_group(demo_con, YEAR)
    assert len(groups) == 4
    assert set(groups["rate"]) == {mark["participation_rate"]}
    assert set(groups["absent"]) == {mark["absent"] + mark["unrecorded"]}
    units = quotas.quota_breakdown(demo_con, YEAR, "division")
    assert len(units) > 1
    assert set(units["rotation_share"]) == {mark["rotation_share"]}
    assert set(units["cadres"]) == {mark["cadres_in_year"]}
    # …and 自助分析 answers from the same declarations.
    assert value(demo_con, YEAR, "rotation_share") == mark["rotation_share"]


@pytest.mark.parametrize("f", PERIODS.values(), ids=PERIODS.keys())
def test_participation_measures_equal_the_participation_page(demo_con, f):
    summary = participation.participation_summary(demo_con, f).iloc[0]
    assert value(demo_con, f, "participation_rate") == pytest.approx(summary["rate"])
    assert value(demo_con, f, "attended") == summary["attended"]
    assert value(demo_con, f, "expected") == summary["expected"]
    assert value(demo_con, f, "activity_hours") == pytest.approx(summary["hours"])
    groups = participation.participation_by_group(demo_con, f).set_index("study_group")["rate"]
    assert by(demo_con, f, "participation_rate", "study_group") == pytest.approx(groups.to_dict())
    months = participation.participation_by_month(demo_con, f)
    months = months[months["expected"] > 0]
    assert by(demo_con, f, "attended", "month") == {
        m.month: float(a) for m, a in zip(months["month"], months["attended"], strict=True)
    }


@pytest.mark.parametrize("f", PERIODS.values(), ids=PERIODS.keys())
def test_quota_measures_equal_the_quota_page_and_the_overview(demo_con, f):
    compliance = quotas.quota_compliance(demo_con, f).set_index("metric")
    for measure, key in [("rotation_share", "rotation_share"),
                         ("secondment_share", "secondment_share"),
                         ("training_hours_per_cadre", "training_hours_per_cadre"),
                         ("business_mentor_share", "business_mentor_share"),
                         ("writing_mentor_share", "writing_mentor_share")]:  # fmt: skip
        assert value(demo_con, f, measure) == pytest.approx(compliance.loc[key, "actual"]), key
    reports_row = compliance.loc["political_reports_per_quarter"]
    if reports_row["denominator"]:
        assert value(demo_con, f, "political_report_rate") == pytest.approx(
            reports_row["numerator"] / reports_row["denominator"]
        )
    figures = overview.period_figures(demo_con, f)
    assert value(demo_con, f, "training_hours_per_cadre") == pytest.approx(
        figures["training_hours"]
    )
    assert value(demo_con, f, "rotation_share") == pytest.approx(figures["rotation_share"])
    assert value(demo_con, f, "participation_rate") == pytest.approx(figures["participation_rate"])
    breakdown = quotas.quota_breakdown(demo_con, f, "division").set_index("unit")
    assert by(demo_con, f, "rotation_share", "division") == pytest.approx(
        breakdown["rotation_share"].to_dict()
    )


@pytest.mark.parametrize("f", PERIODS.values(), ids=PERIODS.keys())
def test_report_and_award_measures_equal_their_pages(demo_con, f):
    assert value(demo_con, f, "reports") == len(reports_in_scope(demo_con, f))
    assert value(demo_con, f, "awards") == len(awards_in_scope(demo_con, f))
    units = reports.reports_by_author_unit(demo_con, f, "division")
    units = units[units["reports"] > 0].set_index("unit")["reports"]
    assert by(demo_con, f, "reports", "division") == units.astype(float).to_dict()
    sources = reports.reports_by_source(demo_con, f).set_index("source")["reports"]
    assert by(demo_con, f, "reports", "source") == sources.astype(float).to_dict()
    points = awards.points_by_group(demo_con, f)
    points = points[points["awards"] > 0].set_index("study_group")
    got = by(demo_con, f, "award_points", "study_group")
    assert {k: round(v, 2) for k, v in got.items()} == points["points"].to_dict()
    assert by(demo_con, f, "awards", "study_group") == points["awards"].astype(float).to_dict()
    assert overview.period_figures(demo_con, f)["reports"] == value(demo_con, f, "reports")


def test_the_work_reports_figures_through_the_semantic_layer(demo_con):
    """2025: 11 调研报告 and 4 回乡见闻 articles, asked as a leader would."""
    kinds = by(demo_con, YEAR, "reports", "report_type")
    assert kinds["调研报告"] == 11
    hometown = Question(measure="reports", picks=(("source", ("回乡见闻",)),
                                                  ("report_type", ("调研文章",))))  # fmt: skip
    assert answer_total(demo_con, YEAR, hometown)["value"].iloc[0] == 4


# ----- literal rows: dimensions, filters and ranges count what they say -----


def small_office():
    return database([
        cadre("A", "一组", gender="女", rank="四级主任科员", political_status="中共党员",
              birth_date=D(1995, 6, 1), join_date=D(2022, 3, 1)),
        cadre("B", "一组", gender="男", rank="一级科员", political_status="共青团员",
              birth_date=D(2000, 12, 31), join_date=D(2019, 1, 1)),
        cadre("C", "二组", division="秘书二处", gender="女", rank="三级调研员",
              political_status="共青团员", birth_date=D(1985, 1, 1), join_date=D(2024, 7, 1)),
        activity("X", D(2025, 3, 3)), activity("Y", D(2025, 7, 1), form="研学活动"),
        present("X", "A"), present("X", "B", status="请假"), present("X", "C"),
        present("Y", "A", status="缺席"), present("Y", "B"),
    ])  # fmt: skip


def test_dimensions_group_and_filter_on_literal_rows():
    con = small_office()
    f = filters(2025, D(2025, 12, 31))
    assert by(con, f, "participation_rate", "political_status") == pytest.approx(
        {"中共党员": 0.5, "共青团员": 0.5}  # C was expected at Y (全体) and has no row
    )
    # ages on 2025-12-31: A 30, B 25, C 40
    assert by(con, f, "attended", "age_band") == {"25–29岁": 1.0, "30–34岁": 1.0, "40岁及以上": 1.0}
    assert by(con, f, "expected", "month") == {3: 3.0, 7: 3.0}
    assert by(con, f, "expected", "quarter") == {1: 3.0, 3: 3.0}
    assert by(con, f, "attended", "form") == {"导师领学": 2.0, "研学活动": 1.0}
    women = Question(measure="expected", picks=(("gender", ("女",)),
                                                ("rank", ("四级主任科员", "三级调研员"))))  # fmt: skip
    assert answer_total(con, f, women)["value"].iloc[0] == 4
    joined = Question(measure="expected", dims=("join_year",), ranges=(("join_year", 2022, 2025),))
    assert answer(con, f, joined).set_index("join_year")["value"].to_dict() == {2022: 2, 2024: 2}
    young = Question(measure="attended", ranges=(("age_band", 20, 30),))
    assert answer_total(con, f, young)["value"].iloc[0] == 2
    options = dimension_options(con, f, "participation_rate")
    assert options[options["dimension"] == "rank"]["value"].tolist() == [
        "三级调研员",
        "四级主任科员",
        "一级科员",
    ]  # fmt: skip  (senior first)
    assert options[options["dimension"] == "age_band"]["value"].tolist() == [25, 30, 40]


def test_yoy_sets_last_years_value_beside_each_row():
    con = small_office()
    f = filters(2026, D(2026, 12, 31))
    frame = answer(con, f, Question(measure="expected", dims=("study_group",), yoy=True))
    assert frame.empty  # nothing in 2026
    f = filters(2025, D(2025, 12, 31))
    frame = answer(con, f, Question(measure="expected", dims=("study_group",), yoy=True))
    assert frame["value"].tolist() == [4.0, 2.0] and frame["previous"].isna().all()


# ----- the SQL: identifiers from the catalogue, values as parameters -----


def test_filter_values_reach_the_database_only_as_parameters():
    hostile = "x') OR 1=1; DROP TABLE cadres; --"
    q = Question(measure="attended", dims=("division",), picks=(("division", (hostile,)),))
    sql, params = compile_sql(q)
    assert hostile not in sql and params["pick_0"] == [hostile]
    con = small_office()
    assert answer(con, filters(), q).empty  # no such division, and nothing was dropped
    assert con.execute("SELECT count(*) FROM cadres").fetchone()[0] == 3


def test_a_question_names_only_what_the_catalogue_offers():
    with pytest.raises(ValidationError, match="unknown measure"):
        Question(measure="cadres; DROP TABLE cadres")
    with pytest.raises(ValidationError, match="cannot be cut by"):
        Question(measure="rotation_share", dims=("form",))  # a stint has no 形式
    with pytest.raises(ValidationError, match="cannot be cut by"):
        Question(measure="attended", dims=("division; --",))
    with pytest.raises(ValidationError, match="at most 2"):
        Question(measure="attended", dims=("gender", "rank", "division"))
    with pytest.raises(ValidationError, match="not a range"):
        Question(measure="attended", ranges=(("gender", 1, 2),))
    for m in MEASURES.values():
        assert set(m.dimensions) <= set(DIMENSIONS)


def test_the_url_round_trips_and_invalid_parts_are_dropped_with_a_note():
    q = Question(measure="participation_rate", dims=("political_status", "gender"),
                 picks=(("rank", ("四级主任科员", "三级调研员")),),
                 ranges=(("join_year", 2022, 2025),), yoy=True)  # fmt: skip
    params = {k: v if isinstance(v, list) else [v] for k, v in to_params(q).items()}
    assert from_params(params) == (q, [])
    assert describe(q) == (
        "参与率 · 按政治面貌、性别 · 职级：四级主任科员、三级调研员 · 入职年份 2022–2025 · 同比"
    )
    bad = {"measure": ["nonsense"], "by": ["gender,form,rank,division"], "x_level": ["省级"],
           "x_gender": ["女", "其他"], "x_join_year": ["2025-2022"]}  # fmt: skip
    got, notes = from_params(bad, options={"gender": ["男", "女"]})
    assert got == Question(measure="participation_rate", dims=("gender", "form"),
                           picks=(("gender", ("女",)),))  # fmt: skip
    assert notes == [
        "链接中的参数 measure=nonsense 无效，已忽略。",
        "链接中的参数 by=rank 无效，已忽略。",
        "链接中的参数 by=division 无效，已忽略。",
        "链接中的参数 x_level=省级 无效，已忽略。",
        "链接中的参数 x_gender=其他 无效，已忽略。",
        "链接中的参数 x_join_year=2025-2022 无效，已忽略。",
    ]


def test_a_restricted_reader_sees_only_their_groups_values(demo_con):
    group = "第三学习小组"
    mentor = YEAR.model_copy(update={"group": group, "visible_group": group})
    widened = mentor.model_copy(update={"group": None})
    options = dimension_options(demo_con.cursor(), widened, "reports")
    assert options[options["dimension"] == "study_group"]["value"].tolist() == [group]
    frame = answer(demo_con.cursor(), widened, Question(measure="attended", dims=("study_group",)))
    assert frame["study_group"].tolist() == [group]
    grouped = answer(demo_con.cursor(), YEAR.model_copy(update={"group": group}),
                     Question(measure="attended", dims=("study_group",)))  # fmt: skip
    pd.testing.assert_frame_equal(frame, grouped)


def test_a_period_that_has_not_started_has_no_figures(demo_con):
    future = Filters(year=2026, as_of=dt.date(2025, 11, 30))
    assert answer_total(demo_con, future, Question(measure="rotation_share")).empty


def test_the_table_has_a_total_row_computed_over_all_rows_not_summed():
    con = small_office()
    f = filters(2025, D(2025, 12, 31))
    q = Question(measure="participation_rate", dims=("study_group",), yoy=True)
    table = result_table(answer(con, f, q), answer_total(con, f, q), q)
    assert table["学习小组"].tolist() == ["一组", "二组", "合计"]
    assert table["参与率"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert shown_table(table, q)["参与率"].tolist() == ["50.0%", "50.0%", "50.0%"]
    assert list(table.columns) == ["学习小组", "参与率", "去年同期", "同比变化"]
    alone = Question(measure="attended")
    assert result_table(answer(con, f, alone), answer_total(con, f, alone), alone).to_dict(
        "list"
    ) == {"出勤人次": [3.0]}


def test_the_lean_attendance_fact_is_used_only_when_no_theme_is_read_and_agrees(demo_con):
    plain = Question(measure="attended", dims=("form",))
    themed = Question(measure="attended", dims=("form",), picks=(("theme", ("新质生产力",)),))
    assert "JOIN activities" not in compile_sql(plain)[0]
    assert "JOIN activities" in compile_sql(themed)[0]
    by_theme = Question(measure="attended", dims=("theme",))
    assert answer(demo_con, YEAR, by_theme)["value"].sum() == value(demo_con, YEAR, "attended")


def test_options_leave_out_blank_facts_and_a_period_without_rows_offers_none():
    # An office that keeps no 出生日期 or 性别 (optional columns): 年龄段 and 性别 offer nothing
    # rather than failing on the NULLs; a quarter without an activity offers no 形式.
    con = database(
        [cadre("A1", gender=None), cadre("A2", birth_date=None), activity("H1", D(2025, 3, 3))]
    )
    f = filters(as_of=D(2025, 11, 30))
    options = dimension_options(con, f, "participation_rate")
    assert options[options["dimension"] == "age_band"]["value"].tolist() == []
    assert options[options["dimension"] == "gender"]["value"].tolist() == ["男"]
    empty = dimension_options(con, filters(as_of=D(2025, 11, 30), quarter=3), "attended")
    assert empty[empty["dimension"] == "form"]["value"].tolist() == []


def test_hours_or_stint_figures_alone_run_on_a_lighter_fact_and_agree_with_the_full_one(
    demo_con,
):
    # 人均学时 on its own reads training_hours_by_cadre.sql, 轮岗/挂职 quota_people.sql (9 and 5 ms
    # on the city against 36 ms); asked together they need the full per-cadre fact. Same numbers.
    fact = FACTS["cadre_year"]
    full = fact.sql_for(set(), None)
    hours_only = fact.sql_for(set(), frozenset({"hours"}))
    assert hours_only != full
    assert fact.sql_for(set(), frozenset({"rotation"})) not in (full, hours_only)
    assert fact.sql_for(set(), frozenset({"hours", "rotation"})) == full
    assert fact.sql_for({"rank"}, frozenset({"rotation"})) == fact.sql  # 职级 needs the join
    hours = ["cadres_in_year", "training_hours_per_cadre", "training_hours_expected"]
    stints = ["rotation_cadres", "secondment_share", "frontline_cadres", "cadres_at_end"]
    for f in PERIODS.values():
        whole = figures(demo_con, f, [*hours, *stints, "business_mentor_share"])  # the full fact
        assert figures(demo_con, f, hours) == {k: pytest.approx(whole[k]) for k in hours}
        assert figures(demo_con, f, stints) == {k: pytest.approx(whole[k]) for k in stints}


def test_a_breakdown_by_study_group_leaves_out_cadres_in_no_group():
    # The pages' group breakdowns list the groups; a cadre in none is not a group called 未分组.
    con = database(
        [cadre("A1"), cadre("A2", group=None), activity("H1", D(2025, 3, 3)),
         present("H1", "A1"), present("H1", "A2")]
    )  # fmt: skip
    frame = figures_by(con, filters(), ["attended", "expected"], "study_group")
    assert frame.to_dict("list") == {"study_group": ["一组"], "attended": [1], "expected": [1]}
    whole = answer(con, filters(), Question(measure="attended", dims=("study_group",)))
    assert sorted(whole["study_group"]) == sorted(["一组", "未分组"])  # 自助分析 shows them
