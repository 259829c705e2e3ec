"""总览: the period's key figures against last year and against the targets."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.common.labels import t
from analytics.metrics.activities import ACTIVITIES_RULE, CATEGORIES, activities_by_category
from analytics.metrics.cadres import HEADCOUNT_RULE, headcount
from analytics.metrics.comparison import comparable, records_in_period
from analytics.metrics.participation import (
    LOW_PARTICIPATION,
    participation_by_cadre,
    participation_by_group,
    participation_by_month,
)
from analytics.metrics.quotas import COVERAGE_KEYS, quota_compliance, rag_status
from analytics.metrics.rotation import mentor_turns
from analytics.metrics.targets import targets_for_year
from analytics.semantic.answer import figures
from analytics.semantic.rules import EXPECTED_RULE, HOURS_RULE, SHARE_RULE
from analytics.semantic.scope import AWARDS_RULE, REPORTS_RULE

# Each 总览 card's counting rule, from the module that computes the figure (shown on the card).
KPI_RULES: dict[str, str] = {
    "cadres": HEADCOUNT_RULE,
    "participation_rate": EXPECTED_RULE,
    "training_hours": HOURS_RULE,
    "reports": REPORTS_RULE,
    "awards": AWARDS_RULE,
    "rotation_share": "轮岗交流占比：有跨处室轮岗或专项工作经历的青年干部占比。" + SHARE_RULE,
    "secondment_share": "挂职锻炼占比：有挂职经历的青年干部占比。" + SHARE_RULE,
    **{f"activities:{c}": ACTIVITIES_RULE for c in CATEGORIES},
}

KPI_COLUMNS = [
    "key", "value", "previous", "target", "expected", "status", "unit", "noun", "better",
]  # fmt: skip
# Which way is good news for each KPI: +1 higher is better, 0 neither (headcount is a fact,
# not a score), so the 同比 colour follows the meaning of the change, not its sign.
NEUTRAL_KPIS = frozenset({"cadres"})
VERDICT_STATUSES = ("green", "amber", "red")
ATTENTION_SHOWN = 3  # items on the first screen; the rest fold away beneath them


def kpi_noun(key: str, unit: str) -> str:
    """A count's measure word ("activities:理论学习" → 场); none for other units."""
    return t(f"overview.kpi.noun.{key.partition(':')[0]}") if unit == "count" else ""


def kpi_better(key: str) -> int:
    """Which way is good news: +1 higher is better, 0 neither (NEUTRAL_KPIS)."""
    return 0 if key in NEUTRAL_KPIS else 1


# 总览's cards that are the catalogue's measures, card key → measure key.
PERIOD_MEASURES: dict[str, str] = {
    "participation_rate": "participation_rate",
    "training_hours": "training_hours_per_cadre",
    "reports": "reports",
    "awards": "awards",
    "rotation_share": "rotation_share",
    "secondment_share": "secondment_share",
}


def period_figures(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, float | None]:
    """The raw figures of one period; annual quotas are taken from 1 January to its end.

    overview_kpis adds targets and last year's figures; the briefing's 环比 needs only these."""
    heads = headcount(con, f).iloc[0]
    by_category = activities_by_category(con, f).set_index("category")["activities"]
    # The cards' figures are the semantic layer's measures (annual quotas: its cadre_year fact
    # counts from 1 January).
    got = figures(con, f, list(PERIOD_MEASURES.values()))
    out: dict[str, float | None] = {"cadres": float(heads["at_end"])}
    out.update({key: float_or_none(got[measure]) for key, measure in PERIOD_MEASURES.items()})
    for category in CATEGORIES:
        out[f"activities:{category}"] = float(by_category[category])
    return out


def float_or_none(value: Any) -> float | None:
    """A figure as a plain float, None for a missing one (None, NaN, NA)."""
    return None if value is None or pd.isna(value) else float(value)


