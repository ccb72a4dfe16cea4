/**
 * Storing deliveries in D1, all of a call's statements in one D1 batch: one round trip and one
 * transaction. Every statement is set-based over the call's new deliveries (../core/delivery-params.ts),
 * so the same SQL stores one delivery (the webhook's synchronous path, bound as parameters) and a whole
 * queue batch (staged in `ingest_batch`), and a queue batch costs the same number of statements however
 * many deliveries it holds.
 *
 * - Idempotent: the events table is unique on (source, job, build, phase, build.timestamp). The event
 *   is inserted with a fresh `event_uid`; everything else acts only on the deliveries whose event row
 *   with that uid exists, i.e. that were new.
 * - Order-safe: the alert takes an event's state only when its phase rank is at least the stored
 *   one, so a late STARTED never overwrites FINALIZED; a batch folds its events in the order received.
 *   Recoveries, job health and incidents are recomputed from the alerts after all of a call's events
 *   were folded, so grouping changes nothing either. D1 runs batches one at a time, so concurrent
 *   writes of one build serialise and no update is lost.
 * - Each call is issued by the request (or queue invocation) that owns the deliveries: no batch is
 *   ever shared between requests (workerd ties I/O to the request that started it).
 */

import { recoverAlerts } from "../alerts/recovery-sql";
import { upsertAlerts } from "../alerts/sql";
import { isFinished } from "../core/build-context";
import type { BuildEvent } from "../core/build-event";
import {
  DELIVERY_COLUMNS,
  DELIVERY_PARAMS,
  type Deliveries,
  type DeliveryValues,
} from "../core/delivery-params";
import { jobLabel } from "../core/job";
import type { StoredBody } from "../core/stored-body";
import { recordTestFailures } from "../flaky/sql";
import { resolveHeartbeats } from "../heartbeats/sql";
import type { IncidentRules } from "../incidents/paging";
import { linkSegmentAlerts, moveIncidentsAboveGreens, upsertSegmentIncidents } from "../incidents/sql";
import { pruneTimeline, syncTimeline } from "../incidents/timeline-sql";
import { addJobSearch, upsertJobs } from "../jobs/health-sql";
import { type JsonChunk, jsonChunks } from "../platform/db/json-chunks";
import type { SourceRecord } from "../sources/model";
import {
  CLEAR_STAGED,
  countAccepted,
  FIND_ALERT,
  INSERT_EVENT,
  INSERT_STAGED_EVENTS,
  STAGE_DELIVERIES,
} from "./sql";

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
  /** Per delivery, in the order given: whether it had been stored before. */
  duplicates: boolean[];
  /** The incident timeline entries the batch wrote: what may owe notifications (src/notify/outbox.ts). */
  timeline: { id: number; type: string }[];
  /** SQLite's own time for the batch (D1's `meta.duration`, summed over its statements), in ms. */
  sqlMs: number;
}

/** The set-based statements after the events' insert, by name, for either source of deliveries. */
export function statementsFor(from: Deliveries) {
  return {
    alerts: upsertAlerts(from),
    recovered: recoverAlerts(from),
    jobs: upsertJobs(from),
    jobSearch: addJobSearch(from),
    heartbeats: resolveHeartbeats(from),
    counted: countAccepted(from),
    testFailures: recordTestFailures(from),
    moved: moveIncidentsAboveGreens(from),
    incidents: upsertSegmentIncidents(from),
    linked: linkSegmentAlerts(from),
    pruned: pruneTimeline(from),
    timeline: syncTimeline(from),
  };
}
/** Built once per isolate: plain strings. */
const ONE = statementsFor("one");
const BATCH = statementsFor("batch");

/**
 * The synchronous path's statements for `event`, in batch order: nine for a queued or running build
 * (it cannot page: no test failures or incident statements), twelve for another finished one, fourteen
 * for a green one.
 * The first is the event, the second to last its timeline entries, the last its alert id.
 */
function oneDeliverySql(event: BuildEvent): string[] {
  const finished = isFinished(event.phase);
  const green = event.kind === "RESOLVE";
  return [
    INSERT_EVENT,
    ONE.alerts,
    ONE.recovered,
    ONE.jobs,
    ONE.jobSearch,
    ONE.heartbeats,
    ONE.counted,
    ...(finished ? [ONE.testFailures] : []),
    ...(green ? [ONE.moved] : []),
    ...(finished ? [ONE.incidents, ONE.linked] : []),
    ...(green ? [ONE.pruned] : []),
    ONE.timeline,
    FIND_ALERT,
  ];
}

