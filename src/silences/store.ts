/**
 * Silences in D1 (migrations/0005 `silences`) as models (src/silences/rules.ts), decoded once here.
 * Times are stored as `toISOString()` text, so comparing them as text in SQL is comparing instants.
 * Listings are newest first by id, keyset-paged; which are in force is found through `silences_by_end`.
 */
import type { Actor } from "../audit/actor";
import { type AuditEntry, auditStatement, CHANGED } from "../audit/entry";
import type { Recurrence } from "./recurrence";
import type { Silence, SilenceStatus } from "./rules";
import type { NewSilence } from "./schema";

interface SilenceRow {
  id: number;
  source_id: string | null;
  job_glob: string | null;
  branch_glob: string | null;
  starts_at: string;
  ends_at: string;
  recurrence: string | null;
  comment: string;
  created_by: string | null;
  created_at: string;
  ended_at: string | null;
}

const COLUMNS =
  "id, source_id, job_glob, branch_glob, starts_at, ends_at, recurrence, comment, created_by, created_at, ended_at";

const rowToSilence = (row: SilenceRow): Silence => ({
  id: row.id,
  match: { source_id: row.source_id, job: row.job_glob, branch: row.branch_glob },
  starts_at: row.starts_at,
  ends_at: row.ends_at,
  recurrence: row.recurrence === null ? null : (JSON.parse(row.recurrence) as Recurrence),
  comment: row.comment,
  created_by: row.created_by,
  created_at: row.created_at,
  ended_at: row.ended_at,
});

/** When a silence stops, in SQL: ends_at, or ended_at when DELETE came first (src/silences/rules.ts endOf). */
const END = "coalesce(min(ended_at, ends_at), ends_at)";

/** Each status as a condition on `now` (a placeholder), as silenceStatus (src/silences/rules.ts) decides it. */
const STATUS_CONDITIONS: Record<SilenceStatus, (now: string) => string> = {
  active: (now) => `starts_at <= ${now} AND ${END} > ${now}`,
  upcoming: (now) => `starts_at > ${now} AND ${END} > ${now}`,
  ended: (now) => `${END} <= ${now}`,
};

/**
 * The most silences that may be in force (active or upcoming) at once. Ingest matches a new incident
 * against every one that may apply to its source, and the cron every open incident against every
 * active one, so their number is part of what a delivery costs (docs/performance.md "Globs"). Ended
 * ones do not count: they pile up and are never matched.
 */
export const MAX_SILENCES_IN_FORCE = 50;

/**
 * Stores a new silence, or answers "too-many" (storing nothing) when MAX_SILENCES_IN_FORCE are in
 * force already. The count is in the INSERT's own statement, so two creations at once cannot both pass it.
 */
export async function insertSilence(
  db: D1Database,
  silence: NewSilence,
  now: Date,
  actor: Actor,
): Promise<Silence | "too-many"> {
  const audit: AuditEntry = {
    actor,
    action: "silence.created",
    target: "silence",
    details: { match: silence.match, starts_at: silence.starts_at, ends_at: silence.ends_at },
  };
  const [inserted] = await db.batch<SilenceRow>([
    db
      .prepare(
        `INSERT INTO silences
         (source_id, job_glob, branch_glob, starts_at, ends_at, recurrence, comment, created_by, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
       WHERE (SELECT count(*) FROM silences WHERE ends_at > ?9 AND (ended_at IS NULL OR ended_at > ?9)) < ?10
       RETURNING ${COLUMNS}`,
      )
      .bind(
        silence.match.source_id ?? null,
        silence.match.job ?? null,
        silence.match.branch ?? null,
        silence.starts_at,
        silence.ends_at,
        silence.recurrence ? JSON.stringify(silence.recurrence) : null,
        silence.comment,
        silence.created_by ?? null,
        now.toISOString(),
        MAX_SILENCES_IN_FORCE,
      ),
    auditStatement(db, audit, now.toISOString(), { when: CHANGED, insertedKind: "silence" }),
  ]);
  const row = inserted?.results[0];
  return row ? rowToSilence(row) : "too-many";
}

export async function getSilence(db: D1Database, id: number): Promise<Silence | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM silences WHERE id = ?1`).bind(id).first<SilenceRow>();
  return row ? rowToSilence(row) : null;
}

/** Up to `limit` silences older than `before` (an id), newest first, of one status or all. */
export async function listSilences(
  db: D1Database,
  status: SilenceStatus | undefined,
  now: Date,
  limit: number,
  before?: number,
): Promise<Silence[]> {
  const params: (string | number)[] = [];
  const bind = (value: string | number) => `?${params.push(value)}`;
  const where: string[] = [];
  if (status) where.push(STATUS_CONDITIONS[status](bind(now.toISOString())));
  if (before !== undefined) where.push(`id < ${bind(before)}`);
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM silences ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY id DESC LIMIT ${bind(limit)}`,
    )
    .bind(...params)
    .all<SilenceRow>();
  return results.map(rowToSilence);
}

/**
 * Ends a silence now (idempotent: one already ended, by DELETE or by its ends_at, keeps its end).
 * The silence as it is then, or null when there is none. One round trip.
 */
export async function endSilence(
  db: D1Database,
  id: number,
  now: Date,
  actor: Actor,
): Promise<Silence | null> {
  const at = now.toISOString();
  const audit: AuditEntry = {
    actor,
    action: "silence.ended",
    target: `silence:${id}`,
    details: { ended_at: at },
  };
  const [, , read] = await db.batch<SilenceRow>([
    db
      .prepare("UPDATE silences SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL AND ends_at > ?2")
      .bind(id, at),
    // An ended one (by DELETE or by its ends_at) is left as it is, and nothing is recorded.
    auditStatement(db, audit, at, { when: CHANGED }),
    db.prepare(`SELECT ${COLUMNS} FROM silences WHERE id = ?1`).bind(id),
  ]);
  const row = read?.results[0];
  return row ? rowToSilence(row) : null;
}

/**
 * The silences not ended at `now`: only those that have begun (`begun`), or those that may apply to
 * one source (its own and those for every source), upcoming ones included.
 */
export async function silencesInForce(
  db: D1Database,
  now: Date,
  scope: { begun: true } | { sourceId: string },
): Promise<Silence[]> {
  const statement =
    "begun" in scope
      ? db
          .prepare(`SELECT ${COLUMNS} FROM silences
            WHERE ends_at > ?1 AND (ended_at IS NULL OR ended_at > ?1) AND starts_at <= ?1
            ORDER BY id`)
          .bind(now.toISOString())
      : db
          .prepare(`SELECT ${COLUMNS} FROM silences
            WHERE ends_at > ?1 AND (ended_at IS NULL OR ended_at > ?1)
              AND (source_id = ?2 OR source_id IS NULL)
            ORDER BY id`)
          .bind(now.toISOString(), scope.sourceId);
  const { results } = await statement.all<SilenceRow>();
  return results.map(rowToSilence);
}
