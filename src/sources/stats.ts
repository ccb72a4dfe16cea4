/**
 * Per-source delivery counters (migrations/0003): accepted and deferred are counted by the ingest
 * batch itself (../ingest/sql.ts); rejections are added here, a source's pending counts in one batch.
 */

export interface LastRejection {
  at: string;
  status: number;
  problem: string;
}

export interface SourceStats {
  accepted: number;
  deferred: number;
  rejected: Record<string, number>;
  last_rejection: LastRejection | null;
}

export const NO_STATS: SourceStats = { accepted: 0, deferred: 0, rejected: {}, last_rejection: null };

/** Adds `counts` (by problem slug) to a source's rejections and records the last one. */
export async function addRejections(
  db: D1Database,
  sourceId: string,
  counts: Record<string, number>,
  last: LastRejection,
): Promise<void> {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  await db.batch([
    ...Object.entries(counts).map(([problem, n]) =>
      db
        .prepare(
          `INSERT INTO source_rejections (source_id, problem, count) VALUES (?1, ?2, ?3)
           ON CONFLICT (source_id, problem) DO UPDATE SET count = count + excluded.count`,
        )
        .bind(sourceId, problem, n),
    ),
    db
      .prepare(
        `INSERT INTO source_stats (source_id, rejected, last_rejection_at, last_rejection_status,
                                   last_rejection_problem, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?3)
         ON CONFLICT (source_id) DO UPDATE SET
           rejected = rejected + excluded.rejected,
           last_rejection_at = max(coalesce(last_rejection_at, ''), excluded.last_rejection_at),
           last_rejection_status = CASE WHEN excluded.last_rejection_at >= coalesce(last_rejection_at, '')
             THEN excluded.last_rejection_status ELSE last_rejection_status END,
           last_rejection_problem = CASE WHEN excluded.last_rejection_at >= coalesce(last_rejection_at, '')
             THEN excluded.last_rejection_problem ELSE last_rejection_problem END,
           updated_at = excluded.updated_at`,
      )
      .bind(sourceId, total, last.at, last.status, last.problem),
  ]);
}

interface StatsRow {
  source_id: string;
  accepted: number;
  deferred: number;
  last_rejection_at: string | null;
  last_rejection_status: number | null;
  last_rejection_problem: string | null;
}

/** Every source's counters (sources without any are absent: use NO_STATS). */
export async function statsBySource(db: D1Database): Promise<Map<string, SourceStats>> {
  const [stats, rejections] = await db.batch([
    db.prepare(
      `SELECT source_id, accepted, deferred, last_rejection_at, last_rejection_status,
              last_rejection_problem FROM source_stats`,
    ),
    db.prepare("SELECT source_id, problem, count FROM source_rejections"),
  ]);
  const bySource = new Map<string, SourceStats>();
  for (const row of (stats?.results ?? []) as StatsRow[]) {
    bySource.set(row.source_id, {
      accepted: row.accepted,
      deferred: row.deferred,
      rejected: {},
      last_rejection:
        row.last_rejection_at && row.last_rejection_status !== null && row.last_rejection_problem
          ? {
              at: row.last_rejection_at,
              status: row.last_rejection_status,
              problem: row.last_rejection_problem,
            }
          : null,
    });
  }
  for (const row of (rejections?.results ?? []) as { source_id: string; problem: string; count: number }[]) {
    const entry = bySource.get(row.source_id);
    if (entry) entry.rejected[row.problem] = row.count;
  }
  return bySource;
}
