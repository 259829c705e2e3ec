-- Points per award whose id is in $ids, weighted by the award year's targets, else the
-- defaults (the rule of schema.sql's targets_of, per award year); points ÷ team_size is each
-- winner's share. $ids come from analytics.semantic.scope.awards_in_scope.
SELECT a.*,
       t.team_size,
       coalesce(p.value, dp.value) AS prize_points,
       coalesce(l.value, dl.value) AS level_multiplier,
       coalesce(coalesce(p.value, dp.value) * coalesce(l.value, dl.value), 0) AS points,
       (coalesce(p.value, dp.value) IS NOT NULL AND coalesce(l.value, dl.value) IS NOT NULL)
           AS weighted
FROM awards AS a
JOIN (SELECT award_id, count(*) AS team_size FROM award_winners GROUP BY award_id) AS t
  USING (award_id)
LEFT JOIN targets AS p ON p.year = year(a.date) AND p.metric = 'points:prize:' || a.prize
LEFT JOIN targets AS l ON l.year = year(a.date) AND l.metric = 'points:level:' || a.level
LEFT JOIN target_defaults AS dp ON dp.metric = 'points:prize:' || a.prize
LEFT JOIN target_defaults AS dl ON dl.metric = 'points:level:' || a.level
WHERE list_contains(CAST($ids AS VARCHAR[]), a.award_id)
