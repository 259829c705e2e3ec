"""季度座谈会: a period's briefing (figures with 同比/环比, quota status, who needs attention, the
next quarter's actions) and the pack that the page, the Word/PDF and the Excel show.

The narrative is written from the same metrics in analytics.briefing.narrative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics.briefing.narrative import Narrative, briefing_narrative
from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.common.labels import headed, t
from analytics.common.links import profile_url
from analytics.metrics.awards import awards_by_level_prize
from analytics.metrics.cadres import headcount
from analytics.metrics.comparison import comparable, records_in_period
from analytics.metrics.overview import (
    attention_items,
    float_or_none,
    kpi_better,
    kpi_noun,
    overview_kpis,
    period_figures,
)
from analytics.metrics.participation import (
    LOW_PARTICIPATION,
    activity_highlights,
    participation_by_cadre,
    participation_by_group,
    participation_overview,
)
from analytics.metrics.quotas import (
    AMBER_RATIO,
    compliance_table,
    quota_by_cadre,
    quota_compliance,
    quota_needs,
    training_hours_by_cadre,
)
from analytics.metrics.reports import REPORT_TYPES, output_kpis
from analytics.metrics.rotation import study_days
from analytics.metrics.targets import targets_for_year
from analytics.semantic.scope import awards_in_scope, reports_in_scope
from analytics.store.db import sort_natural
from analytics.store.query import run

FORUM_RULE = (
    "季度默认取数据截至日期前最后一个完整季度；“年初至今”为1月1日至数据截至日期（工作总结口径）。"
    "同比为上年同期；环比为上一季度（“年初至今”无环比）。"
    "指标进度即“指标达成”页的达成情况表（同一计算、同一红黄绿规则），按年初至期末计算。"
)


# ----- periods -----


def last_complete_quarter(as_of: dt.date) -> tuple[int, int]:
    """The last quarter that has ended by `as_of` (2025-11-30 → (2025, 3))."""
    quarter = (as_of.month - 1) // 3 + 1
    year = as_of.year
    next_day = as_of + dt.timedelta(days=1)
    if next_day.month in (1, 4, 7, 10) and next_day.day == 1:
        return year, quarter
    if quarter == 1:
        return year - 1, 4
    return year, quarter - 1


def briefing_quarters(f: Filters) -> list[int | None]:
    """What the period chooser offers for the sidebar's year: None (年初至今) and begun quarters."""
    return [None] + [q for q in range(1, 5) if dt.date(f.year, 3 * q - 2, 1) <= f.as_of]


def briefing_period_options(f: Filters) -> dict[str, int | None]:
    """The period chooser: label (2025年 年初至今, 2025年第1季度 …) → quarter (None = 年初至今)."""
    return {
        t("forum.period.ytd", year=f.year)
        if q is None
        else t("forum.period.quarter", year=f.year, quarter=q): q
        for q in briefing_quarters(f)
    }


def default_briefing_quarter(f: Filters) -> int | None:
    """The sidebar's quarter if set, else the year's last complete quarter, else 年初至今."""
    if f.quarter is not None:
        return f.quarter
    year, quarter = last_complete_quarter(f.as_of)
    if year == f.year:
        return quarter
    if year > f.year:
        return 4
    return None


def briefing_filters(f: Filters, quarter: int | None) -> Filters:
    """The sidebar's filters with the briefing's own quarter (None = 年初至今)."""
    return f.model_copy(update={"quarter": quarter})


def next_quarter(f: Filters) -> tuple[int, int]:
    """The quarter the forum plans for: the first that ends after the as-of date (a briefing
    on 2025Q3 read on 30 November plans for the rest of Q4, not for October and November)."""
    end = f.as_of
    quarter = (end.month - 1) // 3 + 1
    q_end = dt.date(end.year, 12, 31) if quarter == 4 else dt.date(end.year, 3 * quarter + 1, 1)
    if quarter != 4:
        q_end -= dt.timedelta(days=1)
    if end < q_end:
        return end.year, quarter
    return (end.year + 1, 1) if quarter == 4 else (end.year, quarter + 1)


# ----- small metrics this page needs and the base metrics do not give -----


