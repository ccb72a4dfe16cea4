/**
 * Heartbeats in SQL (docs/incidents.md "Heartbeats", the numbers in ./rules.ts): the usual interval
 * learned from a job's recent build starts and the time its next build is due (both maintained by the
 * job-health upsert, ../jobs/health-sql.ts, and by PUT/DELETE …/heartbeat, ../jobs/heartbeat-settings.ts),
 * and the delivery statement that resolves what a heartbeat opened (the cron trigger opens them:
 * ./cron.ts).
 */

import { type Deliveries, deliveryCtes, WRITE_STAMP } from "../core/delivery-params";
import { groupMedian } from "../platform/db/median";
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
 * Common table expressions over `recent` (each touched job's newest LEARN_FROM_BUILDS alerts, with
 * `started_ts`), for the job upsert, one row per job (`by`: the columns that tell jobs apart, none
 * when there is one): `last_start` (the newest known build start) and `learned` (the median of the
 * intervals between successive starts, from at least MIN_INTERVALS of them; NULL before). Two builds
 * started at the same millisecond make no interval.
 */
export function learningCtes(by: string[]): string {
  const columns = by.map((column) => `${column}, `).join("");
  const group = by.length > 0 ? `GROUP BY ${by.join(", ")}` : "";
  const partition = by.length > 0 ? `PARTITION BY ${by.join(", ")} ` : "";
  return `
starts AS (SELECT ${columns}started_ts AS ts FROM recent WHERE started_ts IS NOT NULL),
last_start AS (SELECT ${columns}max(ts) AS ts FROM starts ${group}),
intervals AS (
  SELECT ${columns}ms
  FROM (SELECT ${columns}ts - lag(ts) OVER (${partition}ORDER BY ts) AS ms FROM starts)
  WHERE ms > 0),
learned AS (
  SELECT ${columns}CASE WHEN n >= ${MIN_INTERVALS} THEN ms END AS ms
  FROM (${groupMedian("intervals", "ms", by)}))`;
}

/**
 * The deliveries' effect on what heartbeats opened: any new event of the source ends its
 * `source_silent` incident; a new event of a later build than the job's last one when the miss was
 * noticed ends the job's `missed_build` (the resolver: the write's first such delivery, as when they are
 * stored one at a time; of a `source_silent`, the write's first delivery of the source). The
 * timeline's 'resolved' row is written by the incident timeline sync, which picks up incidents whose
 * `updated_at` is the write's stamp. Read through the partial index incidents_one_open (source,
 * coalesce(job, ''), kind): at most two rows per touched job, however many incidents the source has had.
 */
export const resolveHeartbeats = (from: Deliveries) => `
WITH ${deliveryCtes(from)},
ended AS MATERIALIZED (
  SELECT i.id, (SELECT d.build_number FROM delivery AS d WHERE d.source_id = i.source_id
                  AND (i.kind = 'source_silent' OR (d.job = i.job AND d.build_number > coalesce(i.last_build, 0)))
                  ORDER BY d.seq LIMIT 1) AS build
  FROM touched AS t CROSS JOIN incidents AS i INDEXED BY incidents_one_open
  WHERE i.source_id = t.source_id AND coalesce(i.job, '') IN ('', t.job)
    AND i.kind IN ('source_silent', 'missed_build') AND i.state != 'resolved'
    AND (i.kind = 'source_silent'
         OR (i.job = t.job AND EXISTS (SELECT 1 FROM delivery AS d WHERE d.source_id = t.source_id AND d.job = t.job
                                       AND d.build_number > coalesce(i.last_build, 0)))))
UPDATE incidents
SET state = 'resolved', resolved_by = 'heartbeat', resolved_at = ${WRITE_STAMP},
  resolved_by_build = (SELECT build FROM ended WHERE ended.id = incidents.id),
  updated_at = ${WRITE_STAMP}
WHERE id IN (SELECT id FROM ended)`;
