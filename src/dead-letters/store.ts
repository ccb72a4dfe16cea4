/**
 * Dead letters in D1 (migrations/0004), as models: `rowToDeadLetter` decodes the stored body once.
 * Newest first by id, keyset-paged like alerts; only the newest `kept` rows are kept.
 */
import type { Actor } from "../audit/actor";
import { type AuditEntry, auditStatement, CHANGED } from "../audit/entry";
import { keysetPage } from "../platform/db/keyset";
import { wholeNumber } from "../platform/vars";

const FILTER_COLUMNS = ["queue"] as const;

export type DeadLetterFilters = Partial<Record<(typeof FILTER_COLUMNS)[number], string>>;

/** A dead letter as stored. */
interface DeadLetterRow {
  id: number;
  queue: string;
  body: string;
  reason: string;
  attempts: number | null;
  dead_at: string;
}

/** A dead letter: the message body as the value it was (stored as JSON). */
export type DeadLetter = Omit<DeadLetterRow, "body"> & { body: unknown };

const rowToDeadLetter = ({ body, ...row }: DeadLetterRow): DeadLetter => ({
  ...row,
  body: JSON.parse(body) as unknown,
});

/** One message to keep: `messageId` is the dead-letter queue's, so a redelivered message is stored once. */
export interface NewDeadLetter {
  messageId: string;
  queue: string;
  body: unknown;
  reason: string;
  attempts: number | null;
  deadAt: string;
}

/** A body as JSON text; one JSON cannot express is kept as its string form (replaying it dead-letters again). */
function jsonText(body: unknown): string {
  try {
    return JSON.stringify(body) ?? "null";
  } catch {
    return JSON.stringify(String(body));
  }
}

/** Stores `letters` and trims the table to the newest `kept`, in one batch (letters.length + 1 statements). */
export async function storeDeadLetters(
  db: D1Database,
  letters: NewDeadLetter[],
  kept: number,
): Promise<void> {
  await db.batch([
    ...letters.map((letter) =>
      db
        .prepare(
          `INSERT INTO dead_letters (message_id, queue, body, reason, attempts, dead_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (message_id) DO NOTHING`,
        )
        .bind(
          letter.messageId,
          letter.queue,
          jsonText(letter.body),
          letter.reason,
          letter.attempts,
          letter.deadAt,
        ),
    ),
    db
      .prepare(
        `DELETE FROM dead_letters
         WHERE id <= (SELECT id FROM dead_letters ORDER BY id DESC LIMIT 1 OFFSET ?1)`,
      )
      .bind(kept),
  ]);
}

const COLUMNS = "id, queue, body, reason, attempts, dead_at";

/** Up to `limit` dead letters older than `before` (an id), newest first. */
export async function listDeadLetters(
  db: D1Database,
  filters: DeadLetterFilters,
  limit: number,
  before?: number,
): Promise<DeadLetter[]> {
  const rows = await keysetPage<DeadLetterRow>(
    db,
    { select: COLUMNS, from: "dead_letters", filters, columns: FILTER_COLUMNS },
    limit,
    before,
  );
  return rows.map(rowToDeadLetter);
}

export async function getDeadLetter(db: D1Database, id: number): Promise<DeadLetter | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM dead_letters WHERE id = ?1`)
    .bind(id)
    .first<DeadLetterRow>();
  return row ? rowToDeadLetter(row) : null;
}

/** Deletes one (replayed or discarded), recording `audit` when it was there; whether it was. */
export async function deleteDeadLetter(db: D1Database, id: number, audit: AuditEntry): Promise<boolean> {
  const [result] = await db.batch([
    db.prepare("DELETE FROM dead_letters WHERE id = ?1").bind(id),
    auditStatement(db, audit, undefined, { when: CHANGED }),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}

/** Discards one for good as `actor`; whether it was there. */
export const discardDeadLetter = (db: D1Database, id: number, actor: Actor) =>
  deleteDeadLetter(db, id, { actor, action: "dead_letter.discarded", target: `dead_letter:${id}` });

/** How many are kept (at most DEAD_LETTERS_KEPT, so a bounded count). */
export async function countDeadLetters(db: D1Database): Promise<number> {
  return (await db.prepare("SELECT count(*) AS n FROM dead_letters").first<number>("n")) ?? 0;
}

/** Dead letters kept in D1, newest first. */
export const deadLettersKept = (env: Pick<Env, "DEAD_LETTERS_KEPT">) =>
  wholeNumber(env.DEAD_LETTERS_KEPT, 1000);
