/**
 * Cursors of the cron jobs that work through a table a slice per run (migrations/0007 `cron_cursors`):
 * the last id a run got to, so the next run goes on from there rather than starting over and never
 * reaching the rows past what one run can do. 0 (or no row) means from the start.
 */

/** Where the job `name` stopped: the last id it got to, or 0. */
export async function readCursor(db: D1Database, name: string): Promise<number> {
  const row = await db
    .prepare("SELECT after_id FROM cron_cursors WHERE name = ?1")
    .bind(name)
    .first<{ after_id: number }>();
  return row?.after_id ?? 0;
}

/** The statement that moves the job's cursor to `after` (0: from the start next time). */
export function writeCursor(db: D1Database, name: string, after: number, at: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO cron_cursors (name, after_id, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (name) DO UPDATE SET after_id = excluded.after_id, updated_at = excluded.updated_at`,
    )
    .bind(name, after, at);
}