/**
 * A queue batch's statements after its staging: the same for every batch, whatever its size and mix
 * (test/ingest/batch-statements.test.ts holds it to that). The first is the events, the second to
 * last the timeline entries.
 */
const BATCH_SQL = [
  INSERT_STAGED_EVENTS,
  BATCH.alerts,
  BATCH.recovered,
  BATCH.jobs,
  BATCH.jobSearch,
  BATCH.heartbeats,
  BATCH.counted,
  BATCH.testFailures,
  BATCH.moved,
  BATCH.incidents,
  BATCH.linked,
  BATCH.pruned,
  BATCH.timeline,
  CLEAR_STAGED,
];

/** Statements a queue batch of deliveries takes besides its staging (one per MAX_CHUNK_CHARS of their values). */
export const BATCH_STATEMENTS = BATCH_SQL.length;

const json = (value: unknown) => (value == null ? null : JSON.stringify(value));

/** A delivery's values by name (../core/delivery-params.ts), with the event's fresh uid. */
function valuesOf(delivery: Delivery, uid: string): DeliveryValues {
  const { source, event, stored } = delivery;
  return {
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
    deploy: delivery.incident.deploy ? 1 : 0,
    job_path: jobLabel(event.job),
    flaky_mode: delivery.incident.flaky,
  };
}

const sqlMsOf = (outcomes: D1Result[]) =>
  outcomes.reduce((sum, outcome) => sum + (outcome.meta?.duration ?? 0), 0);

/** A queue batch ready to write: its deliveries' values, staged in chunks, and the statements it takes. */
export interface BatchPlan {
  uids: string[];
  chunks: JsonChunk[];
  /** D1 queries the write takes: {@link BATCH_STATEMENTS} and one per chunk staged. */
  statements: number;
}

export function planBatch(deliveries: Delivery[]): BatchPlan {
  const rows = deliveries.map((delivery) => {
    const values = valuesOf(delivery, crypto.randomUUID());
    return DELIVERY_COLUMNS.map((column) => values[column] ?? null);
  });
  const chunks = jsonChunks(rows);
  return { uids: rows.map((row) => row[0] as string), chunks, statements: chunks.length + BATCH_STATEMENTS };
}

/**
 * Writes a planned queue batch in one D1 batch (one transaction: all or none), set-based whatever
 * the number of its deliveries.
 */
export async function writeBatch(db: D1Database, plan: BatchPlan): Promise<IngestBatchResult> {
  const outcomes = await db.batch<{ uid?: string; id?: number; type?: string }>([
    ...plan.chunks.map(({ json, first }) => db.prepare(STAGE_DELIVERIES).bind(json, first)),
    ...BATCH_SQL.map((sql) => db.prepare(sql)),
  ]);
  const fresh = new Set((outcomes[plan.chunks.length]?.results ?? []).map((row) => row.uid));
  return {
    duplicates: plan.uids.map((uid) => !fresh.has(uid)),
    timeline: (outcomes[outcomes.length - 2]?.results ?? []) as IngestBatchResult["timeline"],
    sqlMs: sqlMsOf(outcomes),
  };
}

/** Stores `deliveries` as one queue batch. */
export const writeDeliveries = (db: D1Database, deliveries: Delivery[]) =>
  writeBatch(db, planBatch(deliveries));

/** Stores one delivery: exactly one D1 round trip, new or duplicate. */
export async function writeDelivery(
  db: D1Database,
  delivery: Delivery,
): Promise<IngestResult & { sqlMs: number }> {
  const values = valuesOf(delivery, crypto.randomUUID());
  const statements = oneDeliverySql(delivery.event).map((sql) => DELIVERY_PARAMS.bind(db, sql, values));
  const outcomes = await db.batch<{ id?: number; alert_id?: number; type?: string }>(statements);
  const alertId = outcomes[outcomes.length - 1]?.results[0]?.alert_id;
  if (alertId === undefined) throw new Error("alert missing after ingest");
  return {
    alertId,
    duplicate: (outcomes[0]?.results.length ?? 0) === 0,
    timeline: (outcomes[outcomes.length - 2]?.results ?? []) as IngestResult["timeline"],
    sqlMs: sqlMsOf(outcomes),
  };
}
