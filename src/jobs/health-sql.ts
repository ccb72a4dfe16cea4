/**
 * Job health, recomputed by every new event of the job, with its heartbeat and its displayed path;
 * and the job's entry in job search (bound by ../ingest/store.ts).
 */

import { IS_NEW, P } from "../core/delivery-params";
import { LEARN_FROM_BUILDS } from "../heartbeats/rules";
import { dueAt, LEARNING_CTES } from "../heartbeats/sql";

/**
 * Job health, recomputed from the job's alerts (index range scans on source, job, build number), and
 * its heartbeat: the last build start, the learned interval and when the next build is due. The due
 * time is recomputed only when what it derives from changed (a new build, a new start, a new
 * interval): the cron trigger clears it when it opens a missed build, and an event of a build already
 * known must not re-arm it (docs/incidents.md "Heartbeats").
 */
export const UPSERT_JOB = `
WITH
recent AS MATERIALIZED (
  SELECT build_number, phase_rank, status, duration_ms, started_ts FROM alerts
  WHERE source_id = ${P("source_id")} AND job = ${P("job")} ORDER BY build_number DESC LIMIT ${LEARN_FROM_BUILDS}),
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
        OFFSET ((SELECT count(*) FROM durations) - 1) / 2)),
${LEARNING_CTES},
stored AS (
  SELECT last_build, last_started_ts, learned_every_ms, heartbeat_every_ms, heartbeat_grace_ms,
         heartbeat_off, heartbeat_due_at
  FROM jobs WHERE source_id = ${P("source_id")} AND job = ${P("job")}),
heartbeat AS (
  SELECT CASE
    WHEN stored.heartbeat_off THEN NULL
    WHEN stored.last_build IS (SELECT build_number FROM newest)
         AND stored.last_started_ts IS (SELECT ts FROM last_start)
         AND stored.learned_every_ms IS (SELECT ms FROM learned) THEN stored.heartbeat_due_at
    ELSE ${dueAt("(SELECT ts FROM last_start)", "coalesce(stored.heartbeat_every_ms, (SELECT ms FROM learned))", "stored.heartbeat_grace_ms")}
    END AS due_at
  FROM (SELECT 1) LEFT JOIN stored)
INSERT INTO jobs (source_id, source_name, job, display_name, state, last_build, last_status,
                  last_success_build, failing_since_build, failing_streak, flapping, last_duration_ms,
                  median_duration_ms, updated_at, job_path, last_started_ts, learned_every_ms,
                  heartbeat_due_at)
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
       ${P("received_at")},
       ${P("job_path")},
       (SELECT ts FROM last_start),
       (SELECT ms FROM learned),
       (SELECT due_at FROM heartbeat)
WHERE ${IS_NEW}
ON CONFLICT (source_id, job) DO UPDATE SET
  source_name = excluded.source_name, display_name = excluded.display_name, state = excluded.state,
  last_build = excluded.last_build, last_status = excluded.last_status,
  last_success_build = excluded.last_success_build, failing_since_build = excluded.failing_since_build,
  failing_streak = excluded.failing_streak, flapping = excluded.flapping,
  last_duration_ms = excluded.last_duration_ms, median_duration_ms = excluded.median_duration_ms,
  updated_at = excluded.updated_at, job_path = excluded.job_path, last_started_ts = excluded.last_started_ts,
  learned_every_ms = excluded.learned_every_ms, heartbeat_due_at = excluded.heartbeat_due_at`;

/**
 * The job's entry in job search (FTS5 trigram on the displayed path, migrations/0005), added by the
 * job's first new event after the upsert above; a job's path never changes, so it is never updated.
 */
export const JOB_SEARCH = `
INSERT INTO job_search (rowid, job_path)
SELECT id, ${P("job_path")} FROM jobs
WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND ${IS_NEW}
  AND NOT EXISTS (SELECT 1 FROM job_search WHERE rowid = jobs.id)`;
