"""Measures and dimensions of 自助分析, declared once: the only identifiers its SQL may contain.

A fact is a relation of rows at one grain (one cadre expected at one activity; one author of a
report; one winner of an award; one cadre in post in the year to date) built from the metrics'
own macros, SQL files and scope functions. A dimension is an expression over a fact's columns;
a measure is an aggregate over one fact's rows and may be cut by that fact's dimensions only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import duckdb

from analytics.common.filters import Filters
from analytics.common.labels import t
from analytics.semantic.rules import (
    AUTHOR_RULE,
    AWARDS_SCOPE_RULE,
    COVERAGE_RULE,
    DENOMINATOR_RULE,
    EXPECTED_RULE,
    HOURS_RULE,
    POINTS_RULE,
    SHARE_RULE,
    STINT_TYPES,
)
from analytics.semantic.scope import AWARDS_RULE, REPORTS_RULE, awards_in_scope, reports_in_scope
from analytics.store.models import Category, Level, Prize, ReportSource, ReportType
from analytics.store.query import sql_text

Unit = Literal["share", "count", "hours", "points"]
Period = Literal["period", "year_to_date"]

# The cadre's own attributes every fact carries (from scoped_cadres, so the sidebar's group
# and division and a 小组导师's restriction hold).
CADRE_COLUMNS = "study_group, division, rank, political_status, gender, birth_date, join_date"
_CADRE_COLUMNS = ", ".join(f"c.{name}" for name in CADRE_COLUMNS.split(", "))

# ----- dimensions -----

POLITICAL_ORDER = ("中共党员", "中共预备党员", "共青团员", "民主党派", "群众")
# 综合管理类职级, senior first, so that "四级主任科员及以上" is the first options of the list.
RANK_ORDER = (
    "一级巡视员", "二级巡视员", "一级调研员", "二级调研员", "三级调研员", "四级调研员",
    "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员",
)  # fmt: skip
AGE_BOUNDS = (25, 30, 35, 40)  # bands: under 25, 25–29, 30–34, 35–39, 40 and over
# Age in whole years on the last day of the period.
AGE_SQL = "date_part('year', age(CAST($end AS DATE), birth_date))"


def _age_band_sql() -> str:
    cases = " ".join(
        f"WHEN {AGE_SQL} < {bound} THEN $age_band_{i}" for i, bound in enumerate(AGE_BOUNDS)
    )
    return f"CASE WHEN birth_date IS NULL THEN $blank {cases} ELSE $age_band_{len(AGE_BOUNDS)} END"


def age_band_labels() -> list[str]:
    """The bands' names in order: 25岁以下, 25–29岁, …, 40岁及以上."""
    b = AGE_BOUNDS
    return [
        t("explore.age.below", hi=b[0]),
        *(t("explore.age.span", lo=lo, hi=hi - 1) for lo, hi in zip(b, b[1:], strict=False)),
        t("explore.age.above", lo=b[-1]),
    ]


@dataclass(frozen=True)
class Dimension:
    """A way to cut a measure: an expression over a fact's columns."""

    key: str
    sql: str
    numeric: bool = False  # values are whole numbers (months, quarters, years)
    range_sql: str | None = None  # filtered as a range of this number rather than by values
    order: tuple[Any, ...] = ()  # the values' own order (else: natural order of the values)
    time: bool = False  # months and quarters: drawn as a line
    fmt: str | None = None  # label key that shows a numeric value ({n})
    reads: tuple[str, ...] = ()  # the fact columns it reads, if not the cadre's attributes
    column: str | None = None  # the fact column whose NULL the expression names (未分组, 未填写)

    @property
    def of_cadre(self) -> bool:
        """True for an attribute of the cadre (group, division, 职级 …), not of the event."""
        return not self.reads

    @property
    def label(self) -> str:
        """The dimension's Chinese name."""
        return t(f"explore.dim.{self.key}")

    def show(self, value: Any) -> str:
        """A value as a reader sees it (3 → 3月, 2022 → 2022年)."""
        if self.fmt is not None and value is not None and not isinstance(value, str):
            return t(self.fmt, n=int(value))
        return str(value)


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension("study_group", "coalesce(study_group, $no_group)", column="study_group"),
        Dimension("division", "division"),
        Dimension("rank", "coalesce(rank, $blank)", order=RANK_ORDER),
        Dimension(
            "political_status", "coalesce(political_status, $blank)", order=POLITICAL_ORDER
        ),  # fmt: skip
        Dimension("gender", "gender", order=("男", "女")),
        Dimension("age_band", _age_band_sql(), range_sql=AGE_SQL),
        Dimension(
            "join_year",
            "year(join_date)",
            numeric=True,
            range_sql="year(join_date)",
            fmt="explore.year_n",
        ),  # fmt: skip
        Dimension(
            "month", "month(date)", numeric=True, time=True, fmt="explore.month_n", reads=("date",)
        ),
        Dimension(
            "quarter",
            "quarter(date)",
            numeric=True,
            time=True,
            fmt="filters.quarter_n",
            reads=("date",),
        ),
        Dimension("category", "category", order=get_args(Category), reads=("category",)),
        Dimension("form", "form", reads=("form",)),
        Dimension("theme", "coalesce(theme, $blank)", reads=("theme",)),
        Dimension("report_type", "report_type", order=get_args(ReportType), reads=("report_type",)),
        Dimension("source", "source", order=get_args(ReportSource), reads=("source",)),
        Dimension("level", "level", order=get_args(Level), reads=("level",)),
        Dimension("prize", "prize", order=get_args(Prize), reads=("prize",)),
    )
}
CADRE_DIMENSIONS = ("study_group", "division", "rank", "political_status", "gender", "age_band",
                    "join_year")  # fmt: skip

