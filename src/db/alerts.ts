/**
 * Reading alerts and their timelines. Listings are newest first by alert id (insertion order), paged
 * by keyset (`id < cursor`), and every filter has an index (see the migrations).
 */

export const FILTER_COLUMNS = ["job", "kind", "priority", "phase", "source_id"] as const;

export type AlertFilters = Partial<Record<(typeof FILTER_COLUMNS)[number], string>>;

export interface AlertRow {
  id: number;
  source_id: string;
  source_name: string;
  job: string;
  job_display_name: string;
  build_number: number;
  build_url: string | null;
  phase: string;
  status: string | null;
  kind: string;
  priority: string;
  title: string;
  branch: string | null;
  commit_sha: string | null;
  event_count: number;
  first_seen_at: string;
  last_seen_at: string;
}

export interface EventRow {
  id: number;
  phase: string;
  status: string | null;
  kind: string;
  priority: string;
  build_timestamp: number;
  received_at: string;
  body: string;
  body_truncated: number;
}

const ALERT_COLUMNS = `id, source_id, source_name, job, job_display_name, build_number, build_url, phase,
  status, kind, priority, title, branch, commit_sha, event_count, first_seen_at, last_seen_at`;

/** Up to `limit` alerts older than `before` (an alert id), newest first. */
export async function listAlerts(
  db: D1Database,
  filters: AlertFilters,
  limit: number,
  before?: number,
): Promise<AlertRow[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  for (const column of FILTER_COLUMNS) {
    const value = filters[column];
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = ?${params.length}`);
  }
  if (before !== undefined) {
    params.push(before);
    where.push(`id < ?${params.length}`);
  }
  params.push(limit);
  const sql = `SELECT ${ALERT_COLUMNS} FROM alerts
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY id DESC LIMIT ?${params.length}`;
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<AlertRow>();
  return results;
}

/** One alert and its timeline (oldest first), or null. */
export async function getAlert(
  db: D1Database,
  id: number,
): Promise<{ alert: AlertRow; events: EventRow[] } | null> {
  const alert = await db
    .prepare(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ?1`)
    .bind(id)
    .first<AlertRow>();
  if (!alert) return null;
  const { results } = await db
    .prepare(
      `SELECT id, phase, status, kind, priority, build_timestamp, received_at, body, body_truncated
       FROM events WHERE source_id = ?1 AND job = ?2 AND build_number = ?3 ORDER BY id`,
    )
    .bind(alert.source_id, alert.job, alert.build_number)
    .all<EventRow>();
  return { alert, events: results };
}
