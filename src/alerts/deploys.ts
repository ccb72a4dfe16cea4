/**
 * Deploys: green builds of the jobs a source's noise policy names in `deploy_jobs` (`isDeploy` in
 * ../sources/policy.ts), kept on their alerts as `deployed_at` by ingest's alert upsert. Read here, by the
 * partial index `alerts_deploys` (source, finish time), which holds deploys only: a window of a source's
 * deploys reads those deploys and no other alert, however long the history.
 */
import { jobLabel } from "../core/job";

/** A deploy: the alert of its green build, and when that finished. */
export interface Deploy {
  alert_id: number;
  /** The job's Jenkins full name. */
  job: string;
  /** The job's path as displayed (multibranch names decoded), what `deploy_jobs` matched. */
  job_path: string;
  build_number: number;
  /** When its green build was received (ISO 8601): the clock incidents open by. */
  finished_at: string;
}

interface DeployRow {
  alert_id: number;
  job: string;
  build_number: number;
  finished_at: string;
}

/** The most deploys one window answers: a source deploying more often than this names the latest. */
export const MAX_DEPLOYS_SHOWN = 20;

/** ?1 the source, ?2 and ?3 the window (ISO 8601, both included), ?4 the most rows. */
export const DEPLOYS_BETWEEN = `
SELECT id AS alert_id, job, build_number, deployed_at AS finished_at
FROM alerts INDEXED BY alerts_deploys
WHERE source_id = ?1 AND deployed_at IS NOT NULL AND deployed_at >= ?2 AND deployed_at <= ?3
ORDER BY deployed_at DESC, id DESC LIMIT ?4`;

const toDeploy = (row: DeployRow): Deploy => ({ ...row, job_path: jobLabel(row.job) });

/**
 * The deploys of source `sourceId` that finished between `from` and `to` (both ISO 8601, both included),
 * newest first, at most `limit`. What an incident's "deploys before" and a job's trend markers read.
 */
export async function deploysBetween(
  db: D1Database,
  sourceId: string,
  from: string,
  to: string,
  limit = MAX_DEPLOYS_SHOWN,
): Promise<Deploy[]> {
  const { results } = await db.prepare(DEPLOYS_BETWEEN).bind(sourceId, from, to, limit).all<DeployRow>();
  return results.map(toDeploy);
}
