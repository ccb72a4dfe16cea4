/**
 * What the admin API's operations routes answer (stats and storage, dead letters), as valibot schemas for the
 * OpenAPI document and test/routes/api-answers.test.ts, like ./schemas.ts.
 */
import * as v from "valibot";
import { Integer, NextCursor, Timestamp } from "./schemas";

/** What the database holds (src/operations/storage.ts). */
export const StorageSchema = v.object({
  database_bytes: v.nullable(Integer),
  rows: v.record(v.string(), Integer),
  oldest_event_at: v.nullable(Timestamp),
  retention_days: v.object({ events: Integer, alerts: Integer }),
  dead_letters_kept: Integer,
});

/** A message a queue gave up on (src/dead-letters/store.ts). */
export const DeadLetterSchema = v.object({
  id: Integer,
  queue: v.string(),
  body: v.pipe(v.unknown(), v.description("The message as it was sent to its queue.")),
  reason: v.string(),
  attempts: v.nullable(Integer),
  dead_at: Timestamp,
});

export const DeadLetterListSchema = v.object({
  dead_letters: v.array(DeadLetterSchema),
  next_cursor: NextCursor,
});

export const ReplayedSchema = v.object({ id: Integer, queue: v.string(), replayed: v.literal(true) });

/** GET /api/stats (src/routes/stats.ts). */
export const StatsSchema = v.object({
  unattributed_rejections: v.object({
    scope: v.literal("isolate"),
    note: v.string(),
    since: Timestamp,
    total: Integer,
    by_problem: v.record(v.string(), Integer),
  }),
  storage: v.nullable(StorageSchema),
});
