/**
 * A reference model of recoveries and job health, written plainly in TypeScript, for the property
 * tests to hold the SQL in src/db/ingest-sql.ts against: same histories, any delivery order, same
 * answers. It follows the rules as the README states them.
 */
import { notification } from "./payloads.ts";

export type Result = "SUCCESS" | "FAILURE" | "UNSTABLE" | "ABORTED" | "NOT_BUILT";

export interface SimBuild {
  number: number;
  /** null: the build never finishes (Jenkins restarted mid-build). */
  status: Result | null;
  start: number;
  duration: number;
}

/** The plugin's deliveries for a build, with its per-phase timestamps (format reference §2). */
export function deliveriesFor(job: string, build: SimBuild): Record<string, unknown>[] {
  const phases: { phase: string; timestamp: number; status?: Result }[] = [
    { phase: "QUEUED", timestamp: build.start - 1_000 },
    { phase: "STARTED", timestamp: build.start },
  ];
  if (build.status) {
    phases.push(
      { phase: "COMPLETED", timestamp: build.start + build.duration, status: build.status },
      { phase: "FINALIZED", timestamp: build.start + build.duration + 150, status: build.status },
    );
  }
  return phases.map((p) =>
    notification({
      job,
      number: build.number,
      phase: p.phase,
      status: p.status,
      timestamp: p.timestamp,
      extra: { duration: p.status ? build.duration : 0 },
    }),
  );
}

const finishedAt = (b: SimBuild) => b.start + b.duration; // the COMPLETED timestamp

export function expectedAlert(
  builds: SimBuild[],
  build: SimBuild,
): { state: string; resolved_by_build: number | null } {
  if (build.status === null) return { state: "open", resolved_by_build: null };
  if (build.status === "SUCCESS") return { state: "resolved", resolved_by_build: build.number };
  const greens = builds
    .filter((g) => g.number > build.number && g.status === "SUCCESS" && finishedAt(g) >= finishedAt(build))
    .map((g) => g.number);
  return greens.length
    ? { state: "resolved", resolved_by_build: Math.min(...greens) }
    : { state: "open", resolved_by_build: null };
}

const failing = (status: Result | null) => status === "FAILURE" || status === "UNSTABLE";
const decisive = (status: Result | null) => status === "SUCCESS" || failing(status);

export function expectedJob(builds: SimBuild[]) {
  const byNumber = [...builds].sort((a, b) => b.number - a.number);
  const newest = byNumber[0] as SimBuild;
  const recent = byNumber.slice(0, 20);
  const finished = recent.filter((b) => b.status !== null);
  const successes = builds.filter((b) => b.status === "SUCCESS").map((b) => b.number);
  const lastSuccess = successes.length ? Math.max(...successes) : null;
  const failingSince = builds
    .filter((b) => failing(b.status) && b.number > (lastSuccess ?? 0))
    .map((b) => b.number);
  const lastTen = finished
    .slice(0, 10)
    .filter((b) => decisive(b.status))
    .reverse();
  let flips = 0;
  for (let i = 1; i < lastTen.length; i++) {
    if ((lastTen[i]?.status === "SUCCESS") !== (lastTen[i - 1]?.status === "SUCCESS")) flips += 1;
  }
  const durations = finished.map((b) => b.duration).sort((a, b) => a - b);
  const middle = (durations.length - 1) / 2;
  const median = durations.length
    ? Math.round(((durations[Math.floor(middle)] as number) + (durations[Math.ceil(middle)] as number)) / 2)
    : null;
  return {
    state:
      newest.status === null
        ? "running"
        : failingSince.length
          ? "failing"
          : lastSuccess !== null
            ? "passing"
            : "unknown",
    last_build: newest.number,
    last_status: newest.status,
    last_success_build: lastSuccess,
    failing_since_build: failingSince.length ? Math.min(...failingSince) : null,
    failing_streak: failingSince.length,
    flapping: flips >= 4,
    last_duration_ms: finished[0]?.duration ?? null,
    median_duration_ms: median,
  };
}

/** A random history: builds that overlap at times, some never finishing. */
export function randomHistory(rand: () => number, count: number): SimBuild[] {
  const results: (Result | null)[] = [
    "SUCCESS",
    "SUCCESS",
    "SUCCESS",
    "FAILURE",
    "FAILURE",
    "UNSTABLE",
    "ABORTED",
    "NOT_BUILT",
    null,
  ];
  let start = 1_764_000_000_000;
  return Array.from({ length: count }, (_, i) => {
    start += Math.floor(rand() * 240_000); // sometimes before the previous build has finished
    return {
      number: i + 1,
      status: results[Math.floor(rand() * results.length)] as Result | null,
      start,
      duration: 10_000 + Math.floor(rand() * 300_000),
    };
  });
}
