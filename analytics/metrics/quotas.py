"""Quota compliance against the year's targets (read from the targets table, never from code)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

import duckdb
import pandas as pd

from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.common.labels import t
from analytics.common.links import with_profile
from analytics.metrics.targets import (
    QUOTA_KEYS,
    QUOTA_UNITS,
    Unit,
    default_targets,
    targets_for_year,
)
from analytics.semantic.answer import figures, figures_by
from analytics.semantic.rules import ROTATION_TYPES, SECONDMENT_TYPES, STINT_TYPES
from analytics.store.query import run, sql_text

Status = Literal["green", "amber", "red", "none"]


RAG_RULE = (
    "进度目标 = 年度目标 × 已过天数 ÷ 全年天数（导师配备等“每名青年干部都有”的指标不按进度，"
    "任何时点都与全年目标比较）。达到进度目标为绿色；达到进度目标的 90% 为黄色；低于 90% 为红色。"
)
# "为每名青年干部配备业务导师和写作导师" is a state every cadre should be in, not a flow that
# builds up over the year: compared with the full target at any date, with no linear projection.
COVERAGE_KEYS: tuple[str, ...] = ("business_mentor_share", "writing_mentor_share")
AMBER_RATIO = 0.9


def rag_status(actual: float | None, expected: float | None) -> Status:
    """Red/amber/green against the pro-rata expectation (rule in RAG_RULE)."""
    if actual is None or expected is None:
        return "none"
    if actual >= expected:
        return "green"
    if actual >= AMBER_RATIO * expected:
        return "amber"
    return "red"


def training_hours_by_cadre(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cadre in post during the period: hours completed and hours expected pro rata."""
    # The pro-rating rule is quota_by_cadre.sql's (people, hours and hours_expected there);
    # this reads only those three of its parts: the whole per-cadre fact sheet (stints, mentors,
    # quarterly reports) cost the overview and the forum several times over at city scale.
    # tests/unit/test_derived.py checks the two agree.
    return run(con, f"{sql_text('training_hours_by_cadre')}\nORDER BY cadre_id", f)


# ----- the quota page: compliance, breakdowns, the names still needed -----

# The quotas a single cadre contributes to: these break down by division and by study group.
PER_CADRE_KEYS: tuple[str, ...] = QUOTA_KEYS[:6]
# Each per-cadre quota's list of the names still needed (指标达成's 待落实名单).
NAMES_LIST: dict[str, str] = {
    "rotation_share": "pool", "secondment_share": "pool", "training_hours_per_cadre": "hours",
    "business_mentor_share": "mentors", "writing_mentor_share": "mentors",
    "political_reports_per_quarter": "reports",
}  # fmt: skip
BREAKDOWN_DIMENSIONS: tuple[str, ...] = ("division", "study_group")
STUDY_DAY_FORM = "理论学习日"
FORUM_FORM = "青年干部座谈会"
POLITICAL_REPORT = "政治能力提升报告"
DEFAULT_POOL_YEARS = 2

PACE_RULE = (
    "进度目标：比例类 = 年度目标 × 已过天数 ÷ 全年天数；学时 = 每人按在岗天数折算后的平均数；"
    "按月、按季度的指标 = 每期目标 × 已结束的月份（季度）数"
    "（政治能力提升报告再乘以每季度末在岗人数）。"
    "导师配备率不设进度目标、不作预计，始终与全年目标比较。"
    "预计全年：比例类和学时 = 当前值 ÷ 已过时间比例（比例不超过 100%）；"
    "按期指标 = 全年应完成数 × 当前值 ÷ 进度目标。"
)
NAMES_RULE = (
    "名单只列期末仍在岗的青年干部（已调离人员计入上方比例，但不再列入待办名单）。"
    "学时落后：已完成学时低于按在岗天数折算的进度学时。轮岗挂职储备：近 N 个年度（含本年）"
    "没有跨处室轮岗、专项工作或挂职经历。"
)

COMPLIANCE_COLUMNS = [
    "metric", "label", "unit", "actual", "target", "required", "expected", "projection", "progress",
    "status", "numerator", "denominator", "is_default",
]  # fmt: skip