def missing_political_reports(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Cadres in scope with no submitted 政治能力提升报告 for a complete quarter of the period:
    one row per cadre and quarter, from the quota page's per-cadre facts (quota_by_cadre),
    leavers included (the quota page's name list keeps only those still in post)."""
    people = quota_by_cadre(con, f)
    rows = [
        {"cadre_id": cadre_id, "quarter": int(period[-1])}
        for cadre_id, missing in zip(people["cadre_id"], people["reports_missing"], strict=True)
        if isinstance(missing, str)
        for period in missing.split("、")
    ]
    frame = pd.DataFrame(rows, columns=["cadre_id", "quarter"])
    return frame.sort_values(["quarter", "cadre_id"]).reset_index(drop=True)


def reports_by_type(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Reports in scope submitted in the period, per type: every type of the 调研成果 page, zero
    included (the page's reports_by_quarter drops types that do not occur)."""
    reports = reports_in_scope(con, f)
    counts = reports.groupby("type").size().reindex(list(REPORT_TYPES), fill_value=0)
    return counts.rename_axis("type").reset_index(name="reports").astype({"reports": "int64"})


# ----- figures, quota status, attention, next quarter -----

FIGURE_KEYS = [
    "cadres", "participation_rate", "activities:理论学习", "activities:党性教育",
    "activities:实践锻炼", "research_sessions", "discussion_sessions", "research_reports",
    "hometown_articles", "awards", "training_hours", "rotation_share", "secondment_share",
]  # fmt: skip


def _programme_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, float]:
    """研学/座谈交流 sessions (学习参与 page) and 调研报告/回乡见闻 articles (调研成果 page)."""
    sessions = activity_highlights(con, f).iloc[0]
    outputs = output_kpis(con, f).set_index("key")["value"]
    return {
        "research_sessions": float(sessions["research_sessions"]),
        "discussion_sessions": float(sessions["discussion_sessions"]),
        "research_reports": float(outputs["research_reports"]),
        "hometown_articles": float(outputs["hometown_articles"]),
    }


# The briefing's own counts, by the 总览 card whose measure word they share.
_NOUN_OF = {
    "research_sessions": "activities", "discussion_sessions": "activities",
    "research_reports": "reports", "hometown_articles": "reports",
}  # fmt: skip


def figure_sense(key: str, unit: str) -> tuple[str, int]:
    """A key figure's measure word and which way is good news (+1 higher, 0 neither), as the
    总览 cards have them, so a card's 同比 colour follows the meaning of the change."""
    return kpi_noun(_NOUN_OF.get(key, key), unit), kpi_better(key)


def briefing_figures(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The briefing's key figures: value, 同比 (same period last year), 环比 (previous quarter;
    None for 年初至今), and for quotas the target, pro-rata expectation and status."""
    now = overview_kpis(con, f).set_index("key")  # its "previous" is the 同比 figure
    counts_now = _programme_counts(con, f)
    earlier = f.year_earlier()
    counts_yoy = comparable(_programme_counts(con, earlier), records_in_period(con, earlier))
    if f.quarter is not None:
        previous = f.quarter_earlier()
        # Only the previous quarter's own figures: not its targets nor its year-earlier figures.
        prev_figures: dict[str, float | None] | None = period_figures(con, previous)
        counts_qoq: dict[str, float] | None = _programme_counts(con, previous)
    else:
        prev_figures, counts_qoq = None, None
    rows = []
    for key in FIGURE_KEYS:
        if key in now.index:
            row = now.loc[key]
            value, unit = row["value"], row["unit"]
            yoy = row["previous"]
            qoq = prev_figures[key] if prev_figures is not None else None
            target, expected, status = row["target"], row["expected"], row["status"]
        else:
            value, unit = counts_now[key], "count"
            yoy = counts_yoy[key]
            qoq = counts_qoq[key] if counts_qoq is not None else None
            target, expected, status = None, None, "none"
        rows.append(
            {
                "key": key,
                "label": t(f"forum.figure.{key}"),
                "value": float_or_none(value),
                "yoy": float_or_none(yoy),
                "qoq": float_or_none(qoq),
                "unit": unit,
                "target": float_or_none(target),
                "expected": float_or_none(expected),
                "status": status,
            }
        )
    return pd.DataFrame(rows)


ATTENTION_COLUMNS = ["cadre_id", "name", "study_group", "division", "reasons", "link"]


def cadres_needing_attention(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Cadres in scope behind in the period: low participation, training hours under the
    progress target's amber line (year to date), a missing 政治能力提升报告. Most reasons first.

    A forum's one list of names, so it differs from the pages' lists on purpose: the rate rule
    is participation_by_cadre's below LOW_PARTICIPATION (no "quiet for 8 weeks" rule as in
    participation.cadres_behind), hours only count when under the amber line (the quota page's
    cadres_behind_on_hours lists anyone under pace), and leavers stay in for the period.
    """
    reasons: dict[str, list[str]] = {}

    def add(ids: pd.Series, texts: Iterable[str]) -> None:
        for cadre_id, text in zip(ids.tolist(), texts, strict=True):
            reasons.setdefault(cadre_id, []).append(text)

    part = participation_by_cadre(con, f)
    low = part[part["rate"] < LOW_PARTICIPATION]
    add(low["cadre_id"], [t("forum.attention.low_rate", rate=fmt.pct(r)) for r in low["rate"]])
    hours = training_hours_by_cadre(con, f.year_to_date())
    behind = hours[(hours["expected"] > 0) & (hours["hours"] < AMBER_RATIO * hours["expected"])]
    add(behind["cadre_id"], [
        t("forum.attention.hours", done=fmt.hours(done), expected=fmt.hours(expected))
        for done, expected in zip(behind["hours"], behind["expected"], strict=True)
    ])  # fmt: skip
    missing = missing_political_reports(con, f)
    add(missing["cadre_id"], [t("forum.attention.report", quarter=q) for q in missing["quarter"]])
    if not reasons:
        return pd.DataFrame(columns=ATTENTION_COLUMNS)
    people = run(
        con,
        "SELECT cadre_id, name, study_group, division FROM scoped_cadres(NULL, NULL) "
        "WHERE cadre_id IN (SELECT unnest($ids))",  # a hash join: list_contains scans the list
        ids=list(reasons),
    )
    people["reasons"] = people["cadre_id"].map(lambda cid: "；".join(reasons[cid]))
    people["n"] = people["cadre_id"].map(lambda cid: len(reasons[cid]))
    people["link"] = people["cadre_id"].map(profile_url)
    people = people.sort_values(["n", "cadre_id"], ascending=[False, True])
    return people[ATTENTION_COLUMNS].reset_index(drop=True)


ACTION_COLUMNS = ["action", "count", "basis"]


def next_quarter_actions(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """What falls due in the next quarter: the plan's rhythms plus catching up what is behind,
    all counted at the as-of date (what is already done by then is not asked for again).

    Columns: action (text), count (how many), basis (the target or gap it comes from).
    """
    year, quarter = next_quarter(f)
    label = f"{year}年第{quarter}季度"
    q_start = dt.date(year, 3 * quarter - 2, 1)
    first_month = max(q_start, (f.as_of + dt.timedelta(days=1)).replace(day=1))
    months = list(range(first_month.month, 3 * quarter + 1)) if first_month.year == year else []
    same_year = year == f.year
    targets = targets_for_year(con, year) or targets_for_year(con, f.year)
    now = f.model_copy(update={"quarter": None})  # 1 January to the as-of date
    rows: list[dict[str, Any]] = []

    def add(key: str, count: float, **values: Any) -> None:
        rows.append(
            {
                "action": t(f"forum.action.{key}", quarter=label, **values),
                "count": count,
                "basis": t(f"forum.action.{key}.basis", **values),
            }
        )

    if targets.get("forums_per_quarter"):
        add("forum", targets["forums_per_quarter"], n=fmt.count(targets["forums_per_quarter"]))
    per_month = targets.get("study_days_per_month")
    if per_month:
        behind = 0
        if same_year:
            days = study_days(con, now).iloc[0]
            behind = max(0, int(per_month * int(days["months"])) - int(days["held"]))
        add("study_days", per_month * len(months) + behind, months=len(months),
            per_month=fmt.count(per_month), behind=behind)  # fmt: skip
    groups = int(participation_overview(con, now).iloc[0]["groups"])
    if groups and months:
        add("mentor_turns", groups * len(months), groups=groups, months=len(months))
    heads = int(headcount(con, now).iloc[0]["at_end"])
    if targets.get("political_reports_per_quarter"):
        missing = missing_political_reports(con, now) if same_year else pd.DataFrame()
        add("political_reports", heads, n=heads, missing=len(missing),
            per=fmt.count(targets["political_reports_per_quarter"]))  # fmt: skip
    if same_year:
        needs = quota_needs(con, now).set_index("metric")
        if "training_hours_per_cadre" in needs.index:
            need = needs.loc["training_hours_per_cadre"]
            if need["short_cadres"]:
                add("training", int(need["short_cadres"]), n=int(need["short_cadres"]),
                    gap=fmt.hours(need["needed"]),
                    target=fmt.count(need["target"]))  # fmt: skip
        for key in ("rotation", "secondment"):
            if f"{key}_share" in needs.index and needs.loc[f"{key}_share", "needed"] > 0:
                need = needs.loc[f"{key}_share"]
                add(key, int(need["needed"]), n=int(need["needed"]),
                    target=fmt.pct(need["target"], 0), done=int(need["done"]),
                    cadres=int(need["cadres"]))  # fmt: skip
    else:
        add("new_year", 1, year=year)
    coverage = quota_compliance(con, now).set_index("metric")
    for kind, metric in (
        ("业务导师", "business_mentor_share"),
        ("写作导师", "writing_mentor_share"),
    ):
        missing = int(coverage.loc[metric, "denominator"] - coverage.loc[metric, "numerator"])
        if missing > 0:
            add("mentor", missing, kind=kind, n=missing)
    return pd.DataFrame(rows, columns=ACTION_COLUMNS)


# ----- the narrative -----


# ----- the pack: everything the page, the Word/PDF and the Excel show, computed once -----


def display_table(df: pd.DataFrame, prefix: str = "forum") -> pd.DataFrame:
    """The frame with Chinese headers from the labels table (`<prefix>.col.<column>`); dates
    shown as dates (no 00:00:00)."""
    df = df.copy()
    for column in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[column]):
            df[column] = df[column].dt.date
    return headed(df, prefix)


def figures_display(figures: pd.DataFrame) -> pd.DataFrame:
    """Key figures as the office writes them: 指标, 本期, 同比, 环比 (formatted text)."""
    rows = []
    for row in figures.itertuples():
        rows.append(
            {
                "label": row.label,
                "value_text": fmt.number(row.value, row.unit),
                "yoy_delta": fmt.delta(row.value, row.yoy, row.unit) or "—",
                "qoq_delta": fmt.delta(row.value, row.qoq, row.unit) or "—",
            }
        )
    return display_table(pd.DataFrame(rows, columns=["label", "value_text", "yoy_delta",
                                                       "qoq_delta"]))  # fmt: skip


@dataclass
class BriefingPack:
    """One period's briefing: every table behind a figure, chart or sentence, and the text."""

    f: Filters
    figures: pd.DataFrame
    participation: pd.DataFrame
    output: pd.DataFrame
    reports: pd.DataFrame
    awards_chart: pd.DataFrame
    awards: pd.DataFrame
    quota: pd.DataFrame
    attention: pd.DataFrame
    people: pd.DataFrame
    actions: pd.DataFrame
    narrative: Narrative

    def tables(self) -> dict[str, pd.DataFrame]:
        """Sheet name → table with Chinese headers: one sheet per table (the Excel download)."""
        facts = [
            {"fact": key, "fact_value": v if isinstance(v, int | float | str) else str(v)}
            for key, v in self.narrative.facts.items()
        ]  # fmt: skip
        return {
            t("forum.sheet.figures"): display_table(self.figures),
            t("forum.sheet.participation"): display_table(
                self.participation.rename(columns={"expected": "expected_attendance"})
            ),
            t("forum.sheet.output"): display_table(self.output),
            t("forum.sheet.reports"): display_table(self.reports),
            t("forum.sheet.awards_chart"): display_table(self.awards_chart),
            t("forum.sheet.awards"): display_table(self.awards),
            t("forum.sheet.quota"): compliance_table(self.quota),
            t("forum.sheet.attention"): display_table(self.attention),
            t("forum.sheet.people"): display_table(self.people),
            t("forum.sheet.actions"): display_table(self.actions),
            t("forum.sheet.facts"): display_table(pd.DataFrame(facts, columns=["fact",
                                                                               "fact_value"])),
        }  # fmt: skip


def briefing_pack(con: duckdb.DuckDBPyConnection, f: Filters) -> BriefingPack:
    """Compute the whole briefing for the period `f` (a quarter, or 年初至今 when quarter=None)."""
    groups = sort_natural(participation_by_group(con, f), "study_group")
    reports = reports_in_scope(con, f)
    awards = awards_in_scope(con, f)
    return BriefingPack(
        f=f,
        figures=briefing_figures(con, f),
        participation=groups,
        output=reports_by_type(con, f),
        reports=reports,
        awards_chart=awards_by_level_prize(con, f),
        awards=awards,
        quota=quota_compliance(con, f),
        attention=attention_items(con, f),
        people=cadres_needing_attention(con, f),
        actions=next_quarter_actions(con, f),
        narrative=briefing_narrative(con, f),
    )


def default_briefing_pack(con: duckdb.DuckDBPyConnection, f: Filters) -> BriefingPack:
    """The briefing the 季度座谈会 page opens on: the sidebar's filters `f` with their default
    quarter (default_briefing_quarter). Asked for with the sidebar's own filters, so the cache
    warmer, which keeps the calls made with default filters, has it ready after every write,
    for the new quarter when the data has moved on."""
    return briefing_pack(con, briefing_filters(f, default_briefing_quarter(f)))
