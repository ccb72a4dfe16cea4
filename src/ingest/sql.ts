/**
 * The statements that store deliveries besides the alerts, recoveries, job health and incidents
 * (../alerts/sql.ts, ../alerts/recovery-sql.ts, ../jobs/health-sql.ts, ../incidents/sql.ts): the
 * events, the source's counters, the staging of a queue batch and the synchronous path's alert id.
 */
import { DELIVERY_COLUMNS, type Deliveries, deliveryCtes, P, WRITE_STAMP } from "../core/delivery-params";

/** An event's columns and the delivery value each takes. */
const NEW_EVENT: [column: string, value: (typeof DELIVERY_COLUMNS)[number]][] = [
  ["event_uid", "uid"],
  ["source_id", "source_id"],
  ["job", "job"],
  ["build_number", "build_number"],
  ["phase", "phase"],
  ["build_timestamp", "build_timestamp"],
  ["status", "status"],
  ["kind", "kind"],
  ["priority", "priority"],
  ["received_at", "received_at"],
  ["body", "body"],
  ["body_truncated", "body_truncated"],
  ["body_format", "body_format"],
];
const EVENT_COLUMNS = NEW_EVENT.map(([column]) => column).join(", ");
const DUPLICATE = "ON CONFLICT (source_id, job, build_number, phase, build_timestamp) DO NOTHING";

/** One delivery's event; it returns a row only when the delivery is new. */
export const INSERT_EVENT = `
INSERT INTO events (${EVENT_COLUMNS})
VALUES (${NEW_EVENT.map(([, value]) => P(value)).join(", ")})
${DUPLICATE}
RETURNING id`;

/**
 * Stages part of a queue batch: ?1 a JSON array of deliveries, each an array of its values in
 * DELIVERY_COLUMNS order; ?2 the place in the batch of the first.
 */
export const STAGE_DELIVERIES = `
INSERT INTO ingest_batch (seq, ${DELIVERY_COLUMNS.map((column) => `"${column}"`).join(", ")})
SELECT ?2 + key, ${DELIVERY_COLUMNS.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ")}
FROM json_each(?1)`;

/**
 * The staged deliveries' events, in the order received: of the same delivery twice in one batch, the
 * first is the new one. Returns the uids of the new deliveries.
 */
export const INSERT_STAGED_EVENTS = `
INSERT INTO events (${EVENT_COLUMNS})
SELECT ${NEW_EVENT.map(([, value]) => `"${value}"`).join(", ")} FROM ingest_batch
WHERE true ORDER BY seq
${DUPLICATE}
RETURNING event_uid AS uid`;

/** Ends a queue batch's statements: nothing stays staged once its transaction commits. */
export const CLEAR_STAGED = "DELETE FROM ingest_batch";

/**
 * The sources' delivery counters (docs/alerts.md "Rejections and counters"): a new event counts as
 * accepted, and as deferred too when it came through the queue. `last_event_at` is when the source's
 * newest event was received (the cron trigger's source_silent rule reads it; a deferred delivery keeps
 * its own time).
 */
export const countAccepted = (from: Deliveries) => `
WITH ${deliveryCtes(from)}
INSERT INTO source_stats (source_id, accepted, deferred, updated_at, last_event_at)
SELECT source_id, count(*), sum(deferred), ${WRITE_STAMP}, max(received_at)
FROM delivery WHERE true GROUP BY source_id
ON CONFLICT (source_id) DO UPDATE SET
  accepted = source_stats.accepted + excluded.accepted, deferred = source_stats.deferred + excluded.deferred,
  updated_at = excluded.updated_at,
  last_event_at = max(coalesce(source_stats.last_event_at, ''), excluded.last_event_at)`;

/** The build's alert, new or not: the last statement of the synchronous path. */
export const FIND_ALERT = `
SELECT id AS alert_id FROM alerts
WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND build_number = ${P("build_number")}`;
