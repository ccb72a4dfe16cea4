/**
 * Storing deliveries: nine statements for a queued or running build, twelve for another finished one,
 * fifteen for a green one (SQL in ./sql.ts, ../alerts/sql.ts, ../alerts/recovery-sql.ts,
 * ../jobs/health-sql.ts, ../heartbeats/sql.ts, ../incidents/sql.ts, ../incidents/timeline-sql.ts), all of a
 * call's deliveries in one D1 batch: one round trip and one transaction. The HTTP path stores one delivery
 * per call (exactly one round trip, the duplicate's alert lookup included); the queue consumer stores a whole
 * queue batch per call.
 *
 * - Idempotent: the events table is unique on (source, job, build, phase, build.timestamp). The event
 *   is inserted with a fresh `event_uid`; everything else acts only when a row with that uid exists,
 *   i.e. when this delivery was new.
 * - Order-safe: the alert takes an event's state only when its phase rank is at least the stored
 *   one, so a late STARTED never overwrites FINALIZED. D1 runs batches one at a time, so concurrent
 *   deliveries of one build serialise and no update is lost.
 * - Each call is issued by the request (or queue invocation) that owns the deliveries: no batch is
 *   ever shared between requests (workerd ties I/O to the request that started it).
 */

import { REATTRIBUTE_RECOVERIES, RESOLVE_RECOVERED, REVISE_RECOVERIES } from "../alerts/recovery-sql";
import { UPSERT_ALERT } from "../alerts/sql";
import { isFinished } from "../core/build-context";
import type { BuildEvent } from "../core/build-event";
import { DELIVERY_PARAMS } from "../core/delivery-params";
import { jobLabel } from "../core/job";
import type { StoredBody } from "../core/stored-body";
import { RESOLVE_HEARTBEATS } from "../heartbeats/sql";
import type { IncidentRules } from "../incidents/paging";
import { linkSegmentAlerts, MOVE_INCIDENT_ABOVE_GREEN, upsertSegmentIncident } from "../incidents/sql";
import { PRUNE_TIMELINE, SYNC_TIMELINE } from "../incidents/timeline-sql";
import { JOB_SEARCH, UPSERT_JOB } from "../jobs/health-sql";
import type { SourceRecord } from "../sources/model";
import { COUNT_ACCEPTED, FIND_ALERT, INSERT_EVENT } from "./sql";

export interface Delivery {
  source: Pick<SourceRecord, "id" | "name">;
  event: BuildEvent;
  stored: StoredBody;
  receivedAt: string;
  /** Came through the queue rather than the request that received it. */
  deferred: boolean;
  /** The source's noise policy and silences applied to this build, when it is written. */
  incident: IncidentRules;
}

export interface IngestResult {
  alertId: number;
  duplicate: boolean;
  /** The incident timeline entries the delivery wrote: what may owe notifications (src/notify/outbox.ts). */
  timeline: { id: number; type: string }[];
}

interface IngestBatchResult {
  results: IngestResult[];
  /** SQLite's own time for the batch (D1's `meta.duration`, summed over its statements), in ms. */
  sqlMs: number;
}

/** The most statements one delivery takes: the plan's query limit divided by this is a batch's size. */
export const MAX_STATEMENTS_PER_DELIVERY = 15;

/**
 * The failure-incident statements for an event, built once: a finished build recomputes the segment it
 * falls in; a green one first lets an incident above it move up, then recomputes the segments below
 * and above it (one link statement for both) and prunes the timeline entries of builds it moved.
 */
const INCIDENT_SQL = {
  finished: [upsertSegmentIncident("below"), linkSegmentAlerts(["below"])],
  green: [
    MOVE_INCIDENT_ABOVE_GREEN,
    upsertSegmentIncident("below"),
    upsertSegmentIncident("at"),
    linkSegmentAlerts(["below", "at"]),
    PRUNE_TIMELINE,
  ],
};

