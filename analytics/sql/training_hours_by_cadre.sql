-- Per cadre in post during the period: training hours done and hours expected pro rata
-- (annual target × days in post within the period ÷ days in the year). Unordered: the list
-- sorts it, the summary aggregates it.
WITH people AS (
    SELECT c.cadre_id, c.name, c.division, c.study_group,
           greatest(c.join_date, CAST($start AS DATE)) AS post_start,
           least(coalesce(c.leave_date, CAST($end AS DATE)), CAST($end AS DATE))
               AS post_end
    FROM scoped_cadres($group, $division) AS c
    WHERE in_post(c.join_date, c.leave_date, $start, $end)
),
hours AS (
    SELECT cadre_id, sum(hours) AS hours
    FROM training
    WHERE completion_date BETWEEN $start AND $end
    GROUP BY cadre_id
)
SELECT p.cadre_id, p.name, p.study_group, p.division,
       coalesce(h.hours, 0) AS hours,
       (SELECT value FROM targets WHERE metric = 'training_hours_per_cadre' AND year = $year)
           * (date_diff('day', p.post_start, p.post_end) + 1) / $days_in_year AS expected
FROM people AS p
LEFT JOIN hours AS h USING (cadre_id)
