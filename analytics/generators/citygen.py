"""A city-scale database in the app's schema, for the benchmark (`make bench`).

Default shape: 20,000 youth cadres in 100 units (处室 column) and 200 study groups of about
100 (two per unit), five years ending on 2025-11-30, about 10 million attendance rows, and the
reports, awards with winners, assessments, training, assignments, mentorships, monthly group
mentor turns and targets for every year that the pages count.

The mix of who is expected where follows analytics/generators/demo.py measured in attendance
rows (the demo's 2025: about 58 % office-wide 全体, 35 % group 小组, 7 % named 指定): a city
cannot hold the demo's office-wide events in the demo's ratio of *events* (every one is 20,000
rows), so each cadre instead sees per year about 60 city-wide sessions, 36 of their group's and a
few on a roster, as the demo's cadres do (about 22, 13 and 3).

This is the bulk path: every table is filled by vectorised DuckDB SQL (`range()`, seeded
`hash()`, INSERT … SELECT), not through the pydantic models in analytics.store.models, which would
take hours for 10 million rows. What still guards the data is the schema itself
(analytics/store/sql/schema.sql): its CHECK constraints on every enumeration and range, NOT NULL,
and the PRIMARY KEYs (an attendance row is unique per activity and cadre). Values are derived
from `hash(seed, …)`, so a build is deterministic for a seed whatever the thread count.

Run `python -m analytics.generators.citygen --db data/city.duckdb [--cadres 20000 --units 100
--groups 200 --years 5 --seed 1]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from analytics.generators.demo_office import (
    AS_OF,
    DIVISION_HEADS,
    GIVEN,
    LEADERS,
    RANKS,
    SURNAMES,
    THEORY_THEMES,
    TRAINING_COURSES,
)
from analytics.store.db import TABLE_ORDER, building, bump_data_version
from analytics.store.query import bind

BUREAUS = (
    "市发展和改革委员会", "市教育局", "市科学技术局", "市工业和信息化局", "市公安局", "市民政局",
    "市司法局", "市财政局", "市人力资源和社会保障局", "市自然资源和规划局", "市生态环境局",
    "市住房和城乡建设局", "市城市管理局", "市交通运输局", "市水务管理局", "市农业农村局",
    "市海洋发展局", "市商务局", "市文化和旅游局", "市卫生健康委员会", "市退役军人事务局",
    "市应急管理局", "市审计局", "市国资委", "市市场监督管理局", "市体育局", "市统计局",
    "市医疗保障局", "市行政审批服务局", "市大数据发展管理局", "市信访局", "市政务服务管理办公室",
)  # fmt: skip
# Office-wide (全体) sessions per month, as (category, form); the first is the study day.
CITY_WIDE = (
    ("理论学习", "理论学习日"), ("党性教育", "专题学习"), ("党性教育", "警示教育"),
    ("党性教育", "红色教育"), ("实践锻炼", "专题讲座"),
)  # fmt: skip
CITY_WIDE_EXTRA = (("党性教育", "培训班"), ("党性教育", "专题党课"))  # every other month
# Group (小组) sessions per month (weekly): the mentor's 导师领学, then 研学活动 or 专题学习.
GROUP_SESSIONS = 4
# Named (指定) sessions each unit runs per month: (category, form, roster size, role).
ROSTERS = (
    ("理论学习", "座谈交流", 15, "参加"), ("理论学习", "列席旁听", 2, "列席"),
    ("实践锻炼", "基层实践", 20, "参加"), ("实践锻炼", "外出学习", 12, "参加"),
    ("党性教育", "宣讲比赛", 5, "参加"), ("理论学习", "青年干部座谈会", 15, "参加"),
)  # fmt: skip
UNRECORDED = 0.01  # share of expected cadres with no attendance row (shown as 未登记)

# Uniform [0, 1) from the seed and any keys; a weekday on or before a date. (A macro cannot
# take a $parameter, so the seed, an int, is written into the text.)
_MACROS = """
CREATE OR REPLACE TEMP MACRO u(k1, k2, k3) AS
    (hash({seed}, k1, k2, k3) % 1000003) / 1000003.0;
