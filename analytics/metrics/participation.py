"""Participation: who was expected at which activity, and who came."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pandas as pd

from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.common.labels import headed, t
from analytics.common.links import with_profile
from analytics.metrics.activities import CATEGORIES, activities_in_scope
from analytics.semantic.answer import figures, figures_by
from analytics.store.db import natural_key, sort_natural
from analytics.store.query import run

# The rule the pages state, next to the code that applies it (the SQL is schema.sql's
# expected_attendance_rule, stored as expected_attendance_facts).
GROUP_HOURS_RULE = (
    "人均学时 = 小组成员在期间内参加活动计入的学时 ÷ 期间内任一时间在岗的小组成员人数"
    "（分子、分母为同一批人，含年中入职、调离人员）；“人数”列为期末在岗人数。"
)


# participation_summary's columns and the semantic layer's measures they are.
SUMMARY_MEASURES: dict[str, str] = {
    "expected": "expected", "attended": "attended", "on_leave": "on_leave", "absent": "absent",
    "unrecorded": "unrecorded", "hours": "activity_hours", "rate": "participation_rate",
}  # fmt: skip


def participation_summary(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: expected, attended, on leave, absent, unrecorded, rate, hours credited (the
    catalogue's measures, EXPECTED_RULE), and the rows left out by the stint rule (on_stint:
    挂职期间 n 人次)."""
    got = figures(con, f, list(SUMMARY_MEASURES.values()))
    on_stint = run(
        con, "SELECT count(*) AS n FROM scoped_on_stint($group, $division, $start, $end)", f
    )["n"].iat[0]
    row = {column: got[key] for column, key in SUMMARY_MEASURES.items()}
    return pd.DataFrame([{**row, "on_stint": int(on_stint)}]).astype({"rate": "float64"})


