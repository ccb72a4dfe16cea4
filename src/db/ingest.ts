/**
 * Storing one delivery: three statements in one D1 batch (one transaction) that append the event to
 * the timeline, fold it into its build's alert, and read back the alert id. Concurrent deliveries
 * share a batch through group commit (./group-commit.ts).
 *
 * - Idempotent: the events table is unique on (source, job, build, phase, build.timestamp). The event
 *   is inserted with a fresh `event_uid`; the alert is only touched when a row with that uid exists,
 *   i.e. when this delivery was new.
 * - Order-safe: the alert takes an event's state only when its phase rank is at least the stored
 *   one, so a late STARTED never overwrites FINALIZED. D1 runs batches one at a time, so concurrent
 *   deliveries of one build serialise and no update is lost.
 */
import type { BuildEvent } from "../domain/build-event";
import type { StoredBody } from "../domain/stored-body";
import type { SourceRecord } from "../sources/record";
import { GroupCommit } from "./group-commit";

export interface Delivery {
  source: SourceRecord;
  event: BuildEvent;
  stored: StoredBody;
  receivedAt: string;
}

export interface IngestResult {
  alertId: number;
  duplicate: boolean;
}

/** Columns that follow the furthest phase seen (ties: the latest delivery). */
const ADVANCING = ["phase", "phase_rank", "status", "kind", "priority", "title", "job_display_name"];
const advance = (column: string) =>
  `${column} = CASE WHEN excluded.phase_rank >= alerts.phase_rank THEN excluded.${column} ELSE alerts.${column} END`;

const INSERT_EVENT = `
INSERT INTO events (event_uid, source_id, job, build_number, phase, build_timestamp, status, kind,
                    priority, received_at, body, body_truncated)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
ON CONFLICT (source_id, job, build_number, phase, build_timestamp) DO NOTHING`;

const UPSERT_ALERT = `
INSERT INTO alerts (source_id, source_name, job, job_display_name, build_number, build_url, phase,
                    phase_rank, status, kind, priority, title, branch, commit_sha, event_count,
                    first_seen_at, last_seen_at)
SELECT ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?16
WHERE EXISTS (SELECT 1 FROM events WHERE event_uid = ?1)
ON CONFLICT (source_id, job, build_number) DO UPDATE SET
  event_count = alerts.event_count + 1,
  first_seen_at = min(alerts.first_seen_at, excluded.first_seen_at),
  last_seen_at = max(alerts.last_seen_at, excluded.last_seen_at),
  source_name = excluded.source_name,
  build_url = coalesce(excluded.build_url, alerts.build_url),
  branch = coalesce(excluded.branch, alerts.branch),
  commit_sha = coalesce(excluded.commit_sha, alerts.commit_sha),
  ${ADVANCING.map(advance).join(",\n  ")}`;

const READ_BACK = `
SELECT id AS alert_id, EXISTS (SELECT 1 FROM events WHERE event_uid = ?1) AS inserted
FROM alerts WHERE source_id = ?2 AND job = ?3 AND build_number = ?4`;

/** The three statements for one delivery, in batch order. */
export function deliveryStatements(db: D1Database, delivery: Delivery, uid: string): D1PreparedStatement[] {
  const { source, event, stored, receivedAt } = delivery;
  return [
    db
      .prepare(INSERT_EVENT)
      .bind(
        uid,
        source.id,
        event.job,
        event.buildNumber,
        event.phase,
        event.timestamp,
        event.status,
        event.kind,
        event.priority,
        receivedAt,
        stored.body,
        stored.truncated ? 1 : 0,
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
      ),
    db.prepare(READ_BACK).bind(uid, source.id, event.job, event.buildNumber),
  ];
}

/** Shared by every request this isolate serves: concurrent deliveries commit together. */
const commits = new GroupCommit();

export async function recordDelivery(db: D1Database, delivery: Delivery): Promise<IngestResult> {
  const results = await commits.batch<{ alert_id: number; inserted: number }>(
    db,
    deliveryStatements(db, delivery, crypto.randomUUID()),
  );
  const row = results[2]?.results[0];
  if (!row) throw new Error("alert missing after ingest");
  return { alertId: row.alert_id, duplicate: row.inserted === 0 };
}
