/**
 * Everything ingest stored for one source, normalized so that two sources given the same deliveries
 * compare equal: rows keyed by job and build (never by row id), an alert's incident named by its
 * segment, timelines as sorted multisets.
 *
 * Left out: only the "when it was learned" times (alerts' first_seen_at, last_seen_at and resolved_at,
 * incidents' opened_at, resolved_at and updated_at, the timeline's `at`, jobs' and source_stats'
 * updated_at), and an alert's copy of its job's `flapping` as it stood when the alert was last
 * written. A set-based batch may stamp what it derives with the batch's latest received time, where one
 * delivery at a time stamps each with its own. Every other column is a fact of the deliveries and must
 * come out the same however they were batched: an event's own `received_at` included, and so a deploy's
 * `deployed_at` (its green build's).
 */
import { env } from "cloudflare:workers";

const rows = async (sql: string, sourceId: string) =>
  (await env.DB.prepare(sql).bind(sourceId).all<Record<string, unknown>>()).results;

const ALERTS = `
SELECT a.job, a.build_number, a.state, a.resolved_by_build, a.phase, a.phase_rank, a.status, a.kind,
       a.priority, a.incident_priority, a.event_count, a.finished_ts, a.started_ts, a.duration_ms,
       a.title, a.build_url, a.branch, a.commit_sha, a.summary, a.culprits, a.changes_count,
       a.test_summary, a.job_display_name, a.deployed_at,
       a.incident_id IS NOT NULL AS linked, i.kind AS incident_kind, i.after_build AS incident_after_build,
       i.first_build AS incident_first_build
FROM alerts AS a LEFT JOIN incidents AS i ON i.id = a.incident_id
WHERE a.source_id = ?1 ORDER BY a.job, a.build_number`;

const INCIDENTS = `
SELECT job, kind, after_build, state, first_build, last_build, build_count, priority, resolved_by,
       resolved_by_build, silenced, branch, job_display_name, fence_build
FROM incidents WHERE source_id = ?1 ORDER BY job, kind, after_build`;

/** Per incident (by its segment), the multiset of (type, build_number, by). */
const TIMELINES = `
SELECT i.job, i.kind, i.after_build, e.type, e.build_number, e.by
FROM incident_events AS e JOIN incidents AS i ON i.id = e.incident_id
WHERE i.source_id = ?1 ORDER BY i.job, i.kind, i.after_build, e.type, e.build_number, e.by`;

const JOBS = `
SELECT job, display_name, job_path, state, last_build, last_status, last_success_build,
       failing_since_build, failing_streak, flapping, last_duration_ms, median_duration_ms,
       learned_every_ms, last_started_ts, heartbeat_due_at,
       (SELECT s.job_path FROM job_search AS s WHERE s.rowid = jobs.id) AS searchable_as
FROM jobs WHERE source_id = ?1 ORDER BY job`;

/** last_event_at: when the newest new event was received (the cron's source_silent rule reads it). */
const STATS = `
SELECT accepted, deferred, rejected, last_event_at FROM source_stats WHERE source_id = ?1`;

const EVENTS = `
SELECT job, build_number, phase, build_timestamp, status, kind, priority, received_at, body,
       body_truncated, body_format
FROM events WHERE source_id = ?1 ORDER BY job, build_number, phase, build_timestamp`;

/** The tests each build failed, and whether a later build proved the failure flaky. */
const TEST_FAILURES = `
SELECT job, build_number, test, commit_sha, seen_at, flipped FROM test_failures WHERE source_id = ?1
ORDER BY job, build_number, test`;

/** The source's stored state, table by table (compare them one by one to see which differs). */
export async function sourceState(sourceId: string) {
  const [alerts, incidents, timelines, jobs, stats, events, testFailures] = await Promise.all(
    [ALERTS, INCIDENTS, TIMELINES, JOBS, STATS, EVENTS, TEST_FAILURES].map((sql) => rows(sql, sourceId)),
  );
  return { alerts, incidents, timelines, jobs, stats, events, testFailures } as Record<
    "alerts" | "incidents" | "timelines" | "jobs" | "stats" | "events" | "testFailures",
    Record<string, unknown>[]
  >;
}

/** The source's alert ids by job and build, and its stored timeline entries (id and type). */
export async function sourceIds(sourceId: string) {
  const alerts = await rows("SELECT id, job, build_number FROM alerts WHERE source_id = ?1", sourceId);
  const entries = await rows(
    `SELECT e.id, e.type FROM incident_events AS e JOIN incidents AS i ON i.id = e.incident_id
     WHERE i.source_id = ?1 ORDER BY e.id`,
    sourceId,
  );
  return {
    alertId: new Map(alerts.map((a) => [`${a.job}#${a.build_number}`, a.id as number])),
    entries: entries as { id: number; type: string }[],
  };
}
