/**
 * A job's build history as figures (issue 24, "Per job"): each build's result, failure rates over the
 * last 7 and 30 days, time to green, the median duration. Pure: plain rows in, figures out; the API
 * (`GET /api/jobs/:id/history`) and the job's dashboard page both answer these, and the tests hold them
 * to a plain model of their own. The rows come from {@link readJobHistory}.
 */

/** Builds the job's history strip and trend show, newest first. */
export const HISTORY_BUILDS = 50;
/** Builds the small strip beside an incident shows. */
export const STRIP_BUILDS = 10;
/** The windows failure rates are taken over, in days; the longest also bounds time to green. */
export const WINDOW_DAYS = [7, 30] as const;
export const DAY_MS = 86_400_000;

/** One build of the job as the history reads it. */
export interface HistoryBuild {
  alert_id: number;
  build_number: number;
  /** Jenkins' result once the build completed (null before: the build still runs). */
  status: string | null;
  /** Whether the build completed (phase COMPLETED or FINALIZED). */
  finished: boolean;
  duration_ms: number | null;
  /** When the endpoint first heard of the build (ISO 8601 UTC): the time every window is read on. */
  at: string;
}

/** A build's result as the strip shows it. */
export const BUILD_RESULTS = ["success", "failure", "unstable", "aborted", "not_built", "running"] as const;
export type BuildResult = (typeof BUILD_RESULTS)[number];

const BY_STATUS: Record<string, BuildResult> = {
  SUCCESS: "success",
  FAILURE: "failure",
  UNSTABLE: "unstable",
  ABORTED: "aborted",
  NOT_BUILT: "not_built",
};

export function resultOf(build: Pick<HistoryBuild, "status" | "finished">): BuildResult {
  if (!build.finished) return "running";
  return BY_STATUS[build.status ?? ""] ?? "not_built";
}

/** A finished build that says something about the job's health: green, or red (failed or unstable). */
const isRed = (build: HistoryBuild) => ["failure", "unstable"].includes(resultOf(build));
const isGreen = (build: HistoryBuild) => resultOf(build) === "success";

/** The middle value, or the mean of the two middle ones rounded (as SQL's `groupMedian`); null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const upper = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[upper] as number)
    : Math.round(((sorted[upper - 1] as number) + (sorted[upper] as number)) / 2);
}

/**
 * The share of red builds among the green and red ones first heard of in the last `days` days (from
 * `nowMs - days` inclusive); ABORTED, NOT_BUILT and running builds count for neither. Null without any.
 */
export function failureRate(builds: HistoryBuild[], nowMs: number, days: number): number | null {
  const since = nowMs - days * DAY_MS;
  const decisive = builds.filter((b) => Date.parse(b.at) >= since && (isRed(b) || isGreen(b)));
  if (decisive.length === 0) return null;
  return decisive.filter(isRed).length / decisive.length;
}

/** How long the job stayed red, over the builds given. */
export interface TimeToGreen {
  /** Red streaks that a green build ended. */
  streaks: number;
  mean_ms: number | null;
  median_ms: number | null;
  /** The first red build of the streak still red at the newest build, if any. */
  red_since_build: number | null;
}

/**
 * Red streaks in build-number order (builds heard of out of order count where their number puts
 * them): each runs from its first red build to the green build that ended it, measured between
 * the times the endpoint first heard of the two (never below 0). ABORTED and NOT_BUILT builds neither
 * start nor end a streak. A streak already red at the first build given starts there.
 */
export function timeToGreen(builds: HistoryBuild[]): TimeToGreen {
  const ordered = builds
    .filter((b) => isRed(b) || isGreen(b))
    .sort((a, b) => a.build_number - b.build_number);
  const spans: number[] = [];
  let firstRed: HistoryBuild | null = null;
  for (const build of ordered) {
    if (isRed(build)) firstRed ??= build;
    else if (firstRed) {
      spans.push(Math.max(0, Date.parse(build.at) - Date.parse(firstRed.at)));
      firstRed = null;
    }
  }
  const mean = spans.length > 0 ? Math.round(spans.reduce((sum, ms) => sum + ms, 0) / spans.length) : null;
  return {
    streaks: spans.length,
    mean_ms: mean,
    median_ms: median(spans),
    red_since_build: firstRed?.build_number ?? null,
  };
}

/** The job's figures. */
export interface JobFigures {
  failure_rate_7d: number | null;
  failure_rate_30d: number | null;
  time_to_green: TimeToGreen;
  /** Of the finished builds among the newest {@link HISTORY_BUILDS} (the trend draws it). */
  median_duration_ms: number | null;
}

/**
 * The figures from `recent` (the newest builds, by number) and `window` (the builds first heard of in
 * the last 30 days), at `nowMs`.
 */
export function jobFigures(recent: HistoryBuild[], window: HistoryBuild[], nowMs: number): JobFigures {
  const [week, month] = WINDOW_DAYS;
  const durations = recent.flatMap((b) => (b.finished && b.duration_ms !== null ? [b.duration_ms] : []));
  return {
    failure_rate_7d: failureRate(window, nowMs, week),
    failure_rate_30d: failureRate(window, nowMs, month),
    time_to_green: timeToGreen(window),
    median_duration_ms: median(durations),
  };
}