/** Recoveries: a green build resolves; a green FINALIZED takes over; another finished event revises. */
function recoverySql(event: BuildEvent): string[] {
  if (event.kind === "RESOLVE") return [RESOLVE_RECOVERED, REATTRIBUTE_RECOVERIES];
  return isFinished(event.phase) ? [RESOLVE_RECOVERED, REVISE_RECOVERIES] : [RESOLVE_RECOVERED];
}

function incidentSql(event: BuildEvent): string[] {
  if (!isFinished(event.phase)) return [];
  return event.kind === "RESOLVE" ? INCIDENT_SQL.green : INCIDENT_SQL.finished;
}

const json = (value: unknown) => (value == null ? null : JSON.stringify(value));

/**
 * The statements for one delivery, in batch order; the first is the event, the second to last its
 * timeline entries, the last its alert id.
 */
function deliveryStatements(db: D1Database, delivery: Delivery, uid: string): D1PreparedStatement[] {
  const { source, event, stored } = delivery;
  const values = {
    uid,
    source_id: source.id,
    source_name: source.name,
    job: event.job,
    job_display_name: event.jobDisplayName,
    build_number: event.buildNumber,
    build_url: event.buildUrl,
    phase: event.phase,
    phase_rank: event.phaseRank,
    status: event.status,
    kind: event.kind,
    priority: event.priority,
    title: event.title,
    branch: event.branch,
    commit: event.commit,
    received_at: delivery.receivedAt,
    state: event.state,
    finished_ts: event.finishedTs,
    duration_ms: event.durationMs,
    culprits: json(event.culprits),
    changes_count: event.changesCount,
    test_summary: json(event.testSummary),
    summary: event.summary,
    build_timestamp: event.timestamp,
    body: stored.body,
    body_truncated: stored.truncated ? 1 : 0,
    body_format: stored.format,
    deferred: delivery.deferred ? 1 : 0,
    incident_priority: delivery.incident.priority,
    min_failures: delivery.incident.minFailures,
    silenced: delivery.incident.silenced ? 1 : 0,
    job_path: jobLabel(event.job),
  };
  const statement = (sql: string) => DELIVERY_PARAMS.bind(db, sql, values);
  return [
    statement(INSERT_EVENT),
    statement(UPSERT_ALERT),
    ...recoverySql(event).map(statement),
    statement(UPSERT_JOB),
    statement(JOB_SEARCH),
    statement(RESOLVE_HEARTBEATS),
    statement(COUNT_ACCEPTED),
    ...incidentSql(event).map(statement),
    statement(SYNC_TIMELINE),
    statement(FIND_ALERT),
  ];
}

/** Stores `deliveries` in one batch (one transaction: all or none) and returns each one's alert. */
export async function writeDeliveries(db: D1Database, deliveries: Delivery[]): Promise<IngestBatchResult> {
  const groups = deliveries.map((delivery) => deliveryStatements(db, delivery, crypto.randomUUID()));
  const outcomes = await db.batch<{ id?: number; alert_id?: number; type?: string }>(groups.flat());
  let offset = 0;
  const results = groups.map((statements) => {
    const inserted = outcomes[offset]?.results.length ?? 0;
    const timeline = (outcomes[offset + statements.length - 2]?.results ?? []) as {
      id: number;
      type: string;
    }[];
    const alertId = outcomes[offset + statements.length - 1]?.results[0]?.alert_id;
    offset += statements.length;
    if (alertId === undefined) throw new Error("alert missing after ingest");
    return { alertId, duplicate: inserted === 0, timeline };
  });
  const sqlMs = outcomes.reduce((sum, outcome) => sum + (outcome.meta?.duration ?? 0), 0);
  return { results, sqlMs };
}

/** Stores one delivery: exactly one D1 round trip, new or duplicate. */
export async function writeDelivery(
  db: D1Database,
  delivery: Delivery,
): Promise<IngestResult & { sqlMs: number }> {
  const { results, sqlMs } = await writeDeliveries(db, [delivery]);
  return { ...(results[0] as IngestResult), sqlMs };
}
