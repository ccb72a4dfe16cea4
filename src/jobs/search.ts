/**
 * Job search by the path the dashboard displays (src/core/job.ts `jobLabel`): any substring of it,
 * so `acme/web-shop/feature/login` finds the multibranch job stored as `acme/web-shop/feature%2Flogin`.
 * Ingest keeps `jobs.job_path` and the FTS5 table `job_search(job_path)` (trigram tokenizer, rowid =
 * jobs.id) filled; this module only reads them.
 *
 * A text of three characters or more is answered by the trigram index. A shorter one has no trigram to
 * look up, so it reads the jobs table (one row per job, so small) with `instr`. Not `LIKE`: D1 refuses
 * a LIKE pattern longer than 50 bytes, job paths are often longer than that, and `instr` has no
 * wildcards (`%`, `_`, which job names contain) to escape. Both ignore ASCII case, as the trigram
 * tokenizer does by default.
 */
import type { BoundCondition } from "../platform/db/keyset";

/** A job as listings filter by it: its source and Jenkins full name. */
export interface JobRef {
  source_id: string;
  job: string;
}

/** Shortest text the trigram index can answer. */
const TRIGRAM = 3;

/** `text` as one FTS5 string: a phrase, so no character in it is query syntax. */
const ftsString = (text: string) => `"${text.replaceAll('"', '""')}"`;

/**
 * Up to `limit` jobs whose displayed path contains `text`, newest job first (an empty text finds
 * none: it is no search).
 */
export async function findJobs(db: D1Database, text: string, limit: number): Promise<JobRef[]> {
  if (text === "") return [];
  const statement =
    [...text].length >= TRIGRAM
      ? db
          .prepare(
            `SELECT jobs.source_id, jobs.job FROM job_search JOIN jobs ON jobs.id = job_search.rowid
             WHERE job_search MATCH ?1 ORDER BY job_search.rowid DESC LIMIT ?2`,
          )
          .bind(ftsString(text), limit)
      : db
          .prepare(
            `SELECT source_id, job FROM jobs WHERE instr(lower(job_path), lower(?1)) > 0
             ORDER BY id DESC LIMIT ?2`,
          )
          .bind(text, limit);
  const { results } = await statement.all<JobRef>();
  return results;
}

/** A listing condition (see ../platform/db/keyset.ts): the row's (source_id, job) is one of `jobs`. */
export function amongJobs(jobs: JobRef[]): BoundCondition {
  return {
    sql: (placeholder) =>
      `(source_id, job) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')
        FROM json_each(${placeholder}))`,
    value: JSON.stringify(jobs.map(({ source_id, job }) => [source_id, job])),
  };
}
