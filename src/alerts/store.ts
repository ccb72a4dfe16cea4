/**
 * Reading alerts and their timelines, as models: every stored encoding (0/1 flags, JSON columns, the
 * stored body) is decoded here, once, by `rowToAlert` and `rowToEvent`. Listings are newest first by
 * alert id (insertion order), paged by keyset (`id < cursor`), and every filter has an index (see the
 * migrations).
 */
import type { TestSummary } from "../core/build-context";
import type { AlertState, Kind, Phase, Priority, Status } from "../core/vocabulary";
import { amongJobs, type JobRef } from "../jobs/search";
import { keysetPage } from "../platform/db/keyset";
import { xmlToDocument } from "../platform/xml";

const FILTER_COLUMNS = ["job", "kind", "priority", "phase", "source_id", "state"] as const;

export type AlertFilters = Partial<Record<(typeof FILTER_COLUMNS)[number], string>> & {
  /** Only these jobs (a job search's matches, ../jobs/search.ts). */
  jobs?: JobRef[];
};

/** An alert as stored (see migrations/). */
interface AlertRow {
  id: number;
  source_id: string;
  source_name: string;
  job: string;
  job_display_name: string;
  build_number: number;
  build_url: string | null;
  phase: Phase;
  status: Status | null;
  kind: Kind;
  priority: Priority;
  state: AlertState;
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
  /** Of those, how many the retention purge removed from the timeline. */
  purged_events: number;
  first_seen_at: string;
  last_seen_at: string;
}

/** An event as stored. */
interface EventRow {
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

/** An alert: the row with its flags as booleans, its JSON columns as values, `commit_sha` as `commit`. */
export type Alert = Omit<AlertRow, "flapping" | "culprits" | "test_summary" | "commit_sha"> & {
  flapping: boolean;
  culprits: string[] | null;
  test_summary: TestSummary | null;
  commit: string | null;
};

function rowToAlert({ flapping, culprits, test_summary, commit_sha, ...row }: AlertRow): Alert {
  return {
    ...row,
    commit: commit_sha,
    flapping: flapping === 1,
    culprits: culprits ? (JSON.parse(culprits) as string[]) : null,
    test_summary: test_summary ? (JSON.parse(test_summary) as TestSummary) : null,
  };
}

/** A timeline event: the stored body as received, and `payload`, its document (XML read as JSON). */
export type AlertEvent = Omit<EventRow, "body_truncated"> & { body_truncated: boolean; payload: unknown };

function rowToEvent({ body_truncated, ...row }: EventRow): AlertEvent {
  const payload = row.body_format === "xml" ? xmlToDocument(row.body) : (JSON.parse(row.body) as unknown);
  return { ...row, body_truncated: body_truncated === 1, payload };
}

const ALERT_COLUMNS = `id, source_id, source_name, job, job_display_name, build_number, build_url, phase,
  status, kind, priority, state, resolved_at, resolved_by_build, flapping, title, summary, branch,
  commit_sha, culprits, changes_count, test_summary, duration_ms, event_count, purged_events, first_seen_at,
  last_seen_at`;

/**
 * Up to `limit` alerts older than `before` (an alert id), newest first. Without a `state` filter,
 * quiet builds (which never alerted) are left out. With `jobs`, only those jobs' alerts, looked up job by
 * job and sorted, so a page costs what those jobs' alerts (newer than `before`) number.
 */
export async function listAlerts(
  db: D1Database,
  filters: AlertFilters,
  limit: number,
  before?: number,
  after?: number,
): Promise<Alert[]> {
  const { jobs, ...equal } = filters;
  // A job has few alerts: its index beats any low-cardinality one the planner might pick instead
  // (with `jobs`, it would scan a whole state and test each row against the list).
  const byJob = filters.job !== undefined || jobs !== undefined;
  const from = byJob ? "alerts INDEXED BY alerts_by_job" : "alerts";
  const conditions = filters.state === undefined ? ["state != 'quiet'"] : [];
  const bound = jobs ? [amongJobs(jobs)] : [];
  const rows = await keysetPage<AlertRow>(
    db,
    { select: ALERT_COLUMNS, from, filters: equal, columns: FILTER_COLUMNS, conditions, bound },
    limit,
    before,
    after,
  );
  return rows.map(rowToAlert);
}

/** The current rows of the given alerts (at most 100 ids), newest first. */
export async function alertsByIds(db: D1Database, ids: number[]): Promise<Alert[]> {
  if (ids.length === 0) return [];
  const list = ids.slice(0, 100);
  const { results } = await db
    .prepare(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id DESC`,
    )
    .bind(JSON.stringify(list))
    .all<AlertRow>();
  return results.map(rowToAlert);
}

/** One alert and its timeline (oldest first), or null. */
export async function getAlert(
  db: D1Database,
  id: number,
): Promise<{ alert: Alert; events: AlertEvent[] } | null> {
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
  return { alert: rowToAlert(alert), events: results.map(rowToEvent) };
}
