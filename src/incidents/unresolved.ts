/**
 * The incidents not yet resolved (open and acknowledged), as a short list reads them: what routing
 * matches on and what one line shows, without builds or alerts. Index-backed (incidents_needing_attention,
 * a partial index of exactly these rows); the sort reads only them.
 */
import { jobLabel } from "../core/job";
import { BY_PRIORITY, type Incident } from "./store";

/** An incident not yet resolved: routing's fields and one line's. */
export type UnresolvedIncident = Pick<
  Incident,
  | "id"
  | "kind"
  | "source_id"
  | "source_name"
  | "job_path"
  | "branch"
  | "state"
  | "priority"
  | "opened_at"
  | "acknowledged_by"
  | "resolved_by"
  | "resolved_by_name"
  | "resolved_by_build"
  | "silenced"
>;

type Row = Omit<UnresolvedIncident, "job_path" | "silenced"> & { job: string | null; silenced: number };

/** At most `limit` unresolved incidents, highest priority first, then oldest (then first opened). */
export async function unresolvedIncidents(db: D1Database, limit: number): Promise<UnresolvedIncident[]> {
  const { results } = await db
    .prepare(
      `SELECT id, kind, source_id, source_name, job, branch, state, priority, opened_at, acknowledged_by,
              resolved_by, resolved_by_name, resolved_by_build, silenced
       FROM incidents INDEXED BY incidents_needing_attention WHERE state != 'resolved'
       ORDER BY ${BY_PRIORITY}, opened_at, id LIMIT ?1`,
    )
    .bind(limit)
    .all<Row>();
  return results.map(({ job, silenced, ...row }) => ({
    ...row,
    job_path: job === null ? null : jobLabel(job),
    silenced: silenced === 1,
  }));
}
