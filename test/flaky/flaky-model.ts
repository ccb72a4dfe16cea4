/**
 * A plain model of flaky tests (docs/incidents.md "Flaky tests"), written without SQL, to hold ingest's
 * {@link recordTestFailures} and GET /api/flaky-tests against; and the generated histories it reads.
 */
import { buildPayload } from "../../fixtures/payloads";

/** A finished build as the model sees it. */
export interface TestBuild {
  number: number;
  commit: string;
  /** Changed files the build had. */
  changes: number;
  /** null: no test summary (the build broke before its tests ran). */
  tests: { total: number; failed: number; names: string[] } | null;
}

/** The names of a build's failures that are kept (the source's FLAKY_TESTS_PER_BUILD, written again). */
const KEPT = 10;

export interface ExpectedFlakyTest {
  job: string;
  test: string;
  failures: number;
  flips: number;
  last_build: number;
}

/** The build ran tests, named all its failures (no more than are kept), and `test` was not one. */
const passes = (build: TestBuild, test: string) =>
  build.tests !== null &&
  build.tests.total > 0 &&
  build.tests.failed <= build.tests.names.length &&
  build.tests.failed <= KEPT &&
  !build.tests.names.includes(test);

/** The flaky tests of one job's finished builds (any order): the tests with at least one flip. */
export function expectedFlakyTests(job: string, builds: TestBuild[]): ExpectedFlakyTest[] {
  const ordered = [...builds].sort((a, b) => a.number - b.number);
  const byTest = new Map<string, ExpectedFlakyTest>();
  ordered.forEach((build, i) => {
    const next = ordered[i + 1];
    for (const test of build.tests?.names.slice(0, KEPT) ?? []) {
      const row = byTest.get(test) ?? { job, test, failures: 0, flips: 0, last_build: 0 };
      row.failures += 1;
      row.last_build = Math.max(row.last_build, build.number);
      const rebuildPassed = ordered.some(
        (later) => later.number > build.number && later.commit === build.commit && passes(later, test),
      );
      const nextPassed = next !== undefined && next.changes === 0 && passes(next, test);
      if (rebuildPassed || nextPassed) row.flips += 1;
      byTest.set(test, row);
    }
  });
  return [...byTest.values()].filter((row) => row.flips > 0);
}

const POOL = ["LoginTest.logsIn", "CartTest.adds", "PayTest.pays", "MailTest.sends"];

/**
 * A job's history: rebuilds at the same commit, builds without changes, tests that fail now and then,
 * one that fails every time from build 5 on (failing, never flaky), builds without tests, and builds
 * whose failures are not all named.
 */
export function generatedBuilds(rand: () => number, count: number): TestBuild[] {
  const builds: TestBuild[] = [];
  for (let number = 1; number <= count; number++) {
    const previous = builds.at(-1);
    const rebuild = previous !== undefined && rand() < 0.35;
    const names = POOL.filter(() => rand() < 0.3);
    if (number >= 5) names.push("BrokenTest.alwaysFails");
    const roll = rand();
    builds.push({
      number,
      commit: rebuild ? previous.commit : `c${number}`,
      changes: rebuild || rand() < 0.4 ? 0 : 1 + Math.floor(rand() * 3),
      tests: roll < 0.1 ? null : { total: 40, failed: names.length + (roll > 0.95 ? 2 : 0), names },
    });
  }
  return builds;
}

/** A build's COMPLETED and FINALIZED payloads. */
export function bodiesOf(job: string, build: TestBuild): Record<string, unknown>[] {
  const status = build.tests === null ? "FAILURE" : build.tests.failed > 0 ? "UNSTABLE" : "SUCCESS";
  const extra = {
    scm: {
      branch: "main",
      commit: build.commit,
      changes: Array.from({ length: build.changes }, (_, i) => `src/file-${i}.ts`),
      culprits: [],
    },
    ...(build.tests
      ? {
          test_summary: {
            total: build.tests.total,
            failed: build.tests.failed,
            passed: build.tests.total - build.tests.failed,
            skipped: 0,
            failed_tests: build.tests.names,
          },
        }
      : {}),
  };
  return ["COMPLETED", "FINALIZED"].map((phase) =>
    buildPayload({ job, number: build.number, phase, status, extra }),
  );
}
