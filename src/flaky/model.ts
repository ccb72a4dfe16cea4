/**
 * Flaky tests: the bound and the model every part of the feature shares (the rule in docs/incidents.md
 * "Flaky tests"; the SQL that keeps them is ingest's {@link recordTestFailures}).
 */
/**
 * How many of a build's failed test names are kept (the payload names at most 20: `LIMITS.failedTests`).
 * A build with more failures broke for another reason than a flaky test: it proves no pass, and each
 * name kept is a row written (D1 bills rows written).
 */
export const FLAKY_TESTS_PER_BUILD = 10;

/** One test of one job that flipped at least once, with its counts over the kept builds. */
export interface FlakyTest {
  source_id: string;
  job: string;
  /** The job path as the dashboard displays it (multibranch names decoded). */
  job_path: string;
  test: string;
  /** Kept builds that named it as failed. */
  failures: number;
  /** Of those, the ones a rebuild at the same commit, or the next build without changes, passed. */
  flips: number;
  /** The latest build that named it as failed, and when that was received. */
  last_build: number;
  last_seen_at: string;
}
