/**
 * The job search index as ingest keeps it (`jobs.job_path` and `job_search`, migrations/0005), put
 * in directly: tests of the search read it without depending on which delivery wrote it.
 */
import { env } from "cloudflare:workers";
import { jobLabel } from "../../src/core/job";
import { nowIso } from "../../src/platform/clock";

/** A job row of its own, indexed by its displayed path; its id. */
export async function addJob(sourceId: string, job: string): Promise<number> {
  const inserted = await env.DB.prepare(
    `INSERT INTO jobs (source_id, source_name, job, display_name, state, updated_at, job_path)
     VALUES (?1, 'job search', ?2, ?2, 'unknown', ?3, ?4) RETURNING id`,
  )
    .bind(sourceId, job, nowIso(), jobLabel(job))
    .first<number>("id");
  if (inserted === null) throw new Error("no job inserted");
  await env.DB.prepare("INSERT INTO job_search (rowid, job_path) VALUES (?1, ?2)")
    .bind(inserted, jobLabel(job))
    .run();
  return inserted;
}

/**
 * Every job's displayed path and search entry, as ingest writes them, for jobs the webhook created
 * (idempotent: the entries are written anew).
 */
export async function indexJobs(): Promise<void> {
  const { results } = await env.DB.prepare("SELECT id, job FROM jobs").all<{ id: number; job: string }>();
  await env.DB.batch([
    env.DB.prepare("DELETE FROM job_search"),
    ...results.flatMap(({ id, job }) => [
      env.DB.prepare("UPDATE jobs SET job_path = ?2 WHERE id = ?1").bind(id, jobLabel(job)),
      env.DB.prepare("INSERT INTO job_search (rowid, job_path) VALUES (?1, ?2)").bind(id, jobLabel(job)),
    ]),
  ]);
}
