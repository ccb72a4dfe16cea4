/**
 * Flaky tests, kept by ingest in the deliveries' own batch (built by ../ingest/store.ts; the rule in
 * docs/incidents.md "Flaky tests"). A test is flaky when it failed in one build and a later build of the
 * same job passed it at the same commit (a rebuild), or the next finished build passed it with no changed
 * files. One set-based statement whatever the number of deliveries ({@link recordTestFailures}); the
 * counts per test are read through indexes (./store.ts), and the fragments below let the incidents and
 * the policy's `ignore` ask whether a build failed only on flaky tests.
 *
 * Invariant: what is stored is a function of the stored builds, not of the order they came in: a flip
 * is recomputed for every failure whose verdict a new finished build can change (its own, the finished
 * build's below it, the failing builds' below it at its commit: found by index, `test_failures_by_commit`,
 * so a delivery reads a few rows however long the job's history).
 */
import { type Deliveries, deliveryCtes } from "../core/delivery-params";
import { FLAKY_TESTS_PER_BUILD } from "./model";

/** `table`'s row belongs to the job of `of`'s row. */
const sameJob = (table: string, of: string) =>
  `${table}.source_id = ${of}.source_id AND ${table}.job = ${of}.job`;

/**
 * Every failure of build `b` (an alert, or a delivery) is named and kept: its summary lists them all,
 * no more than {@link FLAKY_TESTS_PER_BUILD}.
 */
const allNamed = (b: string) => `
  json_extract(${b}.test_summary, '$.failed') <= json_array_length(${b}.test_summary, '$.failed_tests')
  AND json_extract(${b}.test_summary, '$.failed') <= ${FLAKY_TESTS_PER_BUILD}`;

/** Build `b` (an alert) ran tests, named all its failures, and `test` was not one of them. */
const passed = (b: string, test: string) => `(
  json_extract(${b}.test_summary, '$.total') > 0 AND ${allNamed(b)}
  AND NOT EXISTS (SELECT 1 FROM json_each(${b}.test_summary, '$.failed_tests') AS n WHERE n.value = ${test}))`;

/** The job's finished build nearest above/below `build` of `of`'s job. */
const finishedNear = (of: string, build: string, direction: "above" | "below") =>
  `(SELECT ${direction === "above" ? "min" : "max"}(n.build_number) FROM alerts AS n
    WHERE ${sameJob("n", of)} AND n.build_number ${direction === "above" ? ">" : "<"} ${build} AND n.phase_rank >= 3)`;

/** Failure `x` (of a test in build `a`, its alert) flipped: a later build passed the test. */
const flipped = (x: string, a: string) => `EXISTS (
  SELECT 1 FROM alerts AS b
  WHERE ${sameJob("b", x)} AND b.build_number > ${x}.build_number AND b.phase_rank >= 3
    AND (b.commit_sha = ${a}.commit_sha
         OR (b.build_number = ${finishedNear(x, `${x}.build_number`, "above")} AND b.changes_count = 0))
    AND ${passed("b", `${x}.test`)})`;

/**
 * The failures of each new finished delivery (its first {@link FLAKY_TESTS_PER_BUILD} names; of a
 * build's deliveries, the latest time one named it), and the failures whose `flipped` the write's
 * finished builds can change, with `flipped` recomputed; a row that changes nothing is not written
 * (D1 bills rows written).
 */
