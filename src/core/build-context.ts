/**
 * Build context for people: the facts an on-call engineer acts on (result, duration, branch and
 * commit, culprits, failed tests, the link), and a one-paragraph summary of them. All of it is
 * derived from the payload.
 */
import { cutText } from "./bounds";
import type { JenkinsPayload, Phase, Status } from "./payload";

export interface TestSummary {
  total: number;
  failed: number;
  passed: number;
  skipped: number;
  failed_tests: string[];
}

export interface BuildContext {
  durationMs: number | null;
  culprits: string[] | null;
  changesCount: number | null;
  testSummary: TestSummary | null;
  summary: string;
}

/** How many failed test names a summary lists before "and N more". */
const NAMED_TESTS = 3;
/** Longest summary, in characters (a listing item stays small: docs/operations.md "Limits"). */
const MAX_SUMMARY_LENGTH = 1024;

const OUTCOME: Record<Status, string> = {
  SUCCESS: "succeeded",
  FAILURE: "failed",
  UNSTABLE: "is unstable",
  ABORTED: "was aborted",
  NOT_BUILT: "was not built",
};

const PROGRESS: Record<Phase, string> = {
  QUEUED: "is queued",
  STARTED: "started",
  COMPLETED: "completed without a result",
  FINALIZED: "finished without a result",
  NONE: "sent a notification",
};

export function isFinished(phase: Phase): boolean {
  return phase === "COMPLETED" || phase === "FINALIZED";
}

/** @param jobName the job for people (folders and decoded branch names), e.g. `acme/web-shop/feature/x` */
export function buildContext(
  payload: JenkinsPayload,
  jobName: string,
  counts?: { changesCount: number | null },
): BuildContext {
  const { build } = payload;
  const finished = isFinished(build.phase);
  const durationMs = finished && build.duration != null ? build.duration : null;
  const scm = build.scm;
  const tests = build.test_summary
    ? { ...build.test_summary, failed_tests: build.test_summary.failed_tests ?? [] }
    : null;

  const display = payload.display_name;
  const name =
    display && display !== jobName && !jobName.endsWith(`/${display}`) ? `${display} (${jobName})` : jobName;
  const sentences = [
    [
      `${name} #${build.number}`,
      build.status && (finished || build.phase === "NONE") ? OUTCOME[build.status] : PROGRESS[build.phase],
      build.status && build.status !== "SUCCESS" && build.status !== "FAILURE" ? `(${build.status})` : "",
      durationMs != null ? `after ${formatDuration(durationMs)}` : "",
      scm?.branch ? `on ${scm.branch}` : "",
      scm?.commit ? `at ${scm.commit.slice(0, 7)}` : "",
    ]
      .filter(Boolean)
      .join(" "),
  ];
  if (scm?.culprits?.length) sentences.push(`Culprits: ${scm.culprits.join(", ")}`);
  if (tests && tests.failed > 0) {
    const named = tests.failed_tests.slice(0, NAMED_TESTS);
    // The names may have been cut to the first few (./bounds.ts): the count says how many failed.
    const more = Math.max(tests.failed, tests.failed_tests.length) - named.length;
    sentences.push(
      `${tests.failed} of ${tests.total} tests failed${named.length ? `: ${named.join(", ")}` : ""}${more > 0 ? ` and ${more} more` : ""}`,
    );
  }
  const link = build.full_url ?? "";
  return {
    durationMs,
    culprits: scm?.culprits ?? null,
    changesCount: counts ? counts.changesCount : (scm?.changes?.length ?? null),
    testSummary: tests,
    summary: cutText(`${sentences.join(". ")}.${link ? ` ${link}` : ""}`, MAX_SUMMARY_LENGTH),
  };
}

/** 184000 → "3 min 4 s"; 950 → "950 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return [hours && `${hours} h`, minutes && `${minutes} min`, seconds && `${seconds} s`]
    .filter(Boolean)
    .join(" ");
}
