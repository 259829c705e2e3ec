"""干部档案 (一人一档): one cadre's whole record, where they stand in their group, what is due.

The record is about one person, so the sidebar's group/division filter chooses whom the search
lists but never hides part of the record; the year/quarter chooses the period of the activity
and training lists and of the standing. Reports, awards, assignments, assessments and mentors
are listed in full (the whole file), newest first.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers

import duckdb
import pandas as pd

from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.common.labels import headed, t
from analytics.metrics.participation import LOW_PARTICIPATION, participation_by_cadre
from analytics.metrics.quotas import quota_by_cadre, training_hours_by_cadre
from analytics.metrics.rotation import mentor_turns
from analytics.metrics.targets import targets_for_year
from analytics.store.query import run

PROFILE_RULE = (
    "档案按人展示，不受学习小组、处室筛选影响（筛选只决定搜索列表中的人员）。"
    "活动与专业培训按所选期间列出；调研成果、获奖、轮岗挂职、考核与导师为全部记录。"
    "组内位置与本组在岗青年干部的中位数比较；专业培训学时按年初至期末计算。"
    "“本年度还需完成”按全年目标计：学时目标按在岗天数折算；政治能力提升报告每季度 1 篇；"
    "业务导师、写作导师各 1 名；全办 30% 的轮岗交流指标落到个人即“尚未参加轮岗交流或专项工作”。"
)


def _whole_office(f: Filters) -> Filters:
    return f.model_copy(update={"group": None, "division": None})


def cadre_directory(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Every cadre in the group/division filter: 工号, name, group, division, in post at as-of."""
    return run(
        con,
        """
        SELECT cadre_id, name, study_group, division,
               in_post(join_date, leave_date, $as_of, $as_of) AS in_post
        FROM scoped_cadres($group, $division)
        ORDER BY cadre_id
        """,
        f,
    )


