/**
 * Job health, recomputed once per write for every job its new deliveries touched, with its heartbeat
 * and its displayed path; and the job's entry in job search (built by ../ingest/store.ts).
 */

import { type Deliveries, deliveryCtes, P } from "../core/delivery-params";
import { LEARN_FROM_BUILDS } from "../heartbeats/rules";
import { dueAt, learningCtes } from "../heartbeats/sql";
import { groupMedian } from "../platform/db/median";

/**
 * How each form tells its jobs apart: a batch's CTEs carry (source_id, job) and partition by it; one
 * delivery's are about its one job, so they need neither (a partition costs a sort per CTE, and the
 * synchronous path pays it on every delivery).
 */
const JOBS: Record<Deliveries, { by: string[]; recent: string }> = {
  one: {
    by: [],
    recent: `
  SELECT build_number, phase_rank, status, duration_ms, started_ts,
         row_number() OVER (ORDER BY build_number DESC) AS k
  FROM alerts WHERE source_id = ${P("source_id")} AND job = ${P("job")}
  ORDER BY build_number DESC LIMIT ${LEARN_FROM_BUILDS}`,
  },
  // Each touched job's range from its LEARN_FROM_BUILDS-th newest build up, found by one index seek.
  batch: {
    by: ["source_id", "job"],
    recent: `
  SELECT a.source_id, a.job, a.build_number, a.phase_rank, a.status, a.duration_ms, a.started_ts,
         row_number() OVER (PARTITION BY a.source_id, a.job ORDER BY a.build_number DESC) AS k
  FROM touched AS t CROSS JOIN alerts AS a
  WHERE a.source_id = t.source_id AND a.job = t.job
    AND a.build_number >= coalesce(
      (SELECT x.build_number FROM alerts AS x WHERE x.source_id = t.source_id AND x.job = t.job
       ORDER BY x.build_number DESC LIMIT 1 OFFSET ${LEARN_FROM_BUILDS - 1}), -1)`,
  },
};

/**
 * Job health, recomputed once per write for every job the write touched, from the job's alerts (index
 * range scans on source, job, build number; `recent` is its newest LEARN_FROM_BUILDS), and its
 * heartbeat: the last build start, the learned interval and when the next build is due. The due time
 * is recomputed only when what it derives from changed (a new build, a new start, a new interval): the
 * cron trigger clears it when it opens a missed build, and an event of a build already known must not
 * re-arm it (docs/incidents.md "Heartbeats").
 */