def quota_by_cadre(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cadre in post during the period: stints, hours, mentors and quarterly reports."""
    return run(con, "quota_by_cadre", f, **STINT_TYPES)


def _periods_ended(f: Filters, months: int) -> int:
    """How many months (months=1) or quarters (months=3) of the period have ended by its end."""
    n = 0
    for k in range(12 // months):
        first = dt.date(f.year, k * months + 1, 1)
        last = _month_end(f.year, (k + 1) * months)
        if first >= f.period_start and last <= f.period_end:
            n += 1
    return n


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _held(con: duckdb.DuckDBPyConnection, f: Filters, form: str) -> int:
    """Office-wide activities of `form` held in the period (for 理论学习日, the same count as
    rotation.study_days' held: same table, same form and dates)."""
    frame = run(
        con,
        "SELECT count(*) AS held FROM activities "
        "WHERE form = $form AND date BETWEEN $start AND $end",
        f,
        form=form,
    )
    return int(frame.iloc[0]["held"])


def _status(actual: float | None, target: float | None, expected: float | None) -> Status:
    """RAG status; "none" when there is no target, no one to count, or nothing is due yet."""
    if target is None or actual is None or expected is None:
        return "none"
    if expected == 0 and target > 0:
        return "none"
    return rag_status(actual, expected)


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def _share_projection(actual: float | None, elapsed: float) -> float | None:
    if actual is None or elapsed <= 0:
        return None
    return min(1.0, actual / elapsed)


# The semantic layer's measures (catalogue.MEASURES) the compliance table is made of.
COMPLIANCE_MEASURES: tuple[str, ...] = (
    "cadres_in_year", "cadres_at_end", "rotation_cadres", "rotation_share", "secondment_cadres",
    "secondment_share", "training_hours_total", "training_hours_per_cadre",
    "training_hours_expected", "business_mentored", "business_mentor_share", "writing_mentored",
    "writing_mentor_share", "reports_due", "reports_submitted",
)  # fmt: skip


def quota_compliance(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per quota: actual year to date, target, pace expectation, projection, status."""
    ytd = f.year_to_date()
    elapsed = ytd.elapsed_share
    targets = targets_for_year(con, f.year)
    defaults = default_targets(con, f.year)
    got = figures(con, ytd, COMPLIANCE_MEASURES)
    n, n_now = got["cadres_in_year"], got["cadres_at_end"]
    months_ended, quarters_ended = _periods_ended(ytd, 1), _periods_ended(ytd, 3)
    rows: list[dict[str, Any]] = []

    def add(key: str, actual: float | None, expected: float | None, required: float | None,
            projection: float | None, numerator: float, denominator: float) -> None:  # fmt: skip
        target = targets.get(key)
        rows.append(
            {
                "metric": key, "label": t(f"quotas.metric.{key}"), "unit": QUOTA_UNITS[key],
                "actual": actual, "target": target,
                "required": required, "expected": expected, "projection": projection,
                "progress": None if actual is None or not expected else actual / expected,
                "status": _status(actual, target, expected),
                "numerator": numerator, "denominator": denominator,
                "is_default": key in defaults,
            }
        )  # fmt: skip

    for key, count in (("rotation_share", "rotation_cadres"),
                       ("secondment_share", "secondment_cadres")):  # fmt: skip
        target = targets.get(key)
        actual = got[key]
        add(key, actual, None if target is None else target * elapsed, target,
            _share_projection(actual, elapsed), got[count], n)  # fmt: skip

    hours_target = targets.get("training_hours_per_cadre")
    actual_hours = got["training_hours_per_cadre"]
    add(
        "training_hours_per_cadre", actual_hours,
        None if hours_target is None or n == 0 else got["training_hours_expected"],
        hours_target,
        None if actual_hours is None or elapsed <= 0 else actual_hours / elapsed,
        got["training_hours_total"] or 0.0, n,
    )  # fmt: skip

    for key, count in zip(COVERAGE_KEYS, ("business_mentored", "writing_mentored"), strict=True):
        target = targets.get(key)
        # Coverage: the full target is the comparison at any date; no projection.
        add(key, got[key], target, target, None, got[count], n_now)

    per_quarter = targets.get("political_reports_per_quarter")
    submitted, due_so_far = got["reports_submitted"], got["reports_due"]
    due_year = due_so_far + n_now * (4 - quarters_ended)
    expected = None if per_quarter is None else per_quarter * due_so_far
    required = None if per_quarter is None else per_quarter * due_year
    add("political_reports_per_quarter", float(submitted), expected, required,
        _discrete_projection(submitted, expected, required), submitted, due_so_far)  # fmt: skip

    for key, form, ended, periods in (
        ("study_days_per_month", STUDY_DAY_FORM, months_ended, 12),
        ("forums_per_quarter", FORUM_FORM, quarters_ended, 4),
    ):
        per_period = targets.get(key)
        held = _held(con, ytd, form)
        expected = None if per_period is None else per_period * ended
        required = None if per_period is None else per_period * periods
        add(key, float(held), expected, required,
            _discrete_projection(held, expected, required), held, ended)  # fmt: skip
    return pd.DataFrame(rows, columns=COMPLIANCE_COLUMNS)


NEEDS_COLUMNS = ["metric", "target", "done", "required", "needed", "cadres", "short_cadres"]


def quota_needs(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """What each quota with a target still needs for the year, at the end of `f` (year to date):
    done so far, required for the whole year, needed (≥ 0). Shares and coverage count people
    (⌈target × cadres⌉ − done); hours count the cadres still short of their whole-year hours
    (short_cadres) and the hours they lack; reports, study days and forums count what is due
    for the year less what is done."""
    compliance = quota_compliance(con, f).set_index("metric")
    rows: list[dict[str, Any]] = []
    for key, row in compliance.iterrows():
        target = _none(row["target"])
        if target is None:
            continue
        done, cadres, short = float(row["numerator"]), int(row["denominator"]), None
        if QUOTA_UNITS[key] == "share":
            required = float(math.ceil(target * cadres - 1e-9))
        elif key == "training_hours_per_cadre":
            year = f.year_to_date().model_copy(
                update={"as_of": max(f.as_of, dt.date(f.year, 12, 31))}
            )  # the whole year's hours expected, the same group, division and restriction
            hours = training_hours_by_cadre(con, year)
            lacking = hours[hours["hours"] < hours["expected"]]
            short = len(lacking)
            done = float(lacking["hours"].sum())
            required = float(lacking["expected"].sum())
        else:
            required = float(_none(row["required"]) or 0)
        rows.append(
            {"metric": key, "target": target, "done": done, "required": required,
             "needed": max(0.0, required - done), "cadres": cadres, "short_cadres": short}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=NEEDS_COLUMNS)


def _discrete_projection(
    actual: float, expected: float | None, required: float | None
) -> float | None:
    """Year-end count at the pace so far: what is required for the year × actual ÷ due so far."""
    if expected is None or required is None or expected == 0:
        return None
    return required * actual / expected


# The measures (catalogue.MEASURES) each division's or group's row of the breakdown is made of.
BREAKDOWN_MEASURES: tuple[str, ...] = (
    "cadres_in_year", "cadres_at_end", "rotation_share", "secondment_share",
    "training_hours_per_cadre", "training_hours_expected", "business_mentor_share",
    "writing_mentor_share", "reports_due", "reports_submitted",
)  # fmt: skip


def quota_breakdown(con: duckdb.DuckDBPyConnection, f: Filters, by: str) -> pd.DataFrame:
    """Per division or study group: each per-cadre quota's value, pace expectation and status.

    Columns: unit, cadres, current_cadres, then for each key in PER_CADRE_KEYS the value,
    `<key>:expected` and `<key>:status`. Reports appear as the share of due reports submitted
    (against the quarterly target), so that units of different size compare.
    """
    if by not in BREAKDOWN_DIMENSIONS:
        raise ValueError(f"unknown breakdown dimension: {by}")
    ytd = f.year_to_date()
    elapsed = ytd.elapsed_share
    targets = targets_for_year(con, f.year)
    parts = figures_by(con, ytd, BREAKDOWN_MEASURES, by)  # the catalogue's measures by `by`
    rows: list[dict[str, Any]] = []
    for part in parts.to_dict("records"):
        n, n_now = int(part["cadres_in_year"]), int(part["cadres_at_end"])
        row: dict[str, Any] = {"unit": part[by], "cadres": n, "current_cadres": n_now}
        values: dict[str, tuple[float | None, float | None]] = {}
        for key in ("rotation_share", "secondment_share"):
            target = targets.get(key)
            values[key] = (_none(part[key]), None if target is None else target * elapsed)
        hours_target = targets.get("training_hours_per_cadre")
        values["training_hours_per_cadre"] = (
            _none(part["training_hours_per_cadre"]),
            None if hours_target is None or n == 0 else _none(part["training_hours_expected"]),
        )
        for key in COVERAGE_KEYS:
            values[key] = (_none(part[key]), targets.get(key))
        per_quarter = targets.get("political_reports_per_quarter")
        due = int(part["reports_due"])
        values["political_reports_per_quarter"] = (
            None if not per_quarter else _ratio(int(part["reports_submitted"]), per_quarter * due),
            None if not per_quarter or due == 0 else 1.0,
        )  # fmt: skip
        for key in PER_CADRE_KEYS:
            value, expected = values[key]
            row[key] = value
            row[f"{key}:expected"] = expected
            row[f"{key}:status"] = _status(value, targets.get(key), expected)
        rows.append(row)
    columns = ["unit", "cadres", "current_cadres"] + [
        c for key in PER_CADRE_KEYS for c in (key, f"{key}:expected", f"{key}:status")
    ]
    return pd.DataFrame(rows, columns=columns)


def cadres_behind_on_hours(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Cadres in post now whose training hours are below their pro-rated pace, most short first."""
    people = quota_by_cadre(con, f.year_to_date())
    behind = people[
        people["in_post_at_end"]
        & people["hours_expected"].notna()
        & (people["hours"] < people["hours_expected"])
    ].copy()
    behind["hours_short"] = behind["hours_expected"] - behind["hours"]
    behind = behind.sort_values(["hours_short", "cadre_id"], ascending=[False, True])
    columns = ["cadre_id", "name", "division", "study_group", "hours", "hours_expected",
               "hours_short"]  # fmt: skip
    return with_profile(behind[columns])


def reports_missing(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Cadres in post now with a 政治能力提升报告 missing for a quarter that has ended."""
    people = quota_by_cadre(con, f.year_to_date())
    missing = people[
        people["in_post_at_end"] & (people["reports_submitted"] < people["reports_due"])
    ].copy()
    missing["reports_short"] = missing["reports_due"] - missing["reports_submitted"]
    missing = missing.sort_values(["reports_short", "cadre_id"], ascending=[False, True])
    columns = ["cadre_id", "name", "division", "study_group", "reports_due",
               "reports_submitted", "reports_short", "reports_missing"]  # fmt: skip
    return with_profile(missing[columns])


def mentors_missing(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Cadres in post now without both a 业务导师 and a 写作导师 in force."""
    people = quota_by_cadre(con, f.year_to_date())
    lacking = people[
        people["in_post_at_end"]
        & (people["business_mentor"].isna() | people["writing_mentor"].isna())
    ].copy()
    lacking["mentors_lacking"] = [
        "、".join(
            kind
            for kind, name in (("业务导师", b), ("写作导师", w))
            if name is None or pd.isna(name)
        )
        for b, w in zip(lacking["business_mentor"], lacking["writing_mentor"], strict=True)
    ]
    columns = ["cadre_id", "name", "division", "study_group", "business_mentor",
               "writing_mentor", "mentors_lacking"]  # fmt: skip
    return with_profile(lacking[columns])


def planning_pool(
    con: duckdb.DuckDBPyConnection, f: Filters, years: int = DEFAULT_POOL_YEARS
) -> pd.DataFrame:
    """Cadres in post now with no rotation, special work or secondment in the last `years` years.

    The window runs from 1 January of year − years + 1 to the end of the period; the last such
    stint before it (if any) is shown so that planners see who has waited longest.
    """
    if years < 1:
        raise ValueError("years must be at least 1")
    ytd = f.year_to_date()
    return with_profile(
        run(
            con,
            """
            WITH people AS (
                SELECT cadre_id, name, division, study_group, join_date
                FROM scoped_cadres($group, $division)
                WHERE in_post(join_date, leave_date, $end, $end)
            ),
            stints AS (
                SELECT * FROM assignments
                WHERE list_contains($types, type) AND start_date <= $end
            ),
            recent AS (
                SELECT DISTINCT cadre_id FROM stints
                WHERE coalesce(end_date, $end) >= make_date($year - $years + 1, 1, 1)
            ),
            last_stint AS (
                SELECT cadre_id, arg_max(type, coalesce(end_date, $end)) AS last_type,
                       max(coalesce(end_date, $end)) AS last_end
                FROM stints GROUP BY cadre_id
            ),
            final AS (
                SELECT p.cadre_id, p.name, p.division, p.study_group, p.join_date,
                       l.last_type, l.last_end
                FROM people AS p
                LEFT JOIN last_stint AS l USING (cadre_id)
                WHERE p.cadre_id NOT IN (SELECT cadre_id FROM recent)
            )
            SELECT * FROM final ORDER BY last_end NULLS FIRST, join_date, cadre_id
            """,
            ytd,
            types=ROTATION_TYPES + SECONDMENT_TYPES,
            years=years,
        )
    )


# ----- what the page shows and downloads -----


def target_text(key: str, value: float | None, is_default: bool = False) -> str:
    """A target as the work report says it: 30%, 60 学时/人, 每月 1 次; （默认） when the year
    has no value of its own."""
    if value is None:
        return t("quotas.target.unset")
    shown = fmt.pct(value, 0) if QUOTA_UNITS[key] == "share" else f"{value:g}"
    text = t(f"quotas.target.{key}", value=shown)
    return text + t("common.default_mark") if is_default else text


def _basis(row: pd.Series) -> str:
    num, den = row["numerator"], row["denominator"]
    if row["metric"] == "training_hours_per_cadre":
        return t("quotas.basis.hours", hours=f"{num:,.0f}", n=int(den))
    kind = {
        "political_reports_per_quarter": "reports",
        "study_days_per_month": "months",
        "forums_per_quarter": "quarters",
    }.get(row["metric"], "cadres")
    return t(f"quotas.basis.{kind}", num=int(num), den=int(den))


def compliance_table(compliance: pd.DataFrame) -> pd.DataFrame:
    """The compliance frame as the page shows and downloads it: Chinese headers, formatted."""
    rows = []
    for _, row in compliance.iterrows():
        unit = row["unit"]
        rows.append(
            {
                t("quotas.col.metric"): t(f"quotas.metric.{row['metric']}"),
                t("quotas.col.target"): target_text(
                    row["metric"], _none(row["target"]), bool(row["is_default"])
                ),
                t("quotas.col.actual"): fmt.number(_none(row["actual"]), unit),
                t("quotas.col.expected"): t("quotas.expected.coverage")
                if row["metric"] in COVERAGE_KEYS
                else fmt.number(_none(row["expected"]), unit),
                t("quotas.col.progress"): fmt.pct(_none(row["progress"]), 0),
                t("quotas.col.projection"): t("quotas.projection.coverage")
                if row["metric"] in COVERAGE_KEYS
                else fmt.number(_none(row["projection"]), unit),
                t("quotas.col.required"): fmt.number(_none(row["required"]), unit),
                t("quotas.col.status"): t(f"common.status.{row['status']}"),
                t("quotas.col.basis"): _basis(row),
            }
        )
    return pd.DataFrame(rows)


def breakdown_unit(key: str) -> Unit:
    """The unit of a quota in the breakdown by division or group: as on the summary, except
    political reports, which are compared as the share of reports due that were submitted."""
    return "share" if key == "political_reports_per_quarter" else QUOTA_UNITS[key]


def breakdown_table(breakdown: pd.DataFrame, by: str) -> pd.DataFrame:
    """The breakdown as the page shows it: one row per division or group, value（状态）."""
    rows = []
    for _, row in breakdown.iterrows():
        shown: dict[str, Any] = {
            t(f"quotas.col.{by}"): row["unit"],
            t("quotas.col.cadres"): int(row["cadres"]),
            t("quotas.col.current_cadres"): int(row["current_cadres"]),
        }
        for key in PER_CADRE_KEYS:
            unit = breakdown_unit(key)
            value = fmt.number(_none(row[key]), unit)
            status = row[f"{key}:status"]
            label = (
                t("quotas.breakdown.reports_rate")
                if unit != QUOTA_UNITS[key]
                else t(f"quotas.metric.{key}")
            )
            shown[label] = (
                value if status == "none" else f"{value}（{t(f'common.status.{status}')}）"
            )
        rows.append(shown)
    return pd.DataFrame(rows)


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


# Columns of the name lists and the breakdown, as their headers read (downloads use these too).
def column_label(column: str) -> str:
    """The Chinese header of a column of the quota page's frames."""
    base, _, suffix = column.partition(":")
    if suffix:
        return t(f"quotas.col.{suffix}_of", name=t(f"quotas.metric.{base}"))
    if base in QUOTA_UNITS:
        return t(f"quotas.metric.{base}")
    return t(f"quotas.col.{base}")


def for_download(frame: pd.DataFrame) -> pd.DataFrame:
    """A page frame for CSV/XLSX: the link column dropped, Chinese headers, statuses in words."""
    out = frame.drop(columns=[c for c in ("profile",) if c in frame.columns]).copy()
    for column in out.columns:
        if column.endswith(":status"):
            out[column] = out[column].map(lambda s: t(f"common.status.{s}"))
    return out.rename(columns={c: column_label(c) for c in out.columns})