def cadre_basics(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """The cadre's row (empty frame when the 工号 is unknown), with age and service at as-of."""
    return run(
        con,
        """
        SELECT c.*,
               CASE WHEN c.birth_date IS NULL THEN NULL
                    ELSE date_diff('year', c.birth_date, CAST($as_of AS DATE))
                         - CASE WHEN strftime(c.birth_date, '%m%d')
                                     > strftime(CAST($as_of AS DATE), '%m%d') THEN 1 ELSE 0 END
               END AS age,
               round(date_diff('day', c.join_date, least(coalesce(c.leave_date,
                     CAST($as_of AS DATE)), CAST($as_of AS DATE))) / 365.25, 1) AS service_years,
               in_post(c.join_date, c.leave_date, $as_of, $as_of) AS in_post
        FROM scoped_cadres(NULL, NULL) AS c  -- nobody the user may not see (schema.sql)
        WHERE c.cadre_id = $cadre_id
        """,
        f,
        cadre_id=cadre_id,
    )


def cadre_activities(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """Every activity the cadre was expected at in the period, with status and running hours."""
    frame = run(
        con,
        """
        SELECT e.date, e.activity_id, a.title, e.category, e.form, e.role, e.status,
               e.credited_hours
        FROM expected_attendance AS e
        JOIN activities AS a USING (activity_id)
        WHERE e.cadre_id = $cadre_id AND e.date BETWEEN $start AND $end
        ORDER BY e.date, e.activity_id
        """,
        f,
        cadre_id=cadre_id,
    )
    frame["cumulative_hours"] = frame["credited_hours"].cumsum()
    return frame


def cadre_training(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """Professional training the cadre completed in the period, by date."""
    return run(
        con,
        """
        SELECT completion_date, course, category, hours, mode
        FROM training
        WHERE cadre_id = $cadre_id AND completion_date BETWEEN $start AND $end
        ORDER BY completion_date, course
        """,
        f,
        cadre_id=cadre_id,
    )


def cadre_reports(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """Every report the cadre wrote or co-wrote (执笔/参与), newest first."""
    return run(
        con,
        """
        SELECT r.submit_date, r.report_id, r.title, r.type, r.source, ra.role, r.grade,
               r.outcome, r.outlet
        FROM report_authors AS ra
        JOIN reports AS r USING (report_id)
        WHERE ra.cadre_id = $cadre_id AND r.submit_date <= $as_of
        ORDER BY r.submit_date DESC, r.report_id
        """,
        f,
        cadre_id=cadre_id,
    )


def cadre_awards(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """Every award the cadre won (alone or in a team), newest first."""
    return run(
        con,
        """
        SELECT w.date, w.competition, w.level, w.category, w.prize, w.work
        FROM award_winners AS aw
        JOIN awards AS w USING (award_id)
        WHERE aw.cadre_id = $cadre_id AND w.date <= $as_of
        ORDER BY w.date DESC, w.award_id
        """,
        f,
        cadre_id=cadre_id,
    )


def cadre_assignments(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """Every rotation, special-work stint and secondment, newest first, running or ended."""
    return run(
        con,
        """
        SELECT type, destination, start_date, end_date,
               coalesce(end_date, CAST($as_of AS DATE)) >= CAST($as_of AS DATE) AS running
        FROM assignments
        WHERE cadre_id = $cadre_id AND start_date <= $as_of
        ORDER BY start_date DESC, type
        """,
        f,
        cadre_id=cadre_id,
    )


def cadre_assessments(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """Every assessment (政治能力提升报告, 季度考核, 年度考核), newest period first."""
    return run(
        con,
        """
        SELECT period, type, result, score
        FROM assessments
        WHERE cadre_id = $cadre_id
        ORDER BY period DESC, type
        """,
        f,
        cadre_id=cadre_id,
    )


def cadre_mentors(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """The cadre's mentor pairings (业务导师/写作导师/班子成员结对), current ones first."""
    return run(
        con,
        """
        SELECT mentor_type, mentor_name, start_date, end_date,
               start_date <= $as_of AND coalesce(end_date, CAST($as_of AS DATE)) >= $as_of
                   AS current
        FROM mentorships
        WHERE cadre_id = $cadre_id AND start_date <= $as_of
        ORDER BY current DESC, start_date DESC, mentor_type
        """,
        f,
        cadre_id=cadre_id,
    )


def credited_hours_by_cadre(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cadre in post during the period: activity hours credited (学时 from attendance).

    Kept apart from participation_by_cadre: the standing compares every peer in post, so a cadre
    with nothing expected in the period counts as 0 hours here (that frame leaves them out).
    """
    return run(
        con,
        """
        SELECT c.cadre_id, coalesce(sum(e.credited_hours), 0) AS hours
        FROM scoped_cadres($group, $division) AS c
        LEFT JOIN expected_attendance AS e
               ON e.cadre_id = c.cadre_id AND e.date BETWEEN $start AND $end
        WHERE in_post(c.join_date, c.leave_date, $start, $end)
        GROUP BY c.cadre_id
        ORDER BY c.cadre_id
        """,
        f,
    )


def outputs_by_cadre(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per cadre in post during the period: reports (any author role) and awards in the period.

    Kept apart from reports.leading_authors / awards.award_winners: those list only authors
    (the top N) and winners; the standing needs every peer in post, zeros included.
    """
    return run(
        con,
        """
        WITH people AS (
            SELECT cadre_id FROM scoped_cadres($group, $division)
            WHERE in_post(join_date, leave_date, $start, $end)
        ),
        written AS (
            SELECT ra.cadre_id, count(*) AS reports
            FROM report_authors AS ra JOIN reports AS r USING (report_id)
            WHERE r.submit_date BETWEEN $start AND $end
            GROUP BY ra.cadre_id
        ),
        won AS (
            SELECT aw.cadre_id, count(*) AS awards
            FROM award_winners AS aw JOIN awards AS w USING (award_id)
            WHERE w.date BETWEEN $start AND $end
            GROUP BY aw.cadre_id
        )
        SELECT p.cadre_id, coalesce(w.reports, 0) AS reports, coalesce(n.awards, 0) AS awards
        FROM people AS p
        LEFT JOIN written AS w USING (cadre_id)
        LEFT JOIN won AS n USING (cadre_id)
        ORDER BY p.cadre_id
        """,
        f,
    )


STANDING_COLUMNS = ["measure", "unit", "value", "group_median", "rank", "peers"]


def cadre_standing(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """The cadre against the median of their study group (in post in the period), per measure.

    Measures: participation rate and activity hours (period), training hours (year to the
    period's end), reports and awards (period). rank is 1 for the best in the group.
    """
    basics = cadre_basics(con, f, cadre_id)
    if basics.empty or f.is_empty:
        return pd.DataFrame(columns=STANDING_COLUMNS)
    group = basics.iloc[0]["study_group"]
    peers_f = _whole_office(f).model_copy(update={"group": None if pd.isna(group) else group})
    part = participation_by_cadre(con, peers_f).set_index("cadre_id")["rate"]
    hours = credited_hours_by_cadre(con, peers_f).set_index("cadre_id")["hours"]
    training = training_hours_by_cadre(con, peers_f.year_to_date()).set_index("cadre_id")["hours"]
    outputs = outputs_by_cadre(con, peers_f).set_index("cadre_id")
    measures = [
        ("participation_rate", "share", part),
        ("activity_hours", "hours", hours),
        ("training_hours", "hours", training),
        ("reports", "count", outputs["reports"]),
        ("awards", "count", outputs["awards"]),
    ]
    rows = []
    for key, unit, series in measures:
        series = series.dropna().astype("float64")
        value = float(series[cadre_id]) if cadre_id in series.index else None
        rank = int((series > value).sum()) + 1 if value is not None else None
        rows.append(
            {
                "measure": key,
                "unit": unit,
                "value": value,
                "group_median": float(series.median()) if len(series) else None,
                "rank": rank,
                "peers": len(series),
            }
        )
    return pd.DataFrame(rows, columns=STANDING_COLUMNS)


NEEDS_COLUMNS = ["kind", "text", "gap"]


def political_reports_by_quarter(
    con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str
) -> pd.DataFrame:
    """Each quarter of the year begun by as-of in which the cadre was in post: submitted or not.

    Unlike the quota page (quota_by_cadre: quarters ended, owed by those in post on the last
    day), this lists the running quarter too, so that the profile can say a report is coming due.
    Columns: quarter, period (2025Q1), quarter_end, complete (quarter ended by as-of), submitted.
    """
    return run(
        con,
        """
        WITH quarters AS (
            SELECT q AS quarter,
                   make_date($year, 3 * q - 2, 1) AS q_start,
                   CAST(make_date($year, 3 * q - 2, 1) + INTERVAL 3 MONTH - INTERVAL 1 DAY
                        AS DATE) AS quarter_end
            FROM range(1, 5) AS t(q)
        )
        SELECT q.quarter, concat($year, 'Q', q.quarter) AS period, q.quarter_end,
               q.quarter_end <= $as_of AS complete,
               EXISTS (SELECT 1 FROM assessments AS s
                       WHERE s.cadre_id = c.cadre_id AND s.period = concat($year, 'Q', q.quarter)
                         AND s.type = '政治能力提升报告' AND s.result = '提交') AS submitted
        FROM quarters AS q
        JOIN scoped_cadres(NULL, NULL) AS c ON c.cadre_id = $cadre_id
        WHERE q.q_start <= $as_of AND in_post(c.join_date, c.leave_date, q.q_start, q.quarter_end)
        ORDER BY q.quarter
        """,
        f,
        cadre_id=cadre_id,
    )


def cadre_needs(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """What the cadre still needs in the year: hours short, rotation, reports, mentors, attendance.

    Columns: kind (training/rotation/political_report/mentor/participation), text, gap.
    """
    basics = cadre_basics(con, f, cadre_id)
    if basics.empty:
        return pd.DataFrame(columns=NEEDS_COLUMNS)
    person = basics.iloc[0]
    year_end = dt.date(f.year, 12, 31)
    left = person["leave_date"]
    if not pd.isna(left) and pd.Timestamp(left).date() < min(f.as_of, year_end):
        return pd.DataFrame(columns=NEEDS_COLUMNS)
    targets = targets_for_year(con, f.year)
    items: list[dict[str, object]] = []
    # One person's needs: the whole office's year (no group or division filter, so the cadre is
    # in it), still under the reader's row restriction (visible_group).
    office = {"quarter": None, "group": None, "division": None}
    whole_year = f.model_copy(update={**office, "as_of": max(f.as_of, year_end)})
    # Training: everything done this year against the whole year's (pro-rated) requirement.
    if targets.get("training_hours_per_cadre"):
        hours = training_hours_by_cadre(con, whole_year).set_index("cadre_id")
        if cadre_id in hours.index:
            done = float(hours.loc[cadre_id, "hours"])
            due = float(hours.loc[cadre_id, "expected"])
            if done < due:
                items.append(
                    {
                        "kind": "training",
                        "text": t("profile.need.training", year=f.year, gap=fmt.hours(due - done),
                                  done=fmt.hours(done), due=fmt.hours(due)),
                        "gap": due - done,
                    }
                )  # fmt: skip
    # Rotation / special work: the office's 30% quota, seen from one person.
    # Whether the cadre counts towards it is the quota page's per-cadre fact (quota_by_cadre).
    if targets.get("rotation_share"):
        facts = quota_by_cadre(con, f.model_copy(update=office)).set_index("cadre_id")
        if not (cadre_id in facts.index and bool(facts.loc[cadre_id, "rotation"])):
            items.append(
                {
                    "kind": "rotation",
                    "text": t("profile.need.rotation", year=f.year,
                              target=fmt.pct(targets["rotation_share"], 0)),
                    "gap": 1.0,
                }
            )  # fmt: skip
    # 政治能力提升报告: one per quarter.
    if targets.get("political_reports_per_quarter"):
        for row in political_reports_by_quarter(con, f, cadre_id).itertuples():
            if row.submitted:
                continue
            key = "profile.need.report_missing" if row.complete else "profile.need.report_due"
            items.append(
                {
                    "kind": "political_report",
                    "text": t(key, year=f.year, quarter=row.quarter,
                              due=fmt.date(row.quarter_end)),
                    "gap": 1.0,
                }
            )  # fmt: skip
    # 业务导师 and 写作导师: one of each.
    mentors = cadre_mentors(con, f, cadre_id)
    current = set(mentors.loc[mentors["current"], "mentor_type"])
    for kind, metric in (
        ("业务导师", "business_mentor_share"),
        ("写作导师", "writing_mentor_share"),
    ):
        if targets.get(metric) and kind not in current:
            items.append(
                {"kind": "mentor", "text": t("profile.need.mentor", kind=kind), "gap": 1.0}
            )
    # Participation: the 学习参与 page's threshold, over the year so far.
    part = participation_by_cadre(con, _whole_office(f).year_to_date()).set_index("cadre_id")
    if cadre_id in part.index:
        rate = float(part.loc[cadre_id, "rate"])
        if rate < LOW_PARTICIPATION:
            items.append(
                {
                    "kind": "participation",
                    "text": t("profile.need.participation", year=f.year, rate=fmt.pct(rate),
                              threshold=fmt.pct(LOW_PARTICIPATION, 0)),
                    "gap": LOW_PARTICIPATION - rate,
                }
            )  # fmt: skip
    return pd.DataFrame(items, columns=NEEDS_COLUMNS)


def find_cadre(directory: pd.DataFrame, text: str | None) -> str | None:
    """The 工号 a URL value or typed text stands for: an exact 工号, else a unique exact name."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    ids = directory["cadre_id"].tolist()
    if text in ids:
        return text
    upper = text.upper()
    if upper in ids:
        return upper
    named = directory.loc[directory["name"] == text, "cadre_id"].tolist()
    return named[0] if len(named) == 1 else None


SEARCH_LIMIT = 50  # matches the 干部档案 search offers at most (type more to narrow)


def like_pattern(text: str) -> str:
    """`text` as a LIKE pattern matching it anywhere, its own %, _ and \\ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_cadres(con: duckdb.DuckDBPyConnection, f: Filters, text: str,
                  limit: int = SEARCH_LIMIT) -> pd.DataFrame:  # fmt: skip
    """The cadres whose 工号 or 姓名 contains `text` (case-insensitive; every character literal,
    % and _ included), within the sidebar's group/division and what the user may see: an exact
    工号 or name first, then those starting with the text, then by 工号; at most `limit` rows."""
    text = text.strip()
    if not text:
        return cadre_directory(con, f).head(0)
    return run(
        con,
        """
        SELECT cadre_id, name, study_group, division,
               in_post(join_date, leave_date, $as_of, $as_of) AS in_post
        FROM scoped_cadres($group, $division)
        WHERE cadre_id ILIKE $pattern ESCAPE '\\' OR name ILIKE $pattern ESCAPE '\\'
        ORDER BY (upper(cadre_id) = upper($text) OR name = $text) DESC,
                 (starts_with(upper(cadre_id), upper($text)) OR starts_with(name, $text)) DESC,
                 cadre_id
        LIMIT $limit
        """,
        f,
        text=text,
        pattern=like_pattern(text),
        limit=int(limit),
    )


def option_labels(directory: pd.DataFrame, ids: list[str]) -> dict[str, str]:
    """How the cadres `ids` of `directory` appear in the search box, by 工号:
    姓名（工号）· 小组 · 处室 [· 已调离] (the first row of a 工号 wins)."""
    directory = directory.loc[directory["cadre_id"].isin(ids)]
    labels: dict[str, str] = {}
    for cid, name, group, division, in_post in zip(
        directory["cadre_id"].tolist(), directory["name"].tolist(),
        directory["study_group"].tolist(), directory["division"].tolist(),
        directory["in_post"].tolist(), strict=True,
    ):  # fmt: skip
        if cid in labels:
            continue
        parts = [f"{name}（{cid}）"]
        if isinstance(group, str):
            parts.append(group)
        parts.append(division)
        if not bool(in_post):
            parts.append(t("profile.left"))
        labels[cid] = " · ".join(parts)
    return labels


def is_number(value: object) -> bool:
    """True for a real number, numpy's included (not None/NaN/bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    return not math.isnan(float(value))


def all_cadres(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Every cadre on file whatever the sidebar's group/division (a link may name anyone)."""
    return cadre_directory(con, _whole_office(f))


def search_options(directory: pd.DataFrame, selected: str | None) -> list[str]:
    """The 工号 the search box offers: the matches, plus the one shown if outside them."""
    options = directory["cadre_id"].tolist()
    if selected is not None and selected not in options:
        options.insert(0, selected)
    return options


def basics_items(basics: pd.DataFrame) -> list[tuple[str, str]]:
    """The cadre's basic facts as (label, text) pairs, in the order a personnel file lists them."""
    if basics.empty:
        return []
    row = basics.iloc[0]

    def text(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return t("profile.basics.none")
        if isinstance(value, pd.Timestamp | dt.date):
            return fmt.date(pd.Timestamp(value).date())
        return str(value)

    status = t("profile.in_post") if bool(row["in_post"]) else t("profile.left")
    age = t("profile.basics.age_value", n=int(row["age"])) if is_number(row["age"]) else "—"
    items = [
        ("cadre_id", text(row["cadre_id"])),
        ("gender", text(row["gender"])),
        ("age", age),
        ("political_status", text(row["political_status"])),
        ("rank", text(row["rank"])),
        ("division", text(row["division"])),
        ("study_group", text(row["study_group"])),
        ("join_date", text(row["join_date"])),
        ("service_years", t("profile.basics.years", n=row["service_years"])),
        (
            "status",
            status if pd.isna(row["leave_date"]) else f"{status}（{text(row['leave_date'])}）",
        ),
    ]
    return [(t(f"profile.basics.{key}"), value) for key, value in items]


def standing_display(standing: pd.DataFrame) -> pd.DataFrame:
    """The standing table as the page shows it: 指标, 本人, 本组中位数, 组内名次 (text)."""
    rows = [
        {
            "measure": t(f"profile.standing.{r.measure}"),
            "value": fmt.number(r.value, r.unit),
            "group_median": fmt.number(r.group_median, r.unit),
            "rank": t("profile.col.rank_value", rank=r.rank, peers=r.peers)
            if is_number(r.rank)
            else "—",
        }
        for r in standing.itertuples()
    ]
    frame = pd.DataFrame(rows, columns=["measure", "value", "group_median", "rank"])
    return headed(frame, "profile")


def group_mentor_turns(con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str) -> pd.DataFrame:
    """The cadre's study group's monthly 轮值导师 in the period (empty when in no group)."""
    basics = cadre_basics(con, f, cadre_id)
    if basics.empty or pd.isna(basics.iloc[0]["study_group"]):
        return pd.DataFrame(columns=["study_group", "month", "mentor_name"])
    group_f = _whole_office(f).model_copy(update={"group": basics.iloc[0]["study_group"]})
    return mentor_turns(con, group_f)


def cadre_training_progress(
    con: duckdb.DuckDBPyConnection, f: Filters, cadre_id: str
) -> dict[str, float | None]:
    """Training hours from 1 January to the period's end: done, pro-rata expected, year target."""
    ytd = _whole_office(f).year_to_date()
    frame = training_hours_by_cadre(con, ytd).set_index("cadre_id")
    target = targets_for_year(con, f.year).get("training_hours_per_cadre")
    if cadre_id not in frame.index:
        return {"hours": None, "expected": None, "target": target}
    row = frame.loc[cadre_id]
    expected = float(row["expected"]) if is_number(row["expected"]) else None
    return {"hours": float(row["hours"]), "expected": expected, "target": target}
