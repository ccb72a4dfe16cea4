/**
 * Reading alerts and their timelines. Listings are newest first by alert id (insertion order), paged
 * by keyset (`id < cursor`), and every filter has an index (see the migrations).
 */
import { keysetPage } from "./keyset";

export const FILTER_COLUMNS = ["job", "kind", "priority", "phase", "source_id", "state"] as const;

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
  state: string;
  resolved_at: string | null;
  resolved_by_build: number | null;
  flapping: number;
  title: string;
  summary: string | null;
  branch: string | null;
  commit_sha: string | null;
  culprits: string | null;
  changes_count: number | null;
  test_summary: string | null;
  duration_ms: number | null;
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
  body_format: "json" | "xml";
  body_truncated: number;
}

const ALERT_COLUMNS = `id, source_id, source_name, job, job_display_name, build_number, build_url, phase,
  status, kind, priority, state, resolved_at, resolved_by_build, flapping, title, summary, branch,
  commit_sha, culprits, changes_count, test_summary, duration_ms, event_count, first_seen_at, last_seen_at`;

/**
 * Up to `limit` alerts older than `before` (an alert id), newest first. Without a `state` filter,
 * quiet builds (which never alerted) are left out.
 */
export async function listAlerts(
  db: D1Database,
  filters: AlertFilters,
  limit: number,
  before?: number,
  after?: number,
): Promise<AlertRow[]> {
  // A job has few alerts: its index beats any low-cardinality one the planner might pick instead.
  const from = filters.job !== undefined ? "alerts INDEXED BY alerts_by_job" : "alerts";
  const conditions = filters.state === undefined ? ["state != 'quiet'"] : [];
  return keysetPage<AlertRow>(
    db,
    { select: ALERT_COLUMNS, from, filters, columns: FILTER_COLUMNS, conditions },
    limit,
    before,
    after,
  );
}

/** The current rows of the given alerts (at most 100 ids), newest first. */
export async function alertsByIds(db: D1Database, ids: number[]): Promise<AlertRow[]> {
  if (ids.length === 0) return [];
  const list = ids.slice(0, 100);
  const { results } = await db
    .prepare(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id DESC`,
    )
    .bind(JSON.stringify(list))
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
      `SELECT id, phase, status, kind, priority, build_timestamp, received_at, body, body_format, body_truncated
       FROM events WHERE source_id = ?1 AND job = ?2 AND build_number = ?3 ORDER BY id`,
    )
    .bind(alert.source_id, alert.job, alert.build_number)
    .all<EventRow>();
  return { alert, events: results };
}
