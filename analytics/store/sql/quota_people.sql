-- One row per youth cadre in post at some time between $start and $end, the part of the period
-- they were in post, and whether a stint of each kind overlapped it ($rotation_types,
-- $secondment_types, $frontline_types): what the 轮岗, 挂职 and 三线历练 figures read. It is
-- quota_by_cadre.sql's `people` (included there), so the two cannot disagree.
WITH people AS (
    SELECT c.cadre_id, c.name, c.division, c.study_group, c.join_date, c.leave_date,
           greatest(c.join_date, CAST($start AS DATE)) AS post_start,
           least(coalesce(c.leave_date, CAST($end AS DATE)), CAST($end AS DATE)) AS post_end,
           in_post(c.join_date, c.leave_date, $end, $end) AS in_post_at_end
    FROM scoped_cadres($group, $division) AS c
    WHERE in_post(c.join_date, c.leave_date, $start, $end)
),
stints AS (
    -- A stint counts for every period it overlaps (a stint spanning two years counts in both).
    SELECT cadre_id,
           bool_or(list_contains($rotation_types, type)) AS rotation,
           bool_or(list_contains($secondment_types, type)) AS secondment,
           bool_or(list_contains($frontline_types, type)) AS frontline
    FROM assignments
    WHERE start_date <= $end AND coalesce(end_date, $end) >= $start
    GROUP BY cadre_id
)
SELECT p.*,
       coalesce(s.rotation, false) AS rotation,
       coalesce(s.secondment, false) AS secondment,
       coalesce(s.frontline, false) AS frontline
FROM people AS p
LEFT JOIN stints AS s USING (cadre_id)