export const recordTestFailures = (from: Deliveries) => `
WITH ${deliveryCtes(from)},
finished AS MATERIALIZED (
  SELECT DISTINCT d.source_id, d.job, d.build_number FROM delivery AS d WHERE d.phase_rank >= 3),
affected AS MATERIALIZED (
  SELECT source_id, job, build_number FROM finished
  UNION
  SELECT f.source_id, f.job, ${finishedNear("f", "f.build_number", "below")} FROM finished AS f
  UNION
  SELECT r.source_id, r.job, r.build_number
  FROM finished AS f
  CROSS JOIN alerts AS b ON ${sameJob("b", "f")} AND b.build_number = f.build_number
  CROSS JOIN test_failures AS r INDEXED BY test_failures_by_commit
    ON ${sameJob("r", "f")} AND r.commit_sha = b.commit_sha AND r.build_number < f.build_number),
failures AS (
  SELECT d.source_id, d.job, d.build_number, t.value AS test, d.received_at AS seen_at
  FROM delivery AS d CROSS JOIN json_each(d.test_summary, '$.failed_tests') AS t
  WHERE d.phase_rank >= 3 AND d.test_summary IS NOT NULL AND t.key < ${FLAKY_TESTS_PER_BUILD}
  UNION ALL
  SELECT r.source_id, r.job, r.build_number, r.test, r.seen_at
  FROM affected AS f CROSS JOIN test_failures AS r ON ${sameJob("r", "f")} AND r.build_number = f.build_number)
INSERT INTO test_failures (source_id, job, build_number, test, commit_sha, seen_at, flipped)
SELECT x.source_id, x.job, x.build_number, x.test, a.commit_sha, max(x.seen_at), ${flipped("x", "a")}
-- CROSS JOIN: the write's few failures first, each build's alert by its key (never the other way round).
FROM failures AS x CROSS JOIN alerts AS a ON ${sameJob("a", "x")} AND a.build_number = x.build_number
WHERE true
GROUP BY x.source_id, x.job, x.build_number, x.test
ON CONFLICT (source_id, job, build_number, test) DO UPDATE SET
  commit_sha = excluded.commit_sha, seen_at = max(test_failures.seen_at, excluded.seen_at),
  flipped = excluded.flipped
WHERE test_failures.seen_at < excluded.seen_at OR test_failures.flipped != excluded.flipped
   OR test_failures.commit_sha IS NOT excluded.commit_sha`;

/** Test `test` of `of`'s job flipped in some kept build: it is known to be flaky. */
const knownFlaky = (of: string, test: string) =>
  `EXISTS (SELECT 1 FROM test_failures AS k INDEXED BY test_failures_flipped
           WHERE ${sameJob("k", of)} AND k.test = ${test} AND k.flipped = 1)`;
/** Test `test` of `of`'s job flipped in a build below `build`: known flaky before that build. */
const flakyBefore = (of: string, test: string, build: string) =>
  `EXISTS (SELECT 1 FROM test_failures AS k INDEXED BY test_failures_flipped
           WHERE ${sameJob("k", of)} AND k.test = ${test} AND k.flipped = 1 AND k.build_number < ${build})`;

/**
 * Build `a` (an alert) failed only on flaky tests: it names every failed test (no more than are
 * kept), at least one, and each is known flaky now.
 */
export const failedOnlyOnFlakyTests = (a: string) => `(
  json_extract(${a}.test_summary, '$.failed') > 0 AND ${allNamed(a)}
  AND NOT EXISTS (SELECT 1 FROM json_each(${a}.test_summary, '$.failed_tests') AS n
                  WHERE NOT ${knownFlaky(a, "n.value")}))`;

/**
 * What a new delivery `d` pages with: its `incident_priority`, or none when its policy says
 * `flaky: "ignore"` and it failed only on tests known flaky before its build (what ingest knows when
 * builds arrive in order; the write's own flips are not seen yet).
 */
export const pagingUnlessFlaky = (d: string) => `CASE
  WHEN ${d}.flaky_mode = 'ignore' AND ${d}.phase_rank >= 3
    AND json_extract(${d}.test_summary, '$.failed') > 0 AND ${allNamed(d)}
    AND NOT EXISTS (SELECT 1 FROM json_each(${d}.test_summary, '$.failed_tests') AS n
                    WHERE NOT ${flakyBefore(d, "n.value", `${d}.build_number`)})
  THEN NULL ELSE ${d}.incident_priority END`;
