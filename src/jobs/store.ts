/**
 * Reading job health (maintained by ingest, see ./health-sql.ts) as models (`rowToJob` decodes the
 * stored flags and heartbeat columns once), newest job first, keyset-paged.
 */

import { jobLabel } from "../core/job";
import type { JobState } from "../core/vocabulary";
import { type Heartbeat, type HeartbeatColumns, heartbeatOf } from "../heartbeats/rules";
import { keysetPage } from "../platform/db/keyset";

const JOB_FILTER_COLUMNS = ["state", "source_id"] as const;

export type JobFilters = Partial<Record<(typeof JOB_FILTER_COLUMNS)[number], string>>;

/** A job's health as stored. */
export interface JobRow extends HeartbeatColumns {
  id: number;
  source_id: string;
  source_name: string;
  job: string;
  display_name: string;
  state: JobState;
  last_build: number | null;
  last_status: string | null;
  last_success_build: number | null;
  failing_since_build: number | null;
  failing_streak: number;
  flapping: number;
  last_duration_ms: number | null;
  median_duration_ms: number | null;
  updated_at: string;
  /** NULL on a job whose last event came before migration 0005, until its next one. */
  job_path: string | null;
}

export type Job = Omit<JobRow, "flapping" | "job_path" | keyof HeartbeatColumns> & {
  flapping: boolean;
  /** The path as displayed (acme/web-shop/feature/login for …/feature%2Flogin): what job search matches. */
  job_path: string;
  heartbeat: Heartbeat;
};

export function rowToJob(row: JobRow): Job {
  const {
    flapping,
    job_path,
    learned_every_ms: _learned,
    heartbeat_every_ms: _every,
    heartbeat_grace_ms: _grace,
    heartbeat_off: _off,
    heartbeat_due_at: _due,
    ...health
  } = row;
  return {
    ...health,
    flapping: flapping === 1,
    job_path: job_path ?? jobLabel(row.job),
    heartbeat: heartbeatOf(row),
  };
}

export const JOB_COLUMNS = `id, source_id, source_name, job, display_name, state, last_build, last_status,
  last_success_build, failing_since_build, failing_streak, flapping, last_duration_ms, median_duration_ms,
  updated_at, job_path, learned_every_ms, heartbeat_every_ms, heartbeat_grace_ms, heartbeat_off,
  heartbeat_due_at`;

export async function listJobs(
  db: D1Database,
  filters: JobFilters,
  limit: number,
  before?: number,
): Promise<Job[]> {
  const rows = await keysetPage<JobRow>(
    db,
    { select: JOB_COLUMNS, from: "jobs", filters, columns: JOB_FILTER_COLUMNS },
    limit,
    before,
  );
  return rows.map(rowToJob);
}

/** One job by id, or null. */
export async function getJob(db: D1Database, id: number): Promise<Job | null> {
  const row = await db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?1`).bind(id).first<JobRow>();
  return row ? rowToJob(row) : null;
}

/** For the dashboard: failing jobs first (longest streak first), then the most recently active. */
export async function jobsByUrgency(db: D1Database, limit: number): Promise<Job[]> {
  const { results } = await db
    .prepare(
      `SELECT ${JOB_COLUMNS} FROM jobs
       ORDER BY state = 'failing' DESC, failing_streak DESC, updated_at DESC LIMIT ?1`,
    )
    .bind(limit)
    .all<JobRow>();
  return results.map(rowToJob);
}

/** When each source last sent an event (from its jobs' last update). */
export async function lastEventBySource(db: D1Database): Promise<Map<string, string>> {
  const { results } = await db
    .prepare("SELECT source_id, max(updated_at) AS last FROM jobs GROUP BY source_id")
    .all<{ source_id: string; last: string }>();
  return new Map(results.map((row) => [row.source_id, row.last]));
}
