/**
 * Retention: old alerts (with their events and test failures), old events, old dead letters, old audit entries; one purge round each, as
 * one D1 batch (one transaction), oldest first by an index range scan (migrations/0004). The cron
 * trigger runs rounds within its query budget (../scheduled.ts). Alert summaries and job health are
 * never touched: a purged event only adds to its alert's `purged_events`, so the timeline can say
 * what is gone.
 */
import { wholeNumber } from "../platform/vars";

/** Rows one round removes at most: small enough that a round holds D1's single writer only briefly. */
export const PURGE_ROWS = 200;

/** What one round of each purge costs against the plan's queries per invocation. */
export const STATEMENTS_PER_ROUND = { alerts: 4, events: 2, deadLetters: 1, audit: 1 } as const;

const OLDEST_EVENTS = `
  SELECT id FROM events INDEXED BY events_by_received_at
  WHERE received_at < ?1 ORDER BY received_at, id LIMIT ?2`;

/** The oldest events' alerts count them as purged (the same rows the DELETE below removes). */
const COUNT_PURGED_EVENTS = `
UPDATE alerts SET purged_events = alerts.purged_events + purged.n
FROM (SELECT source_id, job, build_number, count(*) AS n FROM events
      WHERE id IN (${OLDEST_EVENTS}) GROUP BY source_id, job, build_number) AS purged
WHERE alerts.source_id = purged.source_id AND alerts.job = purged.job
  AND alerts.build_number = purged.build_number`;

const DELETE_OLDEST_EVENTS = `DELETE FROM events WHERE id IN (${OLDEST_EVENTS})`;

const OLDEST_ALERTS = `
  SELECT id FROM alerts INDEXED BY alerts_by_last_seen
  WHERE last_seen_at < ?1 ORDER BY last_seen_at, id LIMIT ?2`;

const DELETE_OLDEST_ALERTS_EVENTS = `
DELETE FROM events WHERE (source_id, job, build_number) IN
  (SELECT source_id, job, build_number FROM alerts WHERE id IN (${OLDEST_ALERTS}))`;

/** The test failures of those builds (flaky tests are counted over the builds kept). */
const DELETE_OLDEST_ALERTS_TEST_FAILURES = `
DELETE FROM test_failures WHERE (source_id, job, build_number) IN
  (SELECT source_id, job, build_number FROM alerts WHERE id IN (${OLDEST_ALERTS}))`;

const DELETE_OLDEST_ALERTS = `DELETE FROM alerts WHERE id IN (${OLDEST_ALERTS})`;

/**
 * The insights' daily rollup (migrations/0017_rollups.sql) loses the days before the oldest alert still
 * there, after the round above (all of it once no alert is left); the oldest alert's own day, which may
 * have lost some, is counted again by the rollup's next run ({@link rollUpInsights}).
 */
const DELETE_PURGED_ROLLUPS = `
DELETE FROM insight_rollups
WHERE day < coalesce((SELECT substr(min(last_seen_at), 1, 10) FROM alerts), '9999-12-31')`;

/** Purges up to `rows` of the oldest events received before `cutoff`; returns how many went. */
export async function purgeOldEvents(db: D1Database, cutoff: string, rows = PURGE_ROWS): Promise<number> {
  const [, deleted] = await db.batch([
    db.prepare(COUNT_PURGED_EVENTS).bind(cutoff, rows),
    db.prepare(DELETE_OLDEST_EVENTS).bind(cutoff, rows),
  ]);
  return deleted?.meta.changes ?? 0;
}

/**
 * Purges up to `rows` of the alerts whose last event is older than `cutoff`, oldest first, with the
 * events and test failures they still have and the rollup's days they leave empty; returns how many
 * alerts and events went.
 */
export async function purgeOldAlerts(
  db: D1Database,
  cutoff: string,
  rows = PURGE_ROWS,
): Promise<{ alerts: number; events: number }> {
  const [events, , alerts] = await db.batch([
    db.prepare(DELETE_OLDEST_ALERTS_EVENTS).bind(cutoff, rows),
    db.prepare(DELETE_OLDEST_ALERTS_TEST_FAILURES).bind(cutoff, rows),
    db.prepare(DELETE_OLDEST_ALERTS).bind(cutoff, rows),
    db.prepare(DELETE_PURGED_ROLLUPS),
  ]);
  return { alerts: alerts?.meta.changes ?? 0, events: events?.meta.changes ?? 0 };
}

const DELETE_OLDEST_DEAD_LETTERS = `
DELETE FROM dead_letters WHERE id IN (
  SELECT id FROM dead_letters INDEXED BY dead_letters_by_age
  WHERE dead_at < ?1 ORDER BY dead_at, id LIMIT ?2)`;

/** Purges up to `rows` of the dead letters stored before `cutoff` (they hold bodies); returns how many went. */
export async function purgeOldDeadLetters(
  db: D1Database,
  cutoff: string,
  rows = PURGE_ROWS,
): Promise<number> {
  const [deleted] = await db.batch([db.prepare(DELETE_OLDEST_DEAD_LETTERS).bind(cutoff, rows)]);
  return deleted?.meta.changes ?? 0;
}

const DELETE_OLDEST_AUDIT = `
DELETE FROM audit_log WHERE id IN (
  SELECT id FROM audit_log INDEXED BY audit_log_by_at
  WHERE at < ?1 ORDER BY at, id LIMIT ?2)`;

/** Purges up to `rows` of the audit entries recorded before `cutoff` (kept as long as alerts); returns how many went. */
export async function purgeOldAudit(db: D1Database, cutoff: string, rows = PURGE_ROWS): Promise<number> {
  const [deleted] = await db.batch([db.prepare(DELETE_OLDEST_AUDIT).bind(cutoff, rows)]);
  return deleted?.meta.changes ?? 0;
}

/** Events received longer ago than this many days are purged. */
export const retentionDays = (env: Pick<Env, "RETENTION_DAYS">) => wholeNumber(env.RETENTION_DAYS, 90);

/** Alerts whose last event is older than this many days are purged, with their events. */
export const alertRetentionDays = (env: Pick<Env, "ALERT_RETENTION_DAYS">) =>
  wholeNumber(env.ALERT_RETENTION_DAYS, 365);
