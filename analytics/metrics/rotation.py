"""学习导师轮值 and 青年政治理论学习日: the monthly rhythms of the theory study groups."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.common import fmt
from analytics.common.filters import Filters
from analytics.common.labels import t
from analytics.common.links import with_profile
from analytics.store.db import sort_natural
from analytics.store.query import run


def mentor_turns(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Every group × month of the period up to the as-of month, with the mentor (None if missed)."""
    return run(
        con,
        """
        WITH groups AS (
            SELECT DISTINCT study_group FROM scoped_cadres($group, $division)
            WHERE study_group IS NOT NULL AND in_post(join_date, leave_date, $start, $end)
        )
        SELECT g.study_group, m.month, gm.mentor_name
        FROM groups AS g
        CROSS JOIN period_months($start, $end) AS m
        LEFT JOIN group_mentors AS gm ON gm.study_group = g.study_group AND gm.month = m.month
        ORDER BY g.study_group, m.month
        """,
        f,
    )


def study_days(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: 青年政治理论学习日 held in the period, months elapsed, and the number due."""
    return run(
        con,
        """
        SELECT
            count(*) AS held,
            date_diff('month', CAST($start AS DATE), CAST($end AS DATE)) + 1 AS months
        FROM activities
        WHERE form = '理论学习日' AND date BETWEEN $start AND $end
        """,
        f,
    )


# ----- 学习参与 page: mentor grid and 列席 coverage -----

COUNCIL_FORM = "列席旁听"
COUNCIL_SEATS_PER_SESSION = 2  # 每次选派2名青年代表列席党组理论中心组学习 (work report)
COUNCIL_RULE = (
    "列席：党组理论中心组每场学习应有 {target} 名青年代表列席（角色“列席”且出勤为“出席”计 1 席）。"
    "场次按期间内全部“列席旁听”活动统计，不受小组、处室筛选影响；“本范围席位”和“已列席人数”"
    "只计所选范围内的青年干部。未列席名单为期末在岗、期间内尚未列席的干部。"
)


def mentor_grid(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Group × month: the mentor, 导师领学 sessions held, and `missing` for a month without one."""
    turns = mentor_turns(con, f)
    led = run(
        con,
        """
        SELECT organizer_group AS study_group,
               CAST(date_trunc('month', date) AS DATE) AS month,
               count(*) AS led_sessions
        FROM activities
        WHERE form = '导师领学' AND date BETWEEN $start AND $end
        GROUP BY ALL
        """,
        f,
    )
    frame = turns.merge(led, on=["study_group", "month"], how="left")
    frame["led_sessions"] = frame["led_sessions"].fillna(0).astype("int64")
    frame["missing"] = frame["mentor_name"].isna()
    return sort_natural(frame, "study_group", "month")


def mentor_grid_table(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The mentor grid as a reader sees it: one row per group, one column per month (年月)."""
    grid = mentor_grid(con, f)
    missing = t("participation.mentor.missing")
    grid["cell"] = grid["mentor_name"].where(~grid["missing"], missing)
    grid["label"] = [fmt.month(m) for m in grid["month"]]
    wide = grid.pivot(index="study_group", columns="label", values="cell")
    months = list(dict.fromkeys(grid["label"]))
    groups = list(dict.fromkeys(grid["study_group"]))
    wide = wide.reindex(index=groups, columns=months).reset_index()
    wide.columns.name = None
    return wide.rename(columns={"study_group": t("participation.col.study_group")})


def council_sessions(
    con: duckdb.DuckDBPyConnection, f: Filters, target: int = COUNCIL_SEATS_PER_SESSION
) -> pd.DataFrame:
    """Each 列席旁听 session of the period: seats filled, seats of filtered cadres, vs target."""
    return run(
        con,
        """
        WITH sessions AS (
            SELECT activity_id, date, title
            FROM activities
            WHERE form = $form AND date BETWEEN $start AND $end
        ),
        seats AS (
            SELECT t.activity_id, t.cadre_id,
                   t.cadre_id IN (SELECT cadre_id FROM scoped_cadres($group, $division))
                       AS in_scope
            FROM attendance AS t
            WHERE t.role = '列席' AND t.status = '出席'
        )
        SELECT
            s.activity_id, s.date, s.title,
            count(st.cadre_id) AS seats,
            count(st.cadre_id) FILTER (WHERE st.in_scope) AS seats_in_scope,
            CAST($target AS INTEGER) AS target,
            count(st.cadre_id) >= $target AS met
        FROM sessions AS s
        LEFT JOIN seats AS st USING (activity_id)
        GROUP BY ALL
        ORDER BY s.date, s.activity_id
        """,
        f,
        form=COUNCIL_FORM,
        target=target,
    )


def council_coverage(
    con: duckdb.DuckDBPyConnection, f: Filters, target: int = COUNCIL_SEATS_PER_SESSION
) -> pd.DataFrame:
    """One row: sessions, seats, seats per session vs target, how many cadres had a seat, and
    the status: green when every session had its seats, amber when one fell short, none when
    the period had no session (nothing to measure)."""
    sessions = council_sessions(con, f, target)
    people = run(
        con,
        """
        WITH people AS (
            SELECT cadre_id, in_post(join_date, leave_date, $end, $end) AS at_end
            FROM scoped_cadres($group, $division)
        ),
        seated AS (
            SELECT DISTINCT t.cadre_id
            FROM attendance AS t JOIN activities AS a USING (activity_id)
            WHERE a.form = $form AND a.date BETWEEN $start AND $end
              AND t.role = '列席' AND t.status = '出席'
        )
        SELECT
            count(*) FILTER (WHERE p.at_end) AS cadres,
            count(s.cadre_id) AS seated,
            count(s.cadre_id) FILTER (WHERE p.at_end) AS seated_in_post
        FROM people AS p LEFT JOIN seated AS s USING (cadre_id)
        """,
        f,
        form=COUNCIL_FORM,
    ).iloc[0]
    n = len(sessions)
    seats = int(sessions["seats"].sum()) if n else 0
    cadres = int(people["cadres"])
    return pd.DataFrame(
        [
            {
                "sessions": n,
                "seats": seats,
                "seats_in_scope": int(sessions["seats_in_scope"].sum()) if n else 0,
                "target": target,
                "seats_per_session": seats / n if n else None,
                "sessions_met": int(sessions["met"].sum()) if n else 0,
                "cadres": cadres,
                "seated": int(people["seated"]),
                "seated_in_post": int(people["seated_in_post"]),
                "coverage": int(people["seated_in_post"]) / cadres if cadres else None,
                "status": "none" if n == 0 else (
                    "green" if int(sessions["met"].sum()) == n else "amber"),
            }
        ]
    ).astype({"seats_per_session": "float64", "coverage": "float64"})  # fmt: skip


def council_not_seated(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Cadres in post at the period end (filtered) who have not had a 列席 seat in the period."""
    frame = run(
        con,
        """
        SELECT c.cadre_id, c.name, c.study_group, c.division
        FROM scoped_cadres($group, $division) AS c
        WHERE in_post(c.join_date, c.leave_date, $end, $end)
          AND c.cadre_id NOT IN (
              SELECT t.cadre_id
              FROM attendance AS t JOIN activities AS a USING (activity_id)
              WHERE a.form = $form AND a.date BETWEEN $start AND $end
                AND t.role = '列席' AND t.status = '出席')
        ORDER BY c.cadre_id
        """,
        f,
        form=COUNCIL_FORM,
    )
    frame = with_profile(frame, f)
    return frame
