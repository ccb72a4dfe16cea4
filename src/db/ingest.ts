/**
 * Storing one delivery: four or five statements in one D1 batch (one transaction) that append the
 * event to the timeline, fold it into its build's alert (returning its id), resolve what it
 * recovers and recompute the job's health (SQL in ./ingest-sql.ts). A duplicate writes nothing, so
 * its alert id takes one more (read-only) query. Concurrent deliveries share a batch
 * through group commit (./group-commit.ts).
 *
 * - Idempotent: the events table is unique on (source, job, build, phase, build.timestamp). The event
 *   is inserted with a fresh `event_uid`; everything else acts only when a row with that uid exists,
 *   i.e. when this delivery was new.
 * - Order-safe: the alert takes an event's state only when its phase rank is at least the stored
 *   one, so a late STARTED never overwrites FINALIZED. D1 runs batches one at a time, so concurrent
 *   deliveries of one build serialise and no update is lost.
 */
import type { BuildEvent } from "../domain/build-event";
import type { StoredBody } from "../domain/stored-body";
import type { SourceRecord } from "../sources/record";
import { GroupCommit } from "./group-commit";
import {
  FIND_ALERT,
  INSERT_EVENT,
  REATTRIBUTE_RECOVERIES,
  RESOLVE_RECOVERED,
  UPSERT_ALERT,
  UPSERT_JOB,
} from "./ingest-sql";

export interface Delivery {
  source: Pick<SourceRecord, "id" | "name">;
  event: BuildEvent;
  stored: StoredBody;
  receivedAt: string;
}

export interface IngestResult {
  alertId: number;
  duplicate: boolean;
}

const json = (value: unknown) => (value == null ? null : JSON.stringify(value));

/** The statements for one delivery, in batch order. */
function deliveryStatements(db: D1Database, delivery: Delivery, uid: string): D1PreparedStatement[] {
  const { source, event, stored, receivedAt } = delivery;
  const key = [source.id, event.job, event.buildNumber] as const;
  return [
    db
      .prepare(INSERT_EVENT)
      .bind(
        uid,
        ...key,
        event.phase,
        event.timestamp,
        event.status,
        event.kind,
        event.priority,
        receivedAt,
        stored.body,
        stored.truncated ? 1 : 0,
        stored.format,
      ),
    db
      .prepare(UPSERT_ALERT)
      .bind(
        uid,
        source.id,
        source.name,
        event.job,
        event.jobDisplayName,
        event.buildNumber,
        event.buildUrl,
        event.phase,
        event.phaseRank,
        event.status,
        event.kind,
        event.priority,
        event.title,
        event.branch,
        event.commit,
        receivedAt,
        event.state,
        event.finishedTs,
        event.durationMs,
        json(event.culprits),
        event.changesCount,
        json(event.testSummary),
        event.summary,
      ),
    db.prepare(RESOLVE_RECOVERED).bind(uid, source.id, event.job, receivedAt),
    ...(event.kind === "RESOLVE"
      ? [
          db
            .prepare(REATTRIBUTE_RECOVERIES)
            .bind(uid, source.id, event.job, event.buildNumber, event.finishedTs),
        ]
      : []),
    db.prepare(UPSERT_JOB).bind(uid, source.id, source.name, event.job, event.jobDisplayName, receivedAt),
  ];
}

/** Shared by every request this isolate serves: concurrent deliveries commit together. */
const commits = new GroupCommit();

/** Stores one delivery; `alone` keeps it out of group commit (see ./group-commit.ts). */
export async function recordDelivery(
  db: D1Database,
  delivery: Delivery,
  options: { alone?: boolean } = {},
): Promise<IngestResult> {
  const statements = deliveryStatements(db, delivery, crypto.randomUUID());
  const results = await commits.batch<{ alert_id: number }>(db, statements, options);
  // The upsert returns the alert only when this delivery was new.
  const stored = results[1]?.results[0];
  if (stored) return { alertId: stored.alert_id, duplicate: false };
  const { source, event } = delivery;
  const found = await db
    .prepare(FIND_ALERT)
    .bind(source.id, event.job, event.buildNumber)
    .first<{ alert_id: number }>();
  if (!found) throw new Error("alert missing after ingest");
  return { alertId: found.alert_id, duplicate: true };
}
