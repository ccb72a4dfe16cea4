/**
 * The statements that store one delivery besides the alert, recoveries and job health (../alerts/sql.ts,
 * ../alerts/recovery-sql.ts, ../jobs/health-sql.ts): the timeline event, the source's counters and the
 * alert's id. ./store.ts binds them all from one set of named values (../core/delivery-params.ts).
 */
import { IS_NEW, P } from "../core/delivery-params";

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

/**
 * The source's delivery counters (docs/alerts.md "Rejections and counters"): a new event counts as accepted,
 * and as deferred too when it came through the queue. `last_event_at` is when its newest event was
 * received (the cron trigger's source_silent rule reads it; a deferred delivery keeps its own time).
 */
export const COUNT_ACCEPTED = `
INSERT INTO source_stats (source_id, accepted, deferred, updated_at, last_event_at)
SELECT ${P("source_id")}, 1, ${P("deferred")}, ${P("received_at")}, ${P("received_at")} WHERE ${IS_NEW}
ON CONFLICT (source_id) DO UPDATE SET
  accepted = source_stats.accepted + 1, deferred = source_stats.deferred + excluded.deferred,
  updated_at = excluded.updated_at,
  last_event_at = max(coalesce(source_stats.last_event_at, ''), excluded.last_event_at)`;

/** The build's alert, new or not: the last statement of every delivery's batch. */
export const FIND_ALERT = `
SELECT id AS alert_id FROM alerts
WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND build_number = ${P("build_number")}`;