# ----- facts -----

Prepare = Callable[[duckdb.DuckDBPyConnection, Filters], dict[str, Any]]


@dataclass(frozen=True)
class Fact:
    """Rows at one grain, with the columns its dimensions read."""

    key: str
    sql: str
    dimensions: tuple[str, ...]
    period: Period = "period"  # year_to_date: annual quotas, counted from 1 January
    prepare: Prepare | None = None  # further parameters, e.g. the ids a metric keeps in scope
    # Where the filter options' values come from, when something cheaper than the distinct
    # rows of the fact gives the same values: the cadres with rows, and the events.
    people: str | None = None
    events: str | None = None
    # Cheaper SQL for the same rows, cheapest first: (sql, the dimensions it can serve, the
    # measure columns it has, None for all). A question reading only those dimensions (or none:
    # a page's total) and measures reading only those columns runs on it.
    variants: tuple[tuple[str, frozenset[str], frozenset[str] | None], ...] = ()

    def sql_for(self, dims: set[str], columns: frozenset[str] | None = None) -> str:
        """The fact's SQL for a question reading these dimensions and measure columns (None:
        any column of the fact)."""
        for sql, serves, has in self.variants:
            if dims <= serves and (has is None or (columns is not None and columns <= has)):
                return sql
        return self.sql

    @property
    def grain(self) -> str:
        """What one row of the fact is, in words."""
        return t(f"explore.grain.{self.key}")

    def filters_for(self, f: Filters) -> Filters:
        """The period this fact is counted over for the sidebar's filters."""
        return f.year_to_date() if self.period == "year_to_date" else f


# One cadre expected at one activity (schema.sql's rule, stored copy, stint rule included).
_ATTENDANCE = f"""
    SELECT e.status, e.credited_hours, e.date, e.category, e.form, a.theme, {_CADRE_COLUMNS}
    FROM scoped_expected($group, $division, $start, $end) AS e
    JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
    JOIN activities AS a USING (activity_id)
"""

# Without the activity's theme: the join to activities doubles the time of a city's year.
_ATTENDANCE_LEAN = f"""
    SELECT e.status, e.credited_hours, e.date, e.category, e.form, {_CADRE_COLUMNS}
    FROM scoped_expected($group, $division, $start, $end) AS e
    JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
"""
# The stored rows alone: they carry the cadre's group and division (a page's totals).
_ATTENDANCE_BARE = """
    SELECT status, credited_hours, date, category, form, study_group, division
    FROM scoped_expected($group, $division, $start, $end)
"""

# The same cadres and activities, found from their keys first (a city's year is two million
# expected rows, but twenty thousand cadres and a few thousand activities).
_ATTENDANCE_PEOPLE = """
    SELECT c.* FROM scoped_cadres($group, $division) AS c
    WHERE c.cadre_id IN (SELECT cadre_id FROM scoped_expected($group, $division, $start, $end))
"""
_ATTENDANCE_EVENTS = """
    SELECT a.* FROM activities AS a
    WHERE a.activity_id IN (
        SELECT activity_id FROM scoped_expected($group, $division, $start, $end))
"""

# One cadre in post during the year to date, with every per-cadre fact a quota counts: the
# quota page's own query (quota_by_cadre.sql), so totals, breakdowns and this agree.
_QUOTA = f"""
    SELECT q.*, c.rank, c.political_status, c.gender, c.birth_date
    FROM ({sql_text("quota_by_cadre")}) AS q
    JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
"""

# The same cadres with their hours alone (training_hours_by_cadre.sql: quota_by_cadre's rule
# without stints, mentors and reports, a quarter of its time; tests/unit/test_derived.py checks
# the two agree): 人均学时 and its target on their own.
_HOURS_ONLY = f"""
    SELECT h.*, h.expected AS hours_expected FROM ({sql_text("training_hours_by_cadre")}) AS h
"""
_HOURS_COLUMNS = frozenset({"hours", "hours_expected"})
# The same cadres with their stints alone (quota_people.sql, the part quota_by_cadre includes).
_STINT_COLUMNS = frozenset({"rotation", "secondment", "frontline", "in_post_at_end"})

