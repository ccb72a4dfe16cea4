/**
 * The statements that store one delivery, in batch order (see ./ingest.ts for how they are bound).
 * Every statement after the first acts only if the event row with this delivery's fresh `event_uid`
 * exists, i.e. only for a delivery not seen before: duplicates change nothing.
 */

import { namedParams } from "./params";

/** Every value a delivery's statements use, by name (./params.ts numbers them). */
export const DELIVERY_PARAMS = namedParams([
  "uid",
  "source_id",
  "source_name",
  "job",
  "job_display_name",
  "build_number",
  "build_url",
  "phase",
  "phase_rank",
  "status",
  "kind",
  "priority",
  "title",
  "branch",
  "commit",
  "received_at",
  "state",
  "finished_ts",
  "duration_ms",
  "culprits",
  "changes_count",
  "test_summary",
  "summary",
  "build_timestamp",
  "body_truncated",
  "body_format",
  "deferred",
  // Last: a statement binds the parameters up to the highest it uses, so only the event's insert
  // carries the body (up to 64 KiB) to D1.
  "body",
]);
const P = DELIVERY_PARAMS.ref;

const IS_NEW = `EXISTS (SELECT 1 FROM events WHERE event_uid = ${P("uid")})`;

/** The delivery's timeline event; it returns a row only when the delivery is new. */
const NEW_EVENT: [column: string, value: string][] = [
  ["event_uid", P("uid")],
  ["source_id", P("source_id")],
  ["job", P("job")],
  ["build_number", P("build_number")],
  ["phase", P("phase")],
  ["build_timestamp", P("build_timestamp")],
  ["status", P("status")],
  ["kind", P("kind")],
  ["priority", P("priority")],
  ["received_at", P("received_at")],
  ["body", P("body")],
  ["body_truncated", P("body_truncated")],
  ["body_format", P("body_format")],
];

export const INSERT_EVENT = `
INSERT INTO events (${NEW_EVENT.map(([column]) => column).join(", ")})
VALUES (${NEW_EVENT.map(([, value]) => value).join(", ")})
ON CONFLICT (source_id, job, build_number, phase, build_timestamp) DO NOTHING
RETURNING id`;

/** Columns that follow the furthest phase seen (ties: the latest delivery). */
const ADVANCING = [
  "phase",
  "phase_rank",
  "status",
  "kind",
  "priority",
  "title",
  "job_display_name",
  "summary",
];
const advance = (column: string) =>
  `${column} = CASE WHEN excluded.phase_rank >= alerts.phase_rank THEN excluded.${column} ELSE alerts.${column} END`;
const latestKnown = (column: string) => `${column} = coalesce(excluded.${column}, alerts.${column})`;

/**
 * The build's alert. State folding: `resolved` is final; a RESOLVE resolves an open or stale alert
 * (a quiet one stays quiet); an event that opens makes it open; any new event revives a stale one.
 * A build's own RESOLVE always names the build itself as the resolver, even if a later green build
 * resolved it first (its COMPLETED SUCCESS arrived before its FINALIZED).
 */
/** A new alert's columns and the value each takes: one table, so a column and its value cannot part. */
const NEW_ALERT: [column: string, value: string][] = [
  ["source_id", P("source_id")],
  ["source_name", P("source_name")],
  ["job", P("job")],
  ["job_display_name", P("job_display_name")],
  ["build_number", P("build_number")],
  ["build_url", P("build_url")],
  ["phase", P("phase")],
  ["phase_rank", P("phase_rank")],
  ["status", P("status")],
  ["kind", P("kind")],
  ["priority", P("priority")],
  ["title", P("title")],
  ["branch", P("branch")],
  ["commit_sha", P("commit")],
  [
    "event_count",
    `(SELECT count(*) FROM events
      WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND build_number = ${P("build_number")})`,
  ],
  ["first_seen_at", P("received_at")],
  ["last_seen_at", P("received_at")],
  ["state", P("state")],
  ["resolved_at", `CASE WHEN ${P("state")} = 'resolved' THEN ${P("received_at")} END`],
  ["resolved_by_build", `CASE WHEN ${P("state")} = 'resolved' THEN ${P("build_number")} END`],
  [
    "flapping",
    `coalesce((SELECT flapping FROM jobs WHERE source_id = ${P("source_id")} AND job = ${P("job")}), 0)`,
  ],
  ["finished_ts", P("finished_ts")],
  ["duration_ms", P("duration_ms")],
  ["culprits", P("culprits")],
  ["changes_count", P("changes_count")],
  ["test_summary", P("test_summary")],
  ["summary", P("summary")],
];

