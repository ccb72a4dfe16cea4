/** Job health, recomputed by every new event of the job (bound by ./ingest.ts). */
import { IS_NEW, P } from "./delivery-params";

/** Job health, recomputed from the job's alerts (index range scans on source, job, build number). */
export const UPSERT_JOB = `
WITH
recent AS (
  SELECT build_number, phase_rank, status, duration_ms FROM alerts
  WHERE source_id = ${P("source_id")} AND job = ${P("job")} ORDER BY build_number DESC LIMIT 20),
newest AS (SELECT build_number, phase_rank, status FROM recent ORDER BY build_number DESC LIMIT 1),
finished AS (SELECT build_number, status, duration_ms FROM recent WHERE phase_rank >= 3),
decisive AS (
  SELECT build_number, status = 'SUCCESS' AS passing
  FROM (SELECT * FROM finished ORDER BY build_number DESC LIMIT 10)
  WHERE status IN ('SUCCESS', 'FAILURE', 'UNSTABLE')),
flips AS (
  SELECT count(*) AS n
  FROM (SELECT passing, lag(passing) OVER (ORDER BY build_number) AS previous FROM decisive)
  WHERE previous != passing),
last_success AS (
  -- ORDER BY … LIMIT 1 walks the index backwards and stops at the first green build; max() with
  -- these filters would read the job's whole history.
  SELECT build_number AS n FROM alerts
  WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND phase_rank >= 3 AND status = 'SUCCESS'
  ORDER BY build_number DESC LIMIT 1),
failing AS (
  SELECT count(*) AS streak, min(build_number) AS since FROM alerts
  WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND phase_rank >= 3 AND status IN ('FAILURE', 'UNSTABLE')
    AND build_number > coalesce((SELECT n FROM last_success), 0)),
durations AS (SELECT duration_ms AS ms FROM finished WHERE duration_ms IS NOT NULL),
median AS (
  SELECT CAST(round(avg(ms)) AS INTEGER) AS ms
  FROM (SELECT ms FROM durations ORDER BY ms
        LIMIT 2 - (SELECT count(*) FROM durations) % 2
        OFFSET ((SELECT count(*) FROM durations) - 1) / 2))
INSERT INTO jobs (source_id, source_name, job, display_name, state, last_build, last_status,
                  last_success_build, failing_since_build, failing_streak, flapping, last_duration_ms,
                  median_duration_ms, updated_at)
SELECT ${P("source_id")}, ${P("source_name")}, ${P("job")}, ${P("job_display_name")},
       CASE
         WHEN (SELECT phase_rank FROM newest) < 3 THEN 'running'
         WHEN (SELECT streak FROM failing) > 0 THEN 'failing'
         WHEN (SELECT n FROM last_success) IS NOT NULL THEN 'passing'
         ELSE 'unknown' END,
       (SELECT build_number FROM newest),
       (SELECT status FROM newest),
       (SELECT n FROM last_success),
       (SELECT since FROM failing),
       (SELECT streak FROM failing),
       (SELECT n FROM flips) >= 4,
       (SELECT duration_ms FROM finished ORDER BY build_number DESC LIMIT 1),
       (SELECT ms FROM median),
       ${P("received_at")}
WHERE ${IS_NEW}
ON CONFLICT (source_id, job) DO UPDATE SET
  source_name = excluded.source_name, display_name = excluded.display_name, state = excluded.state,
  last_build = excluded.last_build, last_status = excluded.last_status,
  last_success_build = excluded.last_success_build, failing_since_build = excluded.failing_since_build,
  failing_streak = excluded.failing_streak, flapping = excluded.flapping,
  last_duration_ms = excluded.last_duration_ms, median_duration_ms = excluded.median_duration_ms,
  updated_at = excluded.updated_at`;