def participation_by_month(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per month of the period: activities held (in scope), expected, attended and rate."""
    return run(
        con,
        """
        WITH rows_in_scope AS (
            SELECT e.*, date_trunc('month', e.date) AS month
            FROM scoped_expected($group, $division, $start, $end) AS e
        ),
        final AS (
            SELECT
                m.month,
                count(DISTINCT r.activity_id) AS activities,
                count(r.cadre_id) AS expected,
                count(r.cadre_id) FILTER (WHERE r.status = '出席') AS attended
            FROM period_months($start, $end) AS m
            LEFT JOIN rows_in_scope AS r ON r.month = m.month
            GROUP BY m.month
        )
        SELECT month, activities, expected, attended,
               CASE WHEN expected = 0 THEN NULL ELSE attended / expected END AS rate
        FROM final
        ORDER BY month
        """,
        f,
    )


def participation_by_group(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per study group, in counting order: expected, attended, on leave, absent (incl.
    unrecorded), rate, hours: the catalogue's measures by 学习小组 (semantic.figures_by)."""
    measures = ["expected", "attended", "on_leave", "absent", "unrecorded", "participation_rate",
                "activity_hours"]  # fmt: skip
    frame = figures_by(con, f, measures, "study_group")
    return pd.DataFrame(
        {
            "study_group": frame["study_group"],
            "expected": frame["expected"],
            "attended": frame["attended"],
            "on_leave": frame["on_leave"],
            "absent": frame["absent"] + frame["unrecorded"],
            "rate": frame["participation_rate"],
            "hours": frame["activity_hours"],
        }
    )


def participation_by_cadre(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cadre with anything expected in the period: expected, attended, rate, last attended."""
    return run(
        con,
        """
        WITH per_cadre AS (
            SELECT
                e.cadre_id,
                count(*) AS expected,
                count(*) FILTER (WHERE e.status = '出席') AS attended,
                count(*) FILTER (WHERE e.status = '请假') AS on_leave,
                count(*) FILTER (WHERE e.status IN ('缺席', '未登记')) AS absent,
                count(*) FILTER (WHERE e.status = '出席') / count(*) AS rate,
                max(e.date) FILTER (WHERE e.status = '出席') AS last_attended
            FROM scoped_expected($group, $division, $start, $end) AS e
            GROUP BY e.cadre_id
        )
        SELECT c.cadre_id, c.name, c.study_group, c.division,
               p.expected, p.attended, p.on_leave, p.absent, p.rate, p.last_attended
        FROM per_cadre AS p
        JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
        ORDER BY p.rate, c.cadre_id
        """,
        f,
    )


# ----- 学习参与 page: group × month, activity mix, heatmap, who fell behind, detail -----

STATUS_ORDER: tuple[str, ...] = ("出席", "请假", "缺席")
# A rate under this is low: the "fell behind" list's default, the slider's start, and the
# overview's, the briefing's and the profile's low-participation rule.
LOW_PARTICIPATION = 0.8
BEHIND_WEEKS = 8  # the "no 出席 in the last N weeks" rule starts from this N
# The detail table shows at most this many rows (an office's year is a few thousand; a city's
# two million, which no browser table or XLSX sheet holds): a chart click narrows it.
DETAIL_LIMIT = 10_000
HEATMAP_LIMIT = 300  # cadres drawn in the cadre × month grid (sorted by group or lowest rate)
RESEARCH_FORM = "研学活动"
DISCUSSION_FORM = "座谈交流"


def participation_overview(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: cadres in post at the period end, study groups they form, and participation."""
    heads = run(
        con,
        """
        SELECT
            count(*) AS cadres,
            count(DISTINCT study_group) AS groups
        FROM scoped_cadres($group, $division)
        WHERE in_post(join_date, leave_date, $end, $end)
        """,
        f,
    )
    summary = participation_summary(con, f)
    return pd.concat([heads, summary], axis=1)


def group_comparison(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per study group, in counting order: cadres in post at the end and at any time in the
    period, participation, 挂职期间 rows, and hours per cadre (GROUP_HOURS_RULE)."""
    heads = run(
        con,
        """
        WITH members AS (
            SELECT study_group, count(*) FILTER (WHERE in_post(join_date, leave_date, $end, $end))
                       AS cadres,
                   count(*) AS cadres_during
            FROM scoped_cadres($group, $division)
            WHERE study_group IS NOT NULL AND in_post(join_date, leave_date, $start, $end)
            GROUP BY study_group
        ),
        away AS (
            SELECT study_group, count(*) AS on_stint
            FROM scoped_on_stint($group, $division, $start, $end)
            WHERE study_group IS NOT NULL
            GROUP BY study_group
        )
        SELECT m.*, coalesce(a.on_stint, 0) AS on_stint
        FROM members AS m LEFT JOIN away AS a USING (study_group)
        """,
        f,
    )
    groups = participation_by_group(con, f)
    frame = heads.merge(groups, on="study_group", how="outer")
    counts = ["cadres", "cadres_during", "expected", "attended", "on_leave", "absent", "on_stint"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    frame["hours"] = frame["hours"].fillna(0.0).astype("float64")
    frame["rate"] = frame["rate"].astype("float64")
    # The hours are the group's rows in the period (leavers' included), so the heads are too.
    during = frame["cadres_during"]
    frame["hours_per_cadre"] = (frame["hours"] / during.where(during > 0)).astype("float64")
    columns = ["study_group", "cadres", "cadres_during", "expected", "attended", "on_leave",
               "absent", "on_stint", "rate", "hours", "hours_per_cadre"]  # fmt: skip
    return sort_natural(frame[columns], "study_group")


def participation_by_group_month(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Every group × month of the period: expected, attended, 请假, 缺席 (+未登记), rate, hours."""
    frame = run(
        con,
        """
        WITH groups AS (
            SELECT DISTINCT study_group FROM scoped_cadres($group, $division)
            WHERE study_group IS NOT NULL AND in_post(join_date, leave_date, $start, $end)
        ),
        rows_in_scope AS (
            SELECT e.study_group, CAST(date_trunc('month', e.date) AS DATE) AS month,
                   e.status, e.credited_hours
            FROM scoped_expected($group, $division, $start, $end) AS e
            WHERE e.study_group IS NOT NULL
        ),
        final AS (
            SELECT
                g.study_group,
                m.month,
                count(r.status) AS expected,
                count(r.status) FILTER (WHERE r.status = '出席') AS attended,
                count(r.status) FILTER (WHERE r.status = '请假') AS on_leave,
                count(r.status) FILTER (WHERE r.status IN ('缺席', '未登记')) AS absent,
                coalesce(sum(r.credited_hours), 0) AS hours
            FROM groups AS g
            CROSS JOIN period_months($start, $end) AS m
            LEFT JOIN rows_in_scope AS r ON r.study_group = g.study_group AND r.month = m.month
            GROUP BY g.study_group, m.month
        )
        SELECT study_group, month, expected, attended, on_leave, absent,
               CASE WHEN expected = 0 THEN NULL ELSE attended / expected END AS rate,
               CAST(hours AS DOUBLE) AS hours
        FROM final
        """,
        f,
    )
    return sort_natural(frame, "study_group", "month")


def activity_mix(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per 三课 category and 形式: sessions held, hours, and the scoped cadres' attendance."""
    held = activities_in_scope(con, f)
    attendance = run(
        con,
        """
        SELECT
            e.activity_id,
            count(*) AS expected,
            count(*) FILTER (WHERE e.status = '出席') AS attended
        FROM scoped_expected($group, $division, $start, $end) AS e
        GROUP BY e.activity_id
        """,
        f,
    )
    columns = ["category", "form", "sessions", "hours", "expected", "attended", "rate"]
    if held.empty:
        return pd.DataFrame(columns=columns).astype(
            {"sessions": "int64", "hours": "float64", "expected": "int64", "attended": "int64",
             "rate": "float64"}
        )  # fmt: skip
    merged = held.merge(attendance, on="activity_id", how="left").fillna(
        {"expected": 0, "attended": 0}
    )
    frame = merged.groupby(["category", "form"], as_index=False).agg(
        sessions=("activity_id", "size"), hours=("hours", "sum"), expected=("expected", "sum"),
        attended=("attended", "sum"),
    )  # fmt: skip
    frame = frame.astype({"sessions": "int64", "hours": "float64", "expected": "int64",
                          "attended": "int64"})  # fmt: skip
    frame["rate"] = (frame["attended"] / frame["expected"].where(frame["expected"] > 0)).astype(
        "float64"
    )
    frame["_cat"] = frame["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    frame = frame.sort_values(["_cat", "sessions", "form"], ascending=[True, False, True])
    return frame.drop(columns="_cat")[columns].reset_index(drop=True)


def research_batches(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """研学活动 per 批次: sessions, first and last date, groups that ran them, attendance."""
    frame = run(
        con,
        """
        WITH sessions AS (
            SELECT a.activity_id, a.batch, a.date, a.organizer_group
            FROM activities AS a
            WHERE a.form = $form AND a.date BETWEEN $start AND $end
              AND (($group IS NULL AND $division IS NULL) OR a.activity_id IN (
                    SELECT e.activity_id
                    FROM scoped_expected($group, $division, $start, $end) AS e))
        ),
        attendance AS (  -- the period's rows only: an activity's rows carry its date
            SELECT e.activity_id, count(*) AS expected,
                   count(*) FILTER (WHERE e.status = '出席') AS attended
            FROM scoped_expected($group, $division, $start, $end) AS e
            WHERE e.form = $form
            GROUP BY e.activity_id
        )
        SELECT
            s.batch,
            count(*) AS sessions,
            min(s.date) AS first_date,
            max(s.date) AS last_date,
            -- an aggregate over no rows is NULL: a batch of office-wide sessions names no group
            coalesce(list(DISTINCT s.organizer_group)
                         FILTER (WHERE s.organizer_group IS NOT NULL),
                     CAST([] AS VARCHAR[])) AS groups,
            CAST(coalesce(sum(t.expected), 0) AS BIGINT) AS expected,
            CAST(coalesce(sum(t.attended), 0) AS BIGINT) AS attended,
            CASE WHEN coalesce(sum(t.expected), 0) = 0 THEN NULL
                 ELSE sum(t.attended) / sum(t.expected) END AS rate
        FROM sessions AS s
        LEFT JOIN attendance AS t USING (activity_id)
        GROUP BY s.batch
        """,
        f,
        form=RESEARCH_FORM,
    )
    frame["groups"] = ["、".join(sorted(g, key=natural_key)) for g in frame["groups"]]
    frame["batch"] = frame["batch"].fillna(t("participation.batch.none"))
    return sort_natural(frame, "batch")


def discussion_sessions(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """座谈交流 sessions: date, title, theme, lead, and how many scoped cadres took part (出席)."""
    return run(
        con,
        """
        SELECT
            a.activity_id, a.date, a.title, a.theme, a.lead,
            count(DISTINCT e.cadre_id) FILTER (WHERE e.status = '出席') AS participants
        FROM activities AS a
        JOIN scoped_expected($group, $division, $start, $end) AS e USING (activity_id)
        WHERE a.form = $form AND a.date BETWEEN $start AND $end
        GROUP BY ALL
        ORDER BY a.date, a.activity_id
        """,
        f,
        form=DISCUSSION_FORM,
    )


def discussion_themes(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """座谈交流 per theme: sessions and distinct cadres present, most sessions first."""
    return run(
        con,
        """
        SELECT
            coalesce(a.theme, '') AS theme,
            count(DISTINCT a.activity_id) AS sessions,
            count(DISTINCT e.cadre_id) FILTER (WHERE e.status = '出席') AS participants
        FROM activities AS a
        JOIN scoped_expected($group, $division, $start, $end) AS e USING (activity_id)
        WHERE a.form = $form AND a.date BETWEEN $start AND $end
        GROUP BY ALL
        ORDER BY sessions DESC, participants DESC, theme
        """,
        f,
        form=DISCUSSION_FORM,
    )


def activity_highlights(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: 研学 batches and sessions, 座谈交流 sessions and distinct participants."""
    return run(
        con,
        """
        WITH in_scope AS (
            SELECT e.activity_id, e.form, e.cadre_id, e.status, a.batch
            FROM scoped_expected($group, $division, $start, $end) AS e
            JOIN activities AS a USING (activity_id)
            WHERE e.form IN ($research, $discussion)  -- the only rows counted below
        )
        SELECT
            count(DISTINCT batch) FILTER (WHERE form = $research) AS research_batches,
            count(DISTINCT activity_id) FILTER (WHERE form = $research) AS research_sessions,
            count(DISTINCT activity_id) FILTER (WHERE form = $discussion) AS discussion_sessions,
            count(DISTINCT cadre_id) FILTER (WHERE form = $discussion AND status = '出席')
                AS discussion_participants
        FROM in_scope
        """,
        f,
        research=RESEARCH_FORM,
        discussion=DISCUSSION_FORM,
    )


def participation_heatmap(
    con: duckdb.DuckDBPyConnection, f: Filters, sort: str = "group",
    max_cadres: int = HEATMAP_LIMIT,
) -> pd.DataFrame:  # fmt: skip
    """Cadre × month cells with anything expected: expected, attended, rate; `row` orders cadres.

    sort="group": by study group then 工号; sort="rate": lowest period rate first. Only the
    first `max_cadres` cadres in that order (rows 0 … max_cadres − 1) are returned.
    """
    if sort not in ("group", "rate"):
        raise ValueError(f"sort must be 'group' or 'rate', not {sort!r}")
    # The cadres are ordered first (one row each), then only the cells of the first
    # `max_cadres` are counted and fetched: a city's year is 200,000 cells.
    people = run(
        con,
        """
        WITH per_cadre AS (
            SELECT e.cadre_id,
                   count(*) FILTER (WHERE e.status = '出席') / count(*) AS period_rate
            FROM scoped_expected($group, $division, $start, $end) AS e
            GROUP BY e.cadre_id
        )
        SELECT p.cadre_id, c.name, c.study_group, p.period_rate,
               -- a name shared by two cadres carries the 工号 so the rows stay apart
               CASE WHEN count(*) OVER (PARTITION BY c.name) > 1
                    THEN c.name || '（' || p.cadre_id || '）' ELSE c.name END AS label
        FROM per_cadre AS p JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
        """,
        f,
    )
    if sort == "rate":
        people = people.sort_values(["period_rate", "cadre_id"]).reset_index(drop=True)
    else:
        people = sort_natural(people.fillna({"study_group": ""}), "study_group", "cadre_id")
    people = people.iloc[:max_cadres].assign(row=range(min(len(people), max_cadres)))
    cells = run(
        con,
        """
        SELECT e.cadre_id, CAST(date_trunc('month', e.date) AS DATE) AS month,
               count(*) AS expected,
               count(*) FILTER (WHERE e.status = '出席') AS attended,
               count(*) FILTER (WHERE e.status = '出席') / count(*) AS rate
        FROM scoped_expected($group, $division, $start, $end) AS e
        WHERE e.cadre_id IN (SELECT unnest(CAST($ids AS VARCHAR[])))
        GROUP BY ALL
        """,
        f,
        ids=people["cadre_id"].tolist(),
    )
    frame = cells.merge(people, on="cadre_id").sort_values(["row", "month"])
    frame["row"] = frame["row"].astype("int64")
    columns = ["cadre_id", "name", "label", "study_group", "month", "expected", "attended",
               "rate", "period_rate", "row"]  # fmt: skip
    return frame[columns].reset_index(drop=True)


def cadres_behind(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    threshold: float = LOW_PARTICIPATION,
    weeks: int = BEHIND_WEEKS,
) -> pd.DataFrame:
    """Cadres in post at the period end whose rate is under `threshold`, or who were expected
    somewhere in the last `weeks` weeks up to the period end and attended none of it."""
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    frame = run(
        con,
        """
        WITH people AS (
            SELECT * FROM scoped_cadres($group, $division)
            WHERE in_post(join_date, leave_date, $end, $end)
        ),
        period AS (  -- counted first, joined to people after: 20 k rows, not 2 M
            SELECT e.cadre_id, count(*) AS expected,
                   count(*) FILTER (WHERE e.status = '出席') AS attended,
                   count(*) FILTER (WHERE e.status = '请假') AS on_leave,
                   count(*) FILTER (WHERE e.status IN ('缺席', '未登记')) AS absent
            FROM scoped_expected($group, $division, $start, $end) AS e
            GROUP BY e.cadre_id
        ),
        recent AS (
            SELECT e.cadre_id, count(*) AS expected_recent,
                   count(*) FILTER (WHERE e.status = '出席') AS attended_recent
            FROM scoped_expected($group, $division,
                                 CAST($end AS DATE) - CAST($days AS INTEGER) + 1, $end) AS e
            GROUP BY e.cadre_id
        ),
        away AS (
            SELECT e.cadre_id, count(*) AS on_stint
            FROM scoped_on_stint($group, $division, $start, $end) AS e
            GROUP BY e.cadre_id
        ),
        last_seen AS (
            SELECT e.cadre_id, max(e.date) AS last_attended
            FROM scoped_expected($group, $division, DATE '0001-01-01', $end) AS e
            WHERE e.status = '出席'
            GROUP BY e.cadre_id
        ),
        final AS (
            SELECT
                p.cadre_id, p.name, p.study_group, p.division,
                s.expected, s.attended, s.on_leave, s.absent,
                coalesce(w.on_stint, 0) AS on_stint,
                s.attended / s.expected AS rate,
                l.last_attended,
                coalesce(r.expected_recent, 0) AS expected_recent,
                s.attended / s.expected < $threshold AS low_rate,
                coalesce(r.expected_recent, 0) > 0 AND coalesce(r.attended_recent, 0) = 0
                    AS quiet
            FROM people AS p
            JOIN period AS s USING (cadre_id)
            LEFT JOIN recent AS r USING (cadre_id)
            LEFT JOIN last_seen AS l USING (cadre_id)
            LEFT JOIN away AS w USING (cadre_id)
        )
        SELECT * FROM final
        WHERE low_rate OR quiet
        ORDER BY rate, cadre_id
        """,
        f,
        threshold=threshold,
        days=7 * int(weeks),
    )
    frame = with_profile(frame, f)
    low = t("participation.behind.reason.low_rate", threshold=fmt.pct(threshold, 0))
    quiet = t("participation.behind.reason.quiet", weeks=int(weeks))
    frame["reason"] = [
        "；".join(text for flag, text in ((is_low, low), (is_quiet, quiet)) if flag)
        for is_low, is_quiet in zip(frame["low_rate"], frame["quiet"], strict=True)
    ]
    return frame


def labelled(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The columns a user sees, headed with their Chinese labels (for tables and downloads)."""
    return headed(df, "participation", columns)


DETAIL_COLUMNS: tuple[str, ...] = (
    "date", "activity_id", "title", "category", "form", "theme", "batch", "organizer_group",
    "cadre_id", "name", "study_group", "division", "role", "status", "credited_hours",
)  # fmt: skip


def attendance_detail(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    groups: tuple[str, ...] = (),
    months: tuple[dt.date, ...] = (),
    forms: tuple[str, ...] = (),
    cadres: tuple[str, ...] = (),
    limit: int = DETAIL_LIMIT,
) -> pd.DataFrame:
    """The expected-attendance rows behind the figures, narrowed by a selection (empty = all);
    the first `limit` of them in date order (a city's year is two million rows)."""
    return run(
        con,
        """
        WITH picked AS (
            SELECT e.*
            FROM scoped_expected($group, $division, $start, $end) AS e
            WHERE (len(CAST($groups AS VARCHAR[])) = 0
                   OR list_contains(CAST($groups AS VARCHAR[]), e.study_group))
              AND (len(CAST($months AS DATE[])) = 0
                   OR list_contains(CAST($months AS DATE[]),
                                    CAST(date_trunc('month', e.date) AS DATE)))
              AND (len(CAST($forms AS VARCHAR[])) = 0
                   OR list_contains(CAST($forms AS VARCHAR[]), e.form))
              AND (len(CAST($cadres AS VARCHAR[])) = 0
                   OR list_contains(CAST($cadres AS VARCHAR[]), e.cadre_id))
            ORDER BY e.date, e.activity_id, e.cadre_id
            LIMIT $limit
        )
        SELECT
            p.date, p.activity_id, a.title, p.category, p.form, a.theme, a.batch,
            p.organizer_group, c.cadre_id, c.name, c.study_group, c.division, p.role,
            p.status, p.credited_hours
        FROM picked AS p
        JOIN scoped_cadres($group, $division) AS c USING (cadre_id)
        JOIN activities AS a USING (activity_id)
        ORDER BY p.date, p.activity_id, c.cadre_id
        """,
        f,
        groups=list(groups),
        months=list(months),
        forms=list(forms),
        cadres=list(cadres),
        limit=int(limit),
    )
