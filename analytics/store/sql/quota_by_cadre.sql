-- One row per youth cadre in post at some time between $start and $end (the quota page passes
-- the year to date): every per-cadre fact a quota counts, so that the totals, the breakdowns by
-- division and group, and the name lists all agree by construction.
WITH people AS (
    -- include: quota_people
),
hours AS (
    SELECT cadre_id, sum(hours) AS hours
    FROM training
    WHERE completion_date BETWEEN $start AND $end
    GROUP BY cadre_id
),
mentors AS (
    -- Pairings in force on the last day of the period (coverage is a state: no pace).
    SELECT cadre_id,
           string_agg(DISTINCT mentor_name, '、' ORDER BY mentor_name)
               FILTER (WHERE mentor_type = '业务导师' AND start_date <= $end
                       AND coalesce(end_date, $end) >= $end) AS business_mentor,
           string_agg(DISTINCT mentor_name, '、' ORDER BY mentor_name)
               FILTER (WHERE mentor_type = '写作导师' AND start_date <= $end
                       AND coalesce(end_date, $end) >= $end) AS writing_mentor
    FROM mentorships
    GROUP BY cadre_id
),
quarters_due AS (
    -- Quarters of the year that have ended within the period: their report is due.
    SELECT q, CAST($year AS VARCHAR) || 'Q' || CAST(q AS VARCHAR) AS period,
           last_day(make_date($year, 3 * q, 1)) AS q_end
    FROM range(1, 5) AS t(q)
    WHERE make_date($year, 3 * q - 2, 1) >= CAST($start AS DATE)
      AND last_day(make_date($year, 3 * q, 1)) <= CAST($end AS DATE)
),
reports_due AS (
    -- A cadre owes a quarter's report when in post on the quarter's last day.
    SELECT p.cadre_id,
           count(*) AS reports_due,
           count(a.cadre_id) AS reports_submitted,
           string_agg(q.period, '、' ORDER BY q.q) FILTER (WHERE a.cadre_id IS NULL)
               AS reports_missing
    FROM people AS p
    JOIN quarters_due AS q ON in_post(p.join_date, p.leave_date, q.q_end, q.q_end)
    LEFT JOIN assessments AS a
      ON a.cadre_id = p.cadre_id AND a.period = q.period
     AND a.type = '政治能力提升报告' AND a.result = '提交'
    GROUP BY p.cadre_id
),
final AS (
    SELECT p.cadre_id, p.name, p.division, p.study_group, p.join_date, p.leave_date,
           p.in_post_at_end,
           date_diff('day', p.post_start, p.post_end) + 1 AS days_in_post,
           p.rotation,
           p.secondment,
           p.frontline,
           coalesce(h.hours, 0) AS hours,
           (SELECT value FROM targets_of($year) WHERE metric = 'training_hours_per_cadre')
               * (date_diff('day', p.post_start, p.post_end) + 1)
               / $days_in_year AS hours_expected,
           m.business_mentor,
           m.writing_mentor,
           coalesce(r.reports_due, 0) AS reports_due,
           coalesce(r.reports_submitted, 0) AS reports_submitted,
           r.reports_missing
    FROM people AS p
    LEFT JOIN hours AS h USING (cadre_id)
    LEFT JOIN mentors AS m USING (cadre_id)
    LEFT JOIN reports_due AS r USING (cadre_id)
)
SELECT * FROM final ORDER BY cadre_id
