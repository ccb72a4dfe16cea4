/**
 * The statements of the daily rollup (migrations/0017_rollups.sql `insight_rollups`): what a failing build
 * is, counted per (source, job, UTC day) for the days given, and the boundary the rollup holds, written once
 * for {@link rollUpInsights} that keeps the rollup and for {@link insightsOf} that reads it.
 */

/** cron_cursors row: every UTC day before this one (days since the epoch) is rolled up. */
export const ROLLED_UP_DAYS = "insights_rollup_days";
/** cron_cursors row: the last event whose alert's days the rollup has counted again. */
export const ROLLED_UP_EVENTS = "insights_rollup_events";
/** cron_cursors row: the oldest alert's `last_seen_at` (ms since the epoch) when its day was last counted. */
export const ROLLED_UP_OLDEST = "insights_rollup_oldest";

/** The first day not rolled up, `YYYY-MM-DD`; before any run, a day before every day (nothing rolled up). */
export const ROLLED_UP_UNTIL = `coalesce((SELECT date(after_id * 86400, 'unixepoch') FROM cron_cursors
  WHERE name = '${ROLLED_UP_DAYS}'), '0000-00-00')`;

/** Where a run starts: its cursors, the newest event and the oldest alert. */
export const START = `SELECT
  (SELECT after_id FROM cron_cursors WHERE name = '${ROLLED_UP_DAYS}') AS days,
  (SELECT after_id FROM cron_cursors WHERE name = '${ROLLED_UP_EVENTS}') AS events,
  (SELECT after_id FROM cron_cursors WHERE name = '${ROLLED_UP_OLDEST}') AS counted_oldest,
  (SELECT max(id) FROM events) AS last_event,
  (SELECT min(last_seen_at) FROM alerts) AS oldest`;

/**
 * The next slice of events after ?1 (at most ?2): how many, the last id, and the days their alerts span
 * (first seen to last seen: a build's earlier `last_seen_at`, the day it may have just left, lies between).
 */
export const EVENT_SLICE = `
WITH slice AS (SELECT id, source_id, job, build_number FROM events WHERE id > ?1 ORDER BY id LIMIT ?2)
SELECT DISTINCT (SELECT count(*) FROM slice) AS n, (SELECT max(id) FROM slice) AS last_id,
       substr(a.first_seen_at, 1, 10) AS first_day, substr(a.last_seen_at, 1, 10) AS last_day
FROM slice AS s LEFT JOIN alerts AS a
  ON a.source_id = s.source_id AND a.job = s.job AND a.build_number = s.build_number`;

/** Forgets the days of the JSON array ?1 (a job with no failing build left keeps no row). */
export const CLEAR_DAYS = "DELETE FROM insight_rollups WHERE day IN (SELECT value FROM json_each(?1))";

/** Counts the days of the JSON array ?1 again from the alerts, a range scan of alerts_failing_by_seen each. */
export const COUNT_DAYS = `
INSERT INTO insight_rollups (day, source_id, job, failing_builds)
SELECT d.value, a.source_id, a.job, count(*)
FROM json_each(?1) AS d JOIN alerts AS a INDEXED BY alerts_failing_by_seen
  ON a.last_seen_at >= d.value || 'T00:00:00.000Z'
 AND a.last_seen_at < date(d.value, '+1 day') || 'T00:00:00.000Z'
WHERE a.phase_rank >= 3 AND a.status IN ('FAILURE', 'UNSTABLE')
GROUP BY d.value, a.source_id, a.job`;

/** Moves the three cursors at once: ?1 days, ?2 events, ?3 oldest, at ?4. */
export const WRITE_CURSORS = `
INSERT INTO cron_cursors (name, after_id, updated_at)
VALUES ('${ROLLED_UP_DAYS}', ?1, ?4), ('${ROLLED_UP_EVENTS}', ?2, ?4), ('${ROLLED_UP_OLDEST}', ?3, ?4)
ON CONFLICT (name) DO UPDATE SET after_id = excluded.after_id, updated_at = excluded.updated_at`;