export const UPSERT_ALERT = `
INSERT INTO alerts (${NEW_ALERT.map(([column]) => column).join(", ")})
SELECT ${NEW_ALERT.map(([, value]) => value).join(",\n       ")}
WHERE ${IS_NEW}
ON CONFLICT (source_id, job, build_number) DO UPDATE SET
  event_count = alerts.event_count + 1,
  first_seen_at = min(alerts.first_seen_at, excluded.first_seen_at),
  last_seen_at = max(alerts.last_seen_at, excluded.last_seen_at),
  source_name = excluded.source_name,
  finished_ts = min(coalesce(alerts.finished_ts, excluded.finished_ts), coalesce(excluded.finished_ts, alerts.finished_ts)),
  state = CASE
    WHEN alerts.state = 'resolved' THEN 'resolved'
    WHEN excluded.kind = 'RESOLVE' THEN CASE WHEN alerts.state = 'quiet' THEN 'quiet' ELSE 'resolved' END
    WHEN excluded.state = 'open' OR alerts.state = 'stale' THEN 'open'
    ELSE alerts.state END,
  resolved_at = CASE WHEN alerts.state IN ('open', 'stale') AND excluded.kind = 'RESOLVE'
                     THEN excluded.last_seen_at ELSE alerts.resolved_at END,
  resolved_by_build = CASE WHEN excluded.kind = 'RESOLVE' AND alerts.state != 'quiet'
                           THEN alerts.build_number ELSE alerts.resolved_by_build END,
  ${["build_url", "branch", "commit_sha", "duration_ms", "culprits", "changes_count", "test_summary"].map(latestKnown).join(",\n  ")},
  ${ADVANCING.map(advance).join(",\n  ")}`;

/**
 * Recoveries (INDEXED BY: the planner, without statistics, may otherwise walk the job's whole
 * history through the unique index): an open or stale alert of this job whose build has finished is resolved by the
 * lowest-numbered later build of the job that finalized green, provided it finished no later than
 * that build did (Jenkins' clock). Runs for every new event of the job, so the outcome does not
 * depend on which of the two arrived first; builds still running are left alone.
 */
const GREEN_SUCCESSOR = `
  FROM alerts AS green
  WHERE green.source_id = alerts.source_id AND green.job = alerts.job
    AND green.build_number > alerts.build_number AND green.kind = 'RESOLVE'
    AND green.finished_ts >= coalesce(alerts.finished_ts, 0)`;

export const RESOLVE_RECOVERED = `
UPDATE alerts INDEXED BY alerts_unresolved_by_job
SET state = 'resolved', resolved_at = ${P("received_at")},
    resolved_by_build = (SELECT green.build_number ${GREEN_SUCCESSOR} ORDER BY green.build_number LIMIT 1)
WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND state IN ('open', 'stale') AND phase_rank >= 3
  AND ${IS_NEW}
  AND EXISTS (SELECT 1 ${GREEN_SUCCESSOR})`;

/**
 * A green build that arrives after a later green one takes over the alerts that later one resolved
 * but it resolves too (it is the lowest later green), so attribution does not depend on arrival
 * order either. Only bound for a FINALIZED SUCCESS event.
 */
export const REATTRIBUTE_RECOVERIES = `
UPDATE alerts INDEXED BY alerts_by_resolver SET resolved_by_build = ${P("build_number")}
WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND resolved_by_build > ${P("build_number")} AND build_number < ${P("build_number")}
  AND state = 'resolved' AND coalesce(finished_ts, 0) <= ${P("finished_ts")}
  AND ${IS_NEW}`;

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

/**
 * The source's delivery counters (README "Rejections and counters"): a new event counts as accepted,
 * and as deferred too when it came through the queue.
 */
export const COUNT_ACCEPTED = `
INSERT INTO source_stats (source_id, accepted, deferred, updated_at)
SELECT ${P("source_id")}, 1, ${P("deferred")}, ${P("received_at")} WHERE ${IS_NEW}
ON CONFLICT (source_id) DO UPDATE SET
  accepted = source_stats.accepted + 1, deferred = source_stats.deferred + excluded.deferred,
  updated_at = excluded.updated_at`;

/** The build's alert, new or not: the last statement of every delivery's batch. */
export const FIND_ALERT = `
SELECT id AS alert_id FROM alerts
WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND build_number = ${P("build_number")}`;