export const upsertJobs = (from: Deliveries) => {
  const { by, recent } = JOBS[from];
  const columns = by.map((column) => `${column}, `).join("");
  const partition = by.length > 0 ? `PARTITION BY ${by.join(", ")} ` : "";
  const group = by.length > 0 ? `GROUP BY ${by.join(", ")}` : "";
  const join = (table: string) =>
    by.length > 0
      ? `LEFT JOIN ${table} ON ${by.map((c) => `${table}.${c} = t.${c}`).join(" AND ")}`
      : `LEFT JOIN ${table}`;
  return `
WITH ${deliveryCtes(from)},
recent AS MATERIALIZED (${recent}),
newest AS (SELECT ${columns}build_number, phase_rank, status FROM recent WHERE k = 1),
finished AS MATERIALIZED (
  SELECT ${columns}build_number, status, duration_ms,
         row_number() OVER (${partition}ORDER BY build_number DESC) AS k
  FROM recent WHERE phase_rank >= 3),
decisive AS (
  SELECT ${columns}build_number, status = 'SUCCESS' AS passing
  FROM finished WHERE k <= 10 AND status IN ('SUCCESS', 'FAILURE', 'UNSTABLE')),
flips AS (
  SELECT ${columns}count(*) AS n
  FROM (SELECT ${columns}passing, lag(passing) OVER (${partition}ORDER BY build_number) AS previous FROM decisive)
  WHERE previous != passing ${group}),
last_finished AS (SELECT ${columns}duration_ms FROM finished WHERE k = 1),
last_success AS MATERIALIZED (
  -- ORDER BY … LIMIT 1 walks the index backwards and stops at the first green build; max() with
  -- these filters would read the job's whole history.
  SELECT t.source_id, t.job,
         (SELECT a.build_number FROM alerts AS a
          WHERE a.source_id = t.source_id AND a.job = t.job AND a.phase_rank >= 3 AND a.status = 'SUCCESS'
          ORDER BY a.build_number DESC LIMIT 1) AS n
  FROM touched AS t),
failing AS (
  SELECT s.source_id, s.job, count(a.build_number) AS streak, min(a.build_number) AS since
  FROM last_success AS s LEFT JOIN alerts AS a
    ON a.source_id = s.source_id AND a.job = s.job AND a.build_number > coalesce(s.n, 0)
   AND a.phase_rank >= 3 AND a.status IN ('FAILURE', 'UNSTABLE')
  GROUP BY s.source_id, s.job),
median AS (${groupMedian("finished", "duration_ms", by)}),
${learningCtes(by)}
INSERT INTO jobs (source_id, source_name, job, display_name, state, last_build, last_status,
                  last_success_build, failing_since_build, failing_streak, flapping, last_duration_ms,
                  median_duration_ms, updated_at, job_path, last_started_ts, learned_every_ms,
                  heartbeat_due_at)
SELECT t.source_id, t.source_name, t.job, t.job_display_name,
       CASE
         WHEN newest.phase_rank < 3 THEN 'running'
         WHEN failing.streak > 0 THEN 'failing'
         WHEN last_success.n IS NOT NULL THEN 'passing'
         ELSE 'unknown' END,
       newest.build_number, newest.status, last_success.n, failing.since, failing.streak,
       coalesce(flips.n, 0) >= 4, last_finished.duration_ms, median.ms, t.stamp, t.job_path,
       last_start.ts, learned.ms,
       CASE
         WHEN stored.heartbeat_off THEN NULL
         WHEN stored.last_build IS newest.build_number AND stored.last_started_ts IS last_start.ts
              AND stored.learned_every_ms IS learned.ms THEN stored.heartbeat_due_at
         ELSE ${dueAt("last_start.ts", "coalesce(stored.heartbeat_every_ms, learned.ms)", "stored.heartbeat_grace_ms")}
         END
FROM touched AS t
${join("newest")}
LEFT JOIN last_success ON last_success.source_id = t.source_id AND last_success.job = t.job
LEFT JOIN failing ON failing.source_id = t.source_id AND failing.job = t.job
${join("flips")}
${join("last_finished")}
${join("median")}
${join("last_start")}
${join("learned")}
LEFT JOIN jobs AS stored ON stored.source_id = t.source_id AND stored.job = t.job
WHERE true
ON CONFLICT (source_id, job) DO UPDATE SET
  source_name = excluded.source_name, display_name = excluded.display_name, state = excluded.state,
  last_build = excluded.last_build, last_status = excluded.last_status,
  last_success_build = excluded.last_success_build, failing_since_build = excluded.failing_since_build,
  failing_streak = excluded.failing_streak, flapping = excluded.flapping,
  last_duration_ms = excluded.last_duration_ms, median_duration_ms = excluded.median_duration_ms,
  updated_at = excluded.updated_at, job_path = excluded.job_path, last_started_ts = excluded.last_started_ts,
  learned_every_ms = excluded.learned_every_ms, heartbeat_due_at = excluded.heartbeat_due_at`;
};

/**
 * The entries in job search (FTS5 trigram on the displayed path, migrations/0005) of the touched jobs
 * new to it, added after the upsert above; a job's path never changes, so it is never updated.
 */
export const addJobSearch = (from: Deliveries) => `
WITH ${deliveryCtes(from)}
INSERT INTO job_search (rowid, job_path)
SELECT j.id, t.job_path FROM touched AS t CROSS JOIN jobs AS j
WHERE j.source_id = t.source_id AND j.job = t.job
  AND NOT EXISTS (SELECT 1 FROM job_search WHERE rowid = j.id)`;