# One author in the filter of one report in scope (scope.reports_in_scope decides which).
_REPORTS = f"""
    SELECT r.report_id, r.type AS report_type, r.source, r.theme, r.submit_date AS date,
           {_CADRE_COLUMNS}
    FROM reports AS r
    JOIN report_authors AS ra USING (report_id)
    JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
    WHERE list_contains(CAST($report_ids AS VARCHAR[]), r.report_id)
"""

# One winner in the filter of one award in scope, with their share of its points
# (awards' own points rule; scope.awards_in_scope decides which awards count).
_AWARDS = f"""
    WITH award_points AS ({sql_text("award_points")})
    SELECT p.award_id, p.level, p.prize, p.date, p.points / p.team_size AS share,
           {_CADRE_COLUMNS}
    FROM award_points AS p
    JOIN award_winners AS aw USING (award_id)
    JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
"""


def _quota_params(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Any]:
    return STINT_TYPES


def _report_ids(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Any]:
    return {"report_ids": reports_in_scope(con, f)["report_id"].tolist()}


def _award_ids(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Any]:
    return {"ids": awards_in_scope(con, f)["award_id"].tolist()}


FACTS: dict[str, Fact] = {
    fact.key: fact
    for fact in (
        Fact("attendance", _ATTENDANCE,
             (*CADRE_DIMENSIONS, "month", "quarter", "category", "form", "theme"),
             people=_ATTENDANCE_PEOPLE, events=_ATTENDANCE_EVENTS,
             variants=((_ATTENDANCE_BARE, frozenset({"study_group", "division", "month",
                                                     "quarter", "category", "form"}), None),
                       (_ATTENDANCE_LEAN, frozenset(DIMENSIONS) - {"theme"}, None))),
        Fact("cadre_year", _QUOTA, CADRE_DIMENSIONS, period="year_to_date",
             prepare=_quota_params,
             variants=((_HOURS_ONLY, frozenset({"study_group", "division"}), _HOURS_COLUMNS),
                       (sql_text("quota_people"),
                        frozenset({"study_group", "division", "join_year"}), _STINT_COLUMNS),
                       (sql_text("quota_by_cadre"),
                        frozenset({"study_group", "division", "join_year"}), None))),
        Fact("report_authors", _REPORTS,
             (*CADRE_DIMENSIONS, "month", "quarter", "report_type", "source", "theme"),
             prepare=_report_ids),
        Fact("award_winners", _AWARDS, (*CADRE_DIMENSIONS, "month", "quarter", "level", "prize"),
             prepare=_award_ids),
    )
}  # fmt: skip

# ----- measures -----

ALL = frozenset(DIMENSIONS)


