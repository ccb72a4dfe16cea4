/**
 * One job's history as the API and the dashboard's job page both show it: the job (with its heartbeat),
 * its newest builds with their results, its figures ({@link jobFigures}) and its incidents still open.
 * Here, not in jobs/, because it reads incidents too.
 */

import { type Deploy, deploysBetween } from "../alerts/deploys";
import type { IncidentKind, IncidentState, Priority } from "../core/vocabulary";
import {
  type BuildResult,
  HISTORY_BUILDS,
  type HistoryBuild,
  type JobFigures,
  jobFigures,
  resultOf,
} from "../jobs/history";
import { readJobBuilds } from "../jobs/history-store";
import { getJob, type Job } from "../jobs/store";
import { nowMs } from "../platform/clock";

/** An incident of the job not yet resolved. */
export interface OpenIncident {
  id: number;
  kind: IncidentKind;
  state: IncidentState;
  priority: Priority;
  opened_at: string;
}

export interface JobHistory {
  job: Job;
  /** The newest {@link HISTORY_BUILDS} builds, newest first. */
  builds: (HistoryBuild & { result: BuildResult })[];
  figures: JobFigures;
  open_incidents: OpenIncident[];
  /**
   * The source's deploys (its policy's `deploy_jobs`) that finished between the oldest of `builds` and
   * now, newest first: the markers on the job's duration trend.
   */
  deploys: Deploy[];
}

/** A job's incidents not resolved (incidents_one_open: at most one per kind), newest first. */
async function openIncidentsOf(db: D1Database, job: Job): Promise<OpenIncident[]> {
  const { results } = await db
    .prepare(
      `SELECT id, kind, state, priority, opened_at FROM incidents INDEXED BY incidents_one_open
       WHERE source_id = ?1 AND coalesce(job, '') = ?2 AND state != 'resolved' ORDER BY id DESC`,
    )
    .bind(job.source_id, job.job)
    .all<OpenIncident>();
  return results;
}

/** The history of the job `id`, or null when there is no such job. */
export async function jobHistory(db: D1Database, id: number): Promise<JobHistory | null> {
  const job = await getJob(db, id);
  if (!job) return null;
  const now = nowMs();
  const [{ recent, window }, open_incidents] = await Promise.all([
    readJobBuilds(db, job, HISTORY_BUILDS, now),
    openIncidentsOf(db, job),
  ]);
  const oldest = recent.at(-1)?.at;
  const deploys =
    oldest === undefined ? [] : await deploysBetween(db, job.source_id, oldest, new Date(now).toISOString());
  return {
    job,
    builds: recent.map((build) => ({ ...build, result: resultOf(build) })),
    figures: jobFigures(recent, window, now),
    open_incidents,
    deploys,
  };
}