def overview_kpis(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per KPI: value, 同比 value (None without records a year earlier), annual
    target, pro-rata expectation, RAG status, unit, measure word and good direction."""
    now = period_figures(con, f)
    earlier = f.year_earlier()
    before = comparable(period_figures(con, earlier), records_in_period(con, earlier))
    targets = targets_for_year(con, f.year)
    elapsed = f.year_to_date().elapsed_share
    hours_expected = figures(con, f, ["training_hours_expected"])["training_hours_expected"]
    target_of = {
        "training_hours": (
            targets.get("training_hours_per_cadre"),
            float_or_none(hours_expected),
        ),
        "rotation_share": (targets.get("rotation_share"), None),
        "secondment_share": (targets.get("secondment_share"), None),
    }
    rows = []
    for key, value in now.items():
        target, expected = target_of.get(key, (None, None))
        if target is not None and expected is None:
            expected = target * elapsed
        unit = (
            "share"
            if key.endswith("_share") or key.endswith("_rate")
            else ("hours" if key == "training_hours" else "count")
        )
        rows.append(
            {
                "key": key,
                "value": value,
                "previous": before[key],
                "target": target,
                "expected": expected,
                "status": rag_status(value, expected) if target is not None else "none",
                "unit": unit,
                "noun": kpi_noun(key, unit),
                "better": kpi_better(key),
            }
        )
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


def monthly_trend(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per month: activities and participation rate this year, with last year's rate beside it."""
    now = participation_by_month(con, f)
    before = participation_by_month(con, f.year_earlier())
    before["month"] = before["month"] + pd.DateOffset(years=1)
    merged = now.merge(
        before[["month", "rate", "activities"]].rename(
            columns={"rate": "rate_last_year", "activities": "activities_last_year"}
        ),
        on="month",
        how="left",
    )
    return merged[
        ["month", "activities", "activities_last_year", "expected", "attended", "rate",
         "rate_last_year"]
    ]  # fmt: skip


def verdict(compliance: pd.DataFrame) -> dict[str, int]:
    """How many of the year's quotas are 达标 / 接近 / 落后 (quotas with no target or nothing
    due yet are left out), from quota_compliance's frame."""
    counts = compliance["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in VERDICT_STATUSES}


def verdict_text(counts: dict[str, int]) -> str:
    """The one-line answer to "how are we doing": 8 项年度指标：1 项达标、1 项接近、6 项落后."""
    total = sum(counts.values())
    if total == 0:
        return t("overview.verdict.none")
    parts = "、".join(
        t("overview.verdict.part", n=counts[s], status=t(f"common.status.{s}"))
        for s in VERDICT_STATUSES
    )
    return t("overview.verdict.line", total=total, parts=parts)


def verdict_status(counts: dict[str, int]) -> str:
    """The verdict's own colour: red when any quota is 落后, amber when any is 接近."""
    return next((s for s in ("red", "amber") if counts.get(s)), "green")


def _quota_noun(key: str) -> str:
    return t(f"quotas.noun.{key}")


def attention_items(
    con: duckdb.DuckDBPyConnection, f: Filters, compliance: pd.DataFrame | None = None
) -> pd.DataFrame:
    """What is behind, with its gap: quotas under their pace, weak groups and cadres, months
    with no mentor on duty.

    Columns: severity ("red"/"amber"), text. Worst first: red before amber, then by the gap
    relative to what was due.
    """
    compliance = quota_compliance(con, f) if compliance is None else compliance
    items: list[tuple[str, float, str]] = []
    for row in compliance.itertuples():
        if row.status not in ("red", "amber"):
            continue
        gap = row.expected - row.actual
        noun = _quota_noun(row.metric)
        items.append(
            (
                row.status,
                gap / row.expected if row.expected else 0.0,
                t(
                    # a coverage quota is a state, compared with the full target: not paced
                    "overview.attention.below_target"
                    if row.metric in COVERAGE_KEYS
                    else "overview.attention.behind",
                    name=t(f"overview.quota.{row.metric}"),
                    actual=fmt.number(row.actual, row.unit, noun),
                    expected=fmt.number(row.expected, row.unit, noun),
                    gap=fmt.gap(gap, row.unit) + (f" {noun}" if row.unit == "count" else ""),
                ),
            )
        )
    for row in participation_by_group(con, f).itertuples():
        if row.rate < LOW_PARTICIPATION:
            items.append(
                (
                    "amber",
                    LOW_PARTICIPATION - row.rate,
                    t(
                        "overview.attention.low_group",
                        group=row.study_group,
                        rate=fmt.pct(row.rate),
                        threshold=fmt.pct(LOW_PARTICIPATION, 0),
                        gap=fmt.gap(LOW_PARTICIPATION - row.rate, "share"),
                    ),
                )
            )
    cadres = participation_by_cadre(con, f)
    low = int((cadres["rate"] < LOW_PARTICIPATION).sum()) if len(cadres) else 0
    if low:
        items.append(
            (
                "amber",
                low / max(1, len(cadres)),
                t(
                    "overview.attention.low_cadres",
                    n=low,
                    total=len(cadres),
                    threshold=fmt.pct(LOW_PARTICIPATION, 0),
                ),
            )  # fmt: skip
        )
    for row in mentor_turns(con, f).itertuples():
        if row.mentor_name is None or pd.isna(row.mentor_name):
            items.append(
                (
                    "amber",
                    0.0,
                    t("overview.attention.no_mentor", group=row.study_group,
                      month=fmt.month(row.month)),
                )
            )  # fmt: skip
    items.sort(key=lambda item: (item[0] != "red", -item[1]))
    return pd.DataFrame([(sev, text) for sev, _, text in items], columns=["severity", "text"])