@dataclass(frozen=True)
class Measure:
    """A figure: an aggregate over one fact's rows, with its unit and counting rule."""

    key: str
    fact: str
    sql: str
    unit: Unit
    rule: str
    # Dimensions over which the values of the parts add up to the whole (a report with
    # authors in two divisions counts in both, so reports do not add up over divisions).
    additive: frozenset[str] = field(default_factory=frozenset)
    # The fact's columns the aggregate reads (None: not declared, any), so that a cheaper
    # variant of the fact that has them can answer (Fact.variants).
    reads: frozenset[str] | None = None

    @property
    def label(self) -> str:
        """The measure's Chinese name."""
        return t(f"explore.measure.{self.key}")

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions this measure may be cut and filtered by."""
        return FACTS[self.fact].dimensions

    @property
    def counting_rule(self) -> str:
        """The rule the table states: the fact's grain, then the metric's own rule."""
        return f"{FACTS[self.fact].grain}{self.rule}"


def _share(numerator: str, denominator: str) -> str:
    return f"CASE WHEN {denominator} = 0 THEN NULL ELSE ({numerator}) / ({denominator}) END"


_ATTENDED = "count(*) FILTER (WHERE status = '出席')"
_ROTATED = "count(*) FILTER (WHERE rotation)"
_SECONDED = "count(*) FILTER (WHERE secondment)"
_FRONTLINE = "count(*) FILTER (WHERE frontline)"
_AT_END = "count(*) FILTER (WHERE in_post_at_end)"
_BUSINESS = "count(*) FILTER (WHERE in_post_at_end AND business_mentor IS NOT NULL)"
_WRITING = "count(*) FILTER (WHERE in_post_at_end AND writing_mentor IS NOT NULL)"
_DUE, _SUBMITTED = "coalesce(sum(reports_due), 0)", "coalesce(sum(reports_submitted), 0)"
_HOURS = frozenset({"hours"})
_REPORT_DIMS = frozenset({"month", "quarter", "report_type", "source", "theme"})
_AWARD_DIMS = frozenset({"month", "quarter", "level", "prize"})


def _status_count(status: str) -> str:
    return f"count(*) FILTER (WHERE status = '{status}')"


_ROTATION_RULE = t("explore.rule.rotation_share") + SHARE_RULE
_SECONDMENT_RULE = t("explore.rule.secondment_share") + SHARE_RULE
_FRONTLINE_RULE = t("explore.rule.frontline_share") + SHARE_RULE

# The headline figures first (as the page lists them), then the counts they are made of.
MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("participation_rate", "attendance", _share(_ATTENDED, "count(*)"), "share",
                EXPECTED_RULE),
        Measure("attended", "attendance", _ATTENDED, "count", EXPECTED_RULE, ALL),
        Measure("expected", "attendance", "count(*)", "count", EXPECTED_RULE, ALL),
        Measure("activity_hours", "attendance", "coalesce(sum(credited_hours), 0)", "hours",
                t("explore.rule.activity_hours") + EXPECTED_RULE, ALL),
        Measure("training_hours_per_cadre", "cadre_year", _share("sum(hours)", "count(*)"),
                "hours", DENOMINATOR_RULE + HOURS_RULE, reads=_HOURS),
        Measure("reports", "report_authors", "count(DISTINCT report_id)", "count",
                REPORTS_RULE + AUTHOR_RULE, _REPORT_DIMS),
        Measure("awards", "award_winners", "count(DISTINCT award_id)", "count",
                AWARDS_RULE + AWARDS_SCOPE_RULE, _AWARD_DIMS),
        Measure("award_points", "award_winners", "coalesce(sum(share), 0)", "points",
                POINTS_RULE, ALL),
        Measure("rotation_share", "cadre_year", _share(_ROTATED, "count(*)"), "share",
                _ROTATION_RULE, reads=frozenset({"rotation"})),
        Measure("secondment_share", "cadre_year", _share(_SECONDED, "count(*)"), "share",
                _SECONDMENT_RULE, reads=frozenset({"secondment"})),
        Measure("business_mentor_share", "cadre_year", _share(_BUSINESS, _AT_END), "share",
                COVERAGE_RULE),
        Measure("writing_mentor_share", "cadre_year", _share(_WRITING, _AT_END), "share",
                COVERAGE_RULE),
        Measure("political_report_rate", "cadre_year", _share(_SUBMITTED, _DUE), "share",
                COVERAGE_RULE),
        Measure("on_leave", "attendance", _status_count("请假"), "count", EXPECTED_RULE, ALL),
        Measure("absent", "attendance", _status_count("缺席"), "count", EXPECTED_RULE, ALL),
        Measure("unrecorded", "attendance", _status_count("未登记"), "count", EXPECTED_RULE,
                ALL),
        Measure("cadres_in_year", "cadre_year", "count(*)", "count", SHARE_RULE, ALL,
                reads=frozenset()),
        Measure("cadres_at_end", "cadre_year", _AT_END, "count", COVERAGE_RULE, ALL,
                reads=frozenset({"in_post_at_end"})),
        Measure("rotation_cadres", "cadre_year", _ROTATED, "count", _ROTATION_RULE, ALL,
                reads=frozenset({"rotation"})),
        Measure("secondment_cadres", "cadre_year", _SECONDED, "count", _SECONDMENT_RULE, ALL,
                reads=frozenset({"secondment"})),
        Measure("frontline_share", "cadre_year", _share(_FRONTLINE, "count(*)"), "share",
                _FRONTLINE_RULE, reads=frozenset({"frontline"})),
        Measure("frontline_cadres", "cadre_year", _FRONTLINE, "count", _FRONTLINE_RULE, ALL,
                reads=frozenset({"frontline"})),
        Measure("training_hours_total", "cadre_year", "coalesce(sum(hours), 0)", "hours",
                DENOMINATOR_RULE + HOURS_RULE, ALL, reads=_HOURS),
        Measure("training_hours_expected", "cadre_year", "avg(hours_expected)", "hours",
                HOURS_RULE, reads=frozenset({"hours_expected"})),
        Measure("business_mentored", "cadre_year", _BUSINESS, "count", COVERAGE_RULE, ALL),
        Measure("writing_mentored", "cadre_year", _WRITING, "count", COVERAGE_RULE, ALL),
        Measure("reports_due", "cadre_year", _DUE, "count", COVERAGE_RULE, ALL),
        Measure("reports_submitted", "cadre_year", _SUBMITTED, "count", COVERAGE_RULE, ALL),
    )
}  # fmt: skip
DEFAULT_MEASURE = "participation_rate"
