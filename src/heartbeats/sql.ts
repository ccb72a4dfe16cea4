/**
 * Heartbeats in SQL (docs/incidents.md "Heartbeats", the numbers in ./rules.ts): the usual interval
 * learned from a job's recent build starts and the time its next build is due (both maintained by the
 * job-health upsert, ../jobs/health-sql.ts, and by PUT/DELETE …/heartbeat, ../jobs/heartbeat-settings.ts),
 * and the delivery statement that resolves what a heartbeat opened (the cron trigger opens them:
 * ./cron.ts).
 */

import { IS_NEW, P } from "../core/delivery-params";
import { MIN_DEFAULT_GRACE_MS, MIN_INTERVALS } from "./rules";

/** Epoch milliseconds → ISO 8601 text, exactly as `Date.toISOString()` writes it (NULL stays NULL). */
const isoFromMs = (ms: string) =>
  `strftime('%Y-%m-%dT%H:%M:%S', (${ms}) / 1000, 'unixepoch') || printf('.%03dZ', (${ms}) % 1000)`;

/**
 * When the next build is late: the last start + the interval + the grace (NULL grace: the default,
 * half the interval and at least 30 minutes). NULL when any part is unknown.
 */
export const dueAt = (lastStartedTs: string, everyMs: string, graceMs: string) =>
  isoFromMs(
    `${lastStartedTs} + ${everyMs} + coalesce(${graceMs}, max((${everyMs}) / 2, ${MIN_DEFAULT_GRACE_MS}))`,
  );

/**
 * Common table expressions over `recent` (the job's newest LEARN_FROM_BUILDS alerts, with `started_ts`), for the job
 * upsert: `starts` (the known build starts), `last_start` (the newest), `learned` (the median of the
 * intervals between successive starts, from at least MIN_INTERVALS of them; NULL before). Two builds
 * started at the same millisecond make no interval.
 */
export const LEARNING_CTES = `
starts AS (SELECT started_ts AS ts FROM recent WHERE started_ts IS NOT NULL),
last_start AS (SELECT max(ts) AS ts FROM starts),
intervals AS (
  SELECT ms FROM (SELECT ts - lag(ts) OVER (ORDER BY ts) AS ms FROM starts) WHERE ms > 0),
learned AS (
  SELECT CASE WHEN (SELECT count(*) FROM intervals) >= ${MIN_INTERVALS} THEN CAST(round(avg(ms)) AS INTEGER) END AS ms
  FROM (SELECT ms FROM intervals ORDER BY ms
        LIMIT 2 - (SELECT count(*) FROM intervals) % 2
        OFFSET ((SELECT count(*) FROM intervals) - 1) / 2))`;

/**
 * The delivery's effect on what heartbeats opened: any new event of the source ends its
 * `source_silent` incident; a new event of a later build than the job's last one when the miss was
 * noticed ends the job's `missed_build`. The timeline's 'resolved' row is written by the incident
 * timeline sync, which picks up incidents whose `updated_at` is this delivery's `received_at`.
 * Read through the partial index incidents_one_open (source, coalesce(job, ''), kind): at most two
 * rows, however many incidents the source has had.
 */
export const RESOLVE_HEARTBEATS = `
UPDATE incidents INDEXED BY incidents_one_open
SET state = 'resolved', resolved_by = 'heartbeat', resolved_at = ${P("received_at")},
  resolved_by_build = ${P("build_number")}, updated_at = ${P("received_at")}
WHERE source_id = ${P("source_id")} AND coalesce(job, '') IN ('', ${P("job")})
  AND kind IN ('source_silent', 'missed_build') AND state != 'resolved'
  AND (kind = 'source_silent' OR (job = ${P("job")} AND ${P("build_number")} > coalesce(last_build, 0)))
  AND ${IS_NEW}`;
