/**
 * Reading flaky tests as models: per (source, job, test) the failures and flips over the kept builds,
 * read through the partial index of flips (flaky tests are few) and the index by test. The list the API
 * pages and what the Insights page's "flakiest tests" can show.
 */
import { jobLabel } from "../core/job";
import type { FlakyTest } from "./model";

export interface FlakyTestFilters {
  source_id?: string;
  /** The job's stored name (as alerts and incidents carry it). */
  job?: string;
}

type FlakyTestRow = Omit<FlakyTest, "job_path">;

const LIST = `
WITH flaky AS MATERIALIZED (
  SELECT source_id, job, test, count(*) AS flips
  FROM test_failures INDEXED BY test_failures_flipped
  WHERE flipped = 1 AND (?1 IS NULL OR source_id = ?1) AND (?2 IS NULL OR job = ?2)
  GROUP BY source_id, job, test)
SELECT f.source_id, f.job, f.test, count(*) AS failures, f.flips,
       max(r.build_number) AS last_build, max(r.seen_at) AS last_seen_at
FROM flaky AS f JOIN test_failures AS r INDEXED BY test_failures_by_test
  ON r.source_id = f.source_id AND r.job = f.job AND r.test = f.test
GROUP BY f.source_id, f.job, f.test
ORDER BY f.flips DESC, last_seen_at DESC, f.source_id, f.job, f.test
LIMIT ?3 OFFSET ?4`;

/**
 * The flaky tests matching `filters`, most flips first (then the most recently failed), `limit` of
 * them from place `offset`.
 */
export async function listFlakyTests(
  db: D1Database,
  filters: FlakyTestFilters,
  limit: number,
  offset = 0,
): Promise<FlakyTest[]> {
  const { results } = await db
    .prepare(LIST)
    .bind(filters.source_id ?? null, filters.job ?? null, limit, offset)
    .all<FlakyTestRow>();
  return results.map((row) => ({ ...row, job_path: jobLabel(row.job) }));
}

/** The flakiest tests (for the Insights page): the first `limit` of {@link listFlakyTests}. */
export const flakiestTests = (db: D1Database, limit: number, filters: FlakyTestFilters = {}) =>
  listFlakyTests(db, filters, limit);