CREATE OR REPLACE TEMP MACRO workday(d) AS
    CAST(d AS DATE) - CASE isodow(d) WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END;
"""

_STEPS: list[tuple[str, str]] = [
    (
        "units and groups",
        """
        CREATE TEMP TABLE units AS
        SELECT i AS unit_no,
               CASE WHEN i < len($bureaus) THEN $bureaus[i + 1]
                    ELSE printf('市直单位%03d', i + 1) END AS division
        FROM range($units) AS t(i);
        CREATE TEMP TABLE grp AS
        SELECT g AS group_no, printf('第%d学习小组', g + 1) AS study_group,
               g * $units // $groups AS unit_no,
               0.78 + 0.18 * u('group', g, 0) AS base_rate
        FROM range($groups) AS t(g);
        CREATE TEMP TABLE years AS
        SELECT y AS year, CASE WHEN y = year($as_of) THEN month($as_of) ELSE 12 END AS months
        FROM range(year($as_of) - $years + 1, year($as_of) + 1) AS t(y);
        CREATE TEMP TABLE months AS
        SELECT make_date(CAST(y.year AS INT), CAST(m AS INT), 1) AS month
        FROM years AS y, range(1, y.months + 1) AS t(m);
        """,
    ),
    (
        "cadres",
        """
        INSERT INTO cadres
        WITH base AS (
            SELECT i, g.group_no, g.study_group, un.division, g.base_rate,
                   CASE WHEN u('join', i, 0) < 0.8
                        THEN $first - CAST(1 + u('join', i, 1) * 3650 AS INT)
                        ELSE $first + CAST(u('join', i, 1) * ($as_of - $first) AS INT)
                   END AS join_date
            FROM range($cadres) AS t(i)
            JOIN grp AS g ON g.group_no = i % $groups
            JOIN units AS un USING (unit_no)
        )
        SELECT
            printf('C%06d', i + 1),
            $surnames[1 + CAST(hash($seed, 'sn', i) % len($surnames) AS INT)]
                || $given[1 + CAST(hash($seed, 'gn', i) % len($given) AS INT)],
            CASE WHEN u('gender', i, 0) < 0.5 THEN '男' ELSE '女' END,
            DATE '1986-01-01' + CAST(u('birth', i, 0) * 5800 AS INT),
            division,
            study_group,
            $ranks[1 + least(5, CAST(date_diff('year', join_date, $as_of) // 2 AS INT))],
            CASE WHEN u('party', i, 0) < 0.8 THEN '中共党员'
                 WHEN u('party', i, 0) < 0.88 THEN '中共预备党员' ELSE '共青团员' END,
            join_date,
            CASE WHEN u('leave', i, 0) < 0.12
                 THEN greatest(join_date, $first)
                      + CAST(u('leave', i, 1) * ($as_of - greatest(join_date, $first)) AS INT)
            END
        FROM base
        """,
    ),
    (
        "cadre habits",
        """
        CREATE TEMP TABLE habit AS
        SELECT c.cadre_id, c.study_group, c.division, c.join_date, c.leave_date,
               CAST(substr(c.cadre_id, 2) AS INT) - 1 AS i,
               least(0.99, greatest(0.45, g.base_rate + (u('rel', c.cadre_id, 0) - 0.5) * 0.24))
                   AS reliability,
               greatest(0.3, 0.6 + 0.7 * u('train', c.cadre_id, 0) * (g.base_rate + 0.1))
                   AS training_factor
        FROM cadres AS c JOIN grp AS g USING (study_group)
        """,
    ),
    (
        "group mentor turns",
        """
        INSERT INTO group_mentors
        SELECT g.study_group, m.month,
               $heads[1 + CAST(hash($seed, 'mentor', g.group_no, m.month) % len($heads) AS INT)]
        FROM grp AS g, months AS m
        WHERE u('turn', g.group_no, m.month) >= 0.02
        """,
    ),
    (
        "activities",
        """
        INSERT INTO activities
        WITH city AS (
            SELECT m.month, k,
                   CASE WHEN k < len($city_wide) THEN $city_wide[k + 1]
                        ELSE $city_extra[1 + (month(m.month) + k) % len($city_extra)] END AS kind
            FROM months AS m, range(len($city_wide) + 1) AS t(k)
            WHERE k < len($city_wide) OR month(m.month) % 2 = 0
        ),
        grp_sessions AS (
            SELECT g.study_group, g.group_no, m.month, k, gm.mentor_name
            FROM grp AS g CROSS JOIN months AS m CROSS JOIN range($group_sessions) AS t(k)
            LEFT JOIN group_mentors AS gm ON gm.study_group = g.study_group AND gm.month = m.month
            WHERE k > 0 OR gm.mentor_name IS NOT NULL
        ),
        named AS (
            SELECT un.unit_no, un.division, m.month, k, $rosters[k + 1] AS kind
            FROM units AS un, months AS m, range(len($rosters)) AS t(k)
            WHERE $rosters[k + 1][2] <> '青年干部座谈会' OR month(m.month) % 3 = 0
        ),
        rows AS (
            SELECT workday(month + INTERVAL (3 + k * 4) DAY) AS date, kind[1] AS category,
                   kind[2] AS form, NULL AS organizer_group, '全体' AS scope,
                   CASE WHEN kind[2] = '培训班' THEN 8 WHEN kind[2] = '红色教育' THEN 4 ELSE 2 END
                       AS hours,
                   $themes[1 + (month(month) + k) % len($themes)] AS theme,
                   printf('%d年%d月%s', year(month), month(month), kind[2]) AS title,
                   $leaders[1 + k % len($leaders)] AS lead, NULL AS batch
            FROM city
            UNION ALL
            SELECT workday(month + INTERVAL (2 + k * 9 + group_no % 5) DAY), '理论学习',
                   CASE WHEN k = 0 THEN '导师领学'
                        WHEN k = 1 AND month(month) IN (3, 4, 6, 7, 9, 10) THEN '研学活动'
                        ELSE '专题学习' END,
                   study_group, '小组', CASE WHEN k = 1 THEN 3 ELSE 2 END,
                   $themes[1 + (month(month) + group_no + k) % len($themes)],
                   printf('%s%d月第%d次学习', study_group, month(month), k + 1),
                   CASE WHEN k = 0 THEN mentor_name END,
                   CASE WHEN k = 1 AND month(month) IN (3, 4, 6, 7, 9, 10)
                        THEN printf('第%d批', (month(month) - 1) // 3) END
            FROM grp_sessions
            UNION ALL
            SELECT workday(month + INTERVAL (5 + k * 3 + unit_no % 4) DAY), kind[1], kind[2],
                   NULL, '指定', CASE WHEN kind[2] IN ('基层实践', '外出学习') THEN 6 ELSE 2 END,
                   $themes[1 + (month(month) + unit_no) % len($themes)],
                   printf('%s%d月%s', division, month(month), kind[2]),
                   NULL, NULL
            FROM named
        ),
        numbered AS (
            SELECT *, row_number() OVER (PARTITION BY year(date)
                                         ORDER BY date, scope, organizer_group, title) AS seq
            FROM rows WHERE date <= $as_of
        )
        SELECT printf('HD%d%06d', year(date), seq), title, category, form, theme, batch,
               organizer_group, scope, date, hours, lead
        FROM numbered
        """,
    ),
    (
        "attendance: city-wide and group sessions",
        """
        INSERT INTO attendance
        WITH expected AS (
            SELECT a.activity_id, a.hours, h.cadre_id, h.reliability,
                   u(a.activity_id, h.cadre_id, 'status') AS roll
            FROM activities AS a
            JOIN habit AS h
              ON h.join_date <= a.date AND (h.leave_date IS NULL OR h.leave_date >= a.date)
             AND (a.scope = '全体' OR (a.scope = '小组' AND h.study_group = a.organizer_group))
            WHERE a.scope IN ('全体', '小组')
              AND u(a.activity_id, h.cadre_id, 'recorded') >= $unrecorded
        )
        SELECT activity_id, cadre_id, '参加',
               CASE WHEN roll < reliability THEN '出席'
                    WHEN roll < reliability + (1 - reliability) * 0.6 THEN '请假'
                    ELSE '缺席' END,
               CASE WHEN roll < reliability THEN hours ELSE 0 END
        FROM expected
        """,
    ),
    (
        "attendance: rosters",
        """
        INSERT INTO attendance
        WITH named AS (
            SELECT a.activity_id, a.hours, a.form, a.date,
                   un.division, CAST(r.kind[3] AS INT) AS roster_size, r.kind[4] AS role
            FROM activities AS a
            JOIN units AS un ON a.title LIKE un.division || '%'
            JOIN (SELECT unnest($rosters) AS kind) AS r ON r.kind[2] = a.form
            WHERE a.scope = '指定'
        ),
        ranked AS (
            SELECT n.activity_id, n.hours, n.roster_size, n.role, h.cadre_id,
                   row_number() OVER (PARTITION BY n.activity_id
                                      ORDER BY u(n.activity_id, h.cadre_id, 'pick')) AS pick
            FROM named AS n
            JOIN habit AS h
              ON h.division = n.division AND h.join_date <= n.date
             AND (h.leave_date IS NULL OR h.leave_date >= n.date)
        )
        SELECT activity_id, cadre_id, role,
               CASE WHEN u(activity_id, cadre_id, 'status') < 0.95 THEN '出席' ELSE '请假' END,
               CASE WHEN u(activity_id, cadre_id, 'status') < 0.95 THEN hours ELSE 0 END
        FROM ranked
        WHERE pick <= roster_size
        """,
    ),
    (
        "reports",
        """
        CREATE TEMP TABLE new_reports AS
        WITH drawn AS (
            SELECT h.cadre_id, h.i, y.year, k,
                   least(make_date(CAST(y.year AS INT), 1, 1)
                         + CAST(u('rdate', h.cadre_id, y.year * 10 + k) * 360 AS INT),
                         $as_of) AS submit_date,
                   u('rtype', h.cadre_id, y.year * 10 + k) AS t
            FROM habit AS h, years AS y, range(2) AS r(k)
            WHERE u('report', h.cadre_id, y.year * 10 + k) < 0.22
        ),
        placed AS (
            SELECT d.* FROM drawn AS d JOIN habit AS h USING (cadre_id)
            WHERE d.submit_date >= h.join_date
              AND (h.leave_date IS NULL OR d.submit_date <= h.leave_date)
        )
        SELECT printf('CG%d%06d', year(submit_date),
                      row_number() OVER (PARTITION BY year(submit_date)
                                         ORDER BY submit_date, cadre_id, k)) AS report_id,
               cadre_id, i, submit_date, t,
               CASE WHEN t < 0.25 THEN '调研报告' WHEN t < 0.35 THEN '调研文章'
                    WHEN t < 0.75 THEN '心得体会' WHEN t < 0.87 THEN '改革建议'
                    ELSE '征文' END AS type
        FROM placed;
        INSERT INTO reports
        SELECT report_id,
               printf('%s：%s（%s）', type, $themes[1 + CAST(t * 1000 AS INT) % len($themes)],
                      report_id),
               type,
               CASE type WHEN '调研报告' THEN '产业观察' WHEN '调研文章' THEN '回乡见闻'
                         WHEN '心得体会' THEN '理论学习' WHEN '改革建议' THEN '专题调研'
                         ELSE '其他' END,
               $themes[1 + CAST(t * 1000 AS INT) % len($themes)],
               submit_date, cadre_id,
               CASE WHEN u('grade', report_id, 0) < 0.2 THEN '优秀'
                    WHEN u('grade', report_id, 0) < 0.8 THEN '良好' ELSE '合格' END,
               CASE WHEN u('outcome', report_id, 0) < 0.05 THEN '领导批示'
                    WHEN u('outcome', report_id, 0) < 0.12 THEN '采纳'
                    WHEN u('outcome', report_id, 0) < 0.18 THEN '刊发'
                    WHEN u('outcome', report_id, 0) < 0.20 THEN '成果转化' END,
               CASE WHEN u('outcome', report_id, 0) BETWEEN 0.12 AND 0.18 THEN '《政务信息》' END
        FROM new_reports;
        INSERT INTO report_authors
        SELECT report_id, cadre_id, '执笔' FROM new_reports
        UNION ALL
        SELECT r.report_id, printf('C%06d', (r.i + $groups * m) % $cadres + 1), '参与'
        FROM new_reports AS r, range(1, 4) AS t(m)
        WHERE u('coauthor', r.report_id, m) < 0.4
        """,
    ),
    (
        "awards",
        """
        CREATE TEMP TABLE new_awards AS
        SELECT printf('HJ%d%05d', year(d), row_number() OVER (PARTITION BY year(d)
                                                             ORDER BY d, unit_no, k)) AS award_id,
               *
        FROM (
            SELECT un.unit_no, k,
                   least(workday(make_date(CAST(y.year AS INT), 1, 1)
                                 + CAST(u('adate', un.unit_no, y.year * 10 + k) * 360 AS INT)),
                         $as_of) AS d,
                   u('award', un.unit_no, y.year * 10 + k) AS t
            FROM units AS un, years AS y, range(6) AS r(k)
            WHERE u('award?', un.unit_no, y.year * 10 + k) < 0.5
        );
        INSERT INTO awards
        SELECT award_id,
               CASE WHEN t < 0.5 THEN '市直机关“打头阵、当先锋、抓落实”宣讲比赛'
                    ELSE '“青年干部成长心路展演主题述讲比赛”' END,
               '市直机关工委',
               CASE WHEN t < 0.6 THEN '市直机关' WHEN t < 0.9 THEN '市级'
                    WHEN t < 0.98 THEN '省级' ELSE '国家级' END,
               d,
               CASE WHEN k % 3 = 0 THEN '理论组' WHEN k % 3 = 1 THEN '演艺组' END,
               CASE WHEN t * 7 % 1 < 0.15 THEN '一等奖' WHEN t * 7 % 1 < 0.4 THEN '二等奖'
                    WHEN t * 7 % 1 < 0.7 THEN '三等奖' WHEN t * 7 % 1 < 0.9 THEN '优秀奖'
                    ELSE '优异成绩' END,
               printf('《%s》', $themes[1 + k % len($themes)])
        FROM new_awards;
        INSERT INTO award_winners
        SELECT a.award_id,
               printf('C%06d', (a.unit_no * $groups // $units + (a.k % 2)) % $groups
                               + $groups * ((CAST(a.t * 997 AS INT) + 7 * m)
                                            % ($cadres // $groups)) + 1)
        FROM new_awards AS a, range(4) AS t(m)
        WHERE m = 0 OR u('winner', a.award_id, m) < 0.4
        """,
    ),
    (
        "assessments",
        """
        INSERT INTO assessments
        WITH quarters AS (
            SELECT y.year, q, make_date(CAST(y.year AS INT), CAST(3 * q AS INT), 28) AS q_end
            FROM years AS y, range(1, 5) AS t(q)
            WHERE make_date(CAST(y.year AS INT), CAST(3 * q AS INT), 28) <= $as_of
        ),
        people AS (
            SELECT h.cadre_id, h.reliability, q.year, q.q
            FROM habit AS h JOIN quarters AS q
              ON h.join_date <= q.q_end AND (h.leave_date IS NULL OR h.leave_date >= q.q_end)
        )
        SELECT cadre_id, printf('%dQ%d', year, q), '政治能力提升报告',
               CASE WHEN u('submit', cadre_id, year * 10 + q) < least(0.98, reliability + 0.03)
                    THEN '提交' ELSE '未提交' END,
               NULL
        FROM people
        UNION ALL
        SELECT cadre_id, printf('%dQ%d', year, q), '季度考核',
               CASE WHEN score >= 92 THEN '优秀' WHEN score >= 70 THEN '称职' ELSE '基本称职' END,
               score
        FROM (SELECT *, round(least(99, 70 + 25 * u('score', cadre_id, year * 10 + q)
                                        + (reliability - 0.85) * 30), 1) AS score
              FROM people)
        """,
    ),
    (
        "assignments",
        """
        INSERT INTO assignments
        WITH drawn AS (
            SELECT h.cadre_id, h.join_date, h.leave_date, y.year, kind,
                   make_date(CAST(y.year AS INT), 1, 1)
                       + CAST(u('start', h.cadre_id, y.year * 10 + kind) * 300 AS INT)
                       AS start_date,
                   60 + CAST(u('length', h.cadre_id, y.year * 10 + kind) * 120 AS INT) AS days,
                   u('kind', h.cadre_id, y.year * 10 + kind) AS t
            FROM habit AS h, years AS y, range(3) AS k(kind)
            WHERE u('stint', h.cadre_id, y.year * 10 + kind)
                  < CASE kind WHEN 0 THEN 0.27 WHEN 1 THEN 0.16 ELSE 0.03 END
        )
        SELECT cadre_id,
               CASE kind WHEN 0 THEN (CASE WHEN t < 0.5 THEN '跨处室轮岗' ELSE '专项工作' END)
                         WHEN 1 THEN '挂职' ELSE '三线历练' END,
               CASE kind WHEN 0 THEN (CASE WHEN t < 0.5 THEN '其他处室'
                                           ELSE '市委巡察办（巡视巡察）' END)
                         WHEN 1 THEN '区县部门、乡镇街道' ELSE '防汛抗旱指挥部' END,
               start_date,
               CASE WHEN start_date + days > $as_of THEN NULL ELSE start_date + days END
        FROM drawn
        WHERE start_date <= $as_of AND start_date >= join_date
          AND (leave_date IS NULL OR start_date <= leave_date)
        """,
    ),
    (
        "training",
        """
        INSERT INTO training
        WITH drawn AS (
            SELECT h.cadre_id, h.join_date, h.leave_date, y.year, k,
                   make_date(CAST(y.year AS INT), 1, 1)
                       + CAST(k * 30 + u('tday', h.cadre_id, y.year * 100 + k) * 28 AS INT)
                       AS completion_date,
                   CAST(hash($seed, 'course', h.cadre_id, y.year * 100 + k)
                        % len($courses) AS INT) + 1 AS course_no,
                   u('hours', h.cadre_id, y.year * 100 + k) AS t
            FROM habit AS h, years AS y, range(12) AS r(k)
            WHERE u('course?', h.cadre_id, y.year * 100 + k) < 0.75 * h.training_factor
        )
        SELECT cadre_id, $courses[course_no][2], $courses[course_no][1],
               CASE WHEN t < 0.33 THEN 4 WHEN t < 0.67 THEN 6 ELSE 8 END,
               completion_date, CASE WHEN t * 10 % 1 < 0.6 THEN '线上' ELSE '线下' END
        FROM drawn
        WHERE completion_date <= $as_of AND completion_date >= join_date
          AND (leave_date IS NULL OR completion_date <= leave_date)
        """,
    ),
    (
        "mentorships",
        """
        INSERT INTO mentorships
        SELECT h.cadre_id,
               CASE WHEN k = 2 THEN $leaders[1 + CAST(hash($seed, 'pair', h.cadre_id)
                                                      % len($leaders) AS INT)]
                    ELSE $heads[1 + CAST(hash($seed, 'mentor', h.cadre_id, k)
                                         % len($heads) AS INT)] END,
               ['业务导师', '写作导师', '班子成员结对'][k + 1],
               greatest(h.join_date, $first + CAST(u('mstart', h.cadre_id, k) * 700 AS INT)),
               NULL
        FROM habit AS h, range(3) AS t(k)
        WHERE u('mentor?', h.cadre_id, k) < [0.8, 0.6, 0.15][k + 1]
          AND greatest(h.join_date, $first + CAST(u('mstart', h.cadre_id, k) * 700 AS INT))
              <= coalesce(h.leave_date, $as_of)
        """,
    ),
    (
        "targets",
        """
        INSERT INTO targets  -- the plan's quota defaults as every year's own targets
        SELECT metric, CAST(y AS INT), value
        FROM target_defaults, range(year($as_of) - $years + 1, year($as_of) + 2) AS t(y)
        WHERE NOT starts_with(metric, 'points:')
        """,
    ),
]


def _parameters(
    cadres: int, units: int, groups: int, years: int, seed: int, as_of: dt.date
) -> dict[str, Any]:
    return {
        "seed": seed,
        "cadres": cadres,
        "units": units,
        "groups": groups,
        "years": years,
        "as_of": as_of,
        "first": dt.date(as_of.year - years + 1, 1, 1),
        "bureaus": list(BUREAUS),
        "surnames": list(SURNAMES),
        "given": list(GIVEN),
        "ranks": list(RANKS),
        "heads": list(DIVISION_HEADS),
        "leaders": list(LEADERS),
        "themes": list(THEORY_THEMES),
        "courses": [list(c) for c in TRAINING_COURSES],
        "city_wide": [list(k) for k in CITY_WIDE],
        "city_extra": [list(k) for k in CITY_WIDE_EXTRA],
        "group_sessions": GROUP_SESSIONS,
        "rosters": [[c, form, str(n), role] for c, form, n, role in ROSTERS],
        "unrecorded": UNRECORDED,
    }


def _run_step(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> None:
    # DuckDB binds parameters per statement.
    for statement in (s for s in sql.split(";") if s.strip()):
        con.execute(statement, bind(statement, params))


def build_city(
    path: Path,
    *,
    cadres: int = 20_000,
    units: int = 100,
    groups: int = 200,
    years: int = 5,
    seed: int = 1,
    as_of: dt.date = AS_OF,
    verbose: bool = False,
) -> dict[str, int]:
    """Write a city-scale database to `path` (replacing it); returns row counts per table."""
    if not (1 <= units <= groups <= cadres) or years < 1:
        raise ValueError("需要 1 ≤ 单位数 ≤ 学习小组数 ≤ 干部数，且年数 ≥ 1")
    params = _parameters(cadres, units, groups, years, seed, as_of)
    with building(path) as con:
        _run_step(con, _MACROS.format(seed=int(seed)), params)
        for name, sql in _STEPS:
            started = time.perf_counter()
            _run_step(con, sql, params)
            if verbose:
                print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('source', 'city')")
        started = time.perf_counter()
        bump_data_version(con)
        if verbose:
            print(f"  data version: {time.perf_counter() - started:.1f} s", flush=True)
        counts = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in TABLE_ORDER
        }
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成城市规模的基准测试数据库 (city scale)")
    parser.add_argument("--db", type=Path, required=True, help="数据库文件路径")
    parser.add_argument("--cadres", type=int, default=20_000, help="青年干部人数")
    parser.add_argument("--units", type=int, default=100, help="单位（处室）数")
    parser.add_argument("--groups", type=int, default=200, help="学习小组数")
    parser.add_argument("--years", type=int, default=5, help="年数（截至 2025-11-30）")
    parser.add_argument("--seed", type=int, default=1, help="随机种子")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        counts = build_city(
            args.db, cadres=args.cadres, units=args.units, groups=args.groups, years=args.years,
            seed=args.seed, verbose=True,
        )  # fmt: skip
    except ValueError as err:
        print(f"参数错误：{err}", file=sys.stderr)
        return 2
    print(f"已生成城市规模数据库：{args.db}（{time.perf_counter() - started:.0f} 秒）")
    for table, n in counts.items():
        print(f"  {table}: {n:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
