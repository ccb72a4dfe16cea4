/**
 * The rows every insight is computed from ({@link perDay}, {@link perWeek}, {@link noisiest},
 * {@link redLongest}), read in one D1 batch by index range scans only (migrations/0014_insights.sql) and,
 * for failing builds on closed days, from the daily rollup (migrations/0017_rollups.sql); and
 * the {@link Insights} the API and the Insights page show.
 */

import type { FlakyTest } from "../flaky/model";
import { flakiestTests } from "../flaky/store";
import { namedParams } from "../platform/db/params";
import {
  type DayCount,
  type IncidentTimes,
  type JobCount,
  noisiest,
  perDay,
  perWeek,
  type RedJob,
  redLongest,
  TOP,
  type WeekTimes,
} from "./figures";
import { ROLLED_UP_UNTIL } from "./rollup-sql";
import type { InsightWindow } from "./window";

/** Which incidents and jobs count: one source, one job (its Jenkins full name), or all. */
export interface InsightFilters {
  source_id?: string;
  job?: string;
}

/** Every figure over one window, as the API answers it. */
export interface Insights {
  from: string;
  to: string;
  per_day: DayCount[];
  per_week: WeekTimes[];
  noisiest_by_incidents: JobCount[];
  noisiest_by_failing_builds: JobCount[];
  red_longest: (RedJob & { red_for_ms: number })[];
  /** The flakiest tests ({@link flakiestTests}): over every kept build, not bound to the window. */
  flakiest_tests: FlakyTest[];
}

const P = namedParams(["start", "end", "source_id", "job"]);
const FILTERS = `(${P.ref("source_id")} IS NULL OR source_id = ${P.ref("source_id")})
  AND (${P.ref("job")} IS NULL OR job = ${P.ref("job")})`;
const RANGE = (column: string) => `${column} >= ${P.ref("start")} AND ${column} < ${P.ref("end")}`;

// Incidents opened in the window (incidents_by_opened, covering), then those resolved in it but opened
// before it (incidents_by_resolved, covering).
const INCIDENT_TIMES = `
SELECT opened_at, acknowledged_at, resolved_at FROM incidents WHERE ${RANGE("opened_at")} AND ${FILTERS}
UNION ALL
SELECT opened_at, acknowledged_at, resolved_at FROM incidents
WHERE ${RANGE("resolved_at")} AND opened_at < ${P.ref("start")} AND ${FILTERS}`;

/**
 * Counted per job, cut to {@link noisiest}'s first {@link TOP} in its own order (the count, then source
 * and job; the test's model fails any disagreement) so a wide window's thousands of jobs stay out of the
 * answer rows; named from the jobs table (its unique (source_id, job) index).
 */
const named = (counted: string) => `
WITH counted AS (${counted} ORDER BY n DESC, source_id, job LIMIT ${TOP})
SELECT j.id AS job_id, c.source_id, coalesce(j.source_name, c.source_id) AS source_name, c.job,
       coalesce(j.display_name, c.job) AS job_display_name, c.n AS count
FROM counted AS c LEFT JOIN jobs AS j ON j.source_id = c.source_id AND j.job = c.job`;

// incidents_by_opened, covering.
const INCIDENTS_PER_JOB = named(`
  SELECT source_id, job, count(*) AS n FROM incidents
  WHERE ${RANGE("opened_at")} AND job IS NOT NULL AND ${FILTERS} GROUP BY source_id, job`);

// Closed days from the daily rollup (its primary key, day first), the days since from alerts_failing_by_seen
// (covering; its WHERE repeated word for word so the index applies): {@link rollUpInsights} keeps the rollup.
const FAILING_BUILDS_PER_JOB = named(`
  SELECT source_id, job, sum(n) AS n FROM (
    SELECT source_id, job, failing_builds AS n FROM insight_rollups
    WHERE day >= substr(${P.ref("start")}, 1, 10) AND day < min(substr(${P.ref("end")}, 1, 10), ${ROLLED_UP_UNTIL})
      AND ${FILTERS}
    UNION ALL
    SELECT source_id, job, 1 AS n FROM alerts INDEXED BY alerts_failing_by_seen
    WHERE last_seen_at >= max(${P.ref("start")}, ${ROLLED_UP_UNTIL} || 'T00:00:00.000Z')
      AND last_seen_at < ${P.ref("end")} AND phase_rank >= 3 AND status IN ('FAILURE', 'UNSTABLE') AND ${FILTERS})
  GROUP BY source_id, job`);

// jobs_by_state, then the first failing build by the alerts' unique (source_id, job, build_number) index;
// cut to {@link redLongest}'s first TOP in its order. A job running a new build after failing ones is still red.
const RED_JOBS = `
SELECT j.id AS job_id, j.source_id, j.source_name, j.job, j.display_name AS job_display_name,
       j.failing_since_build, j.failing_streak, a.first_seen_at AS red_since
FROM jobs AS j JOIN alerts AS a
  ON a.source_id = j.source_id AND a.job = j.job AND a.build_number = j.failing_since_build
WHERE j.state IN ('failing', 'running') AND j.failing_streak > 0
  AND (${P.ref("source_id")} IS NULL OR j.source_id = ${P.ref("source_id")})
  AND (${P.ref("job")} IS NULL OR j.job = ${P.ref("job")})
ORDER BY red_since, j.source_id, j.job LIMIT ${TOP}`;

/** Every figure of the window, for the filters, at `nowMs` (how long the red jobs have been red). */
export async function insightsOf(
  db: D1Database,
  window: InsightWindow,
  filters: InsightFilters,
  nowMs: number,
): Promise<Insights> {
  const values = {
    start: window.startIso,
    end: window.endIso,
    source_id: filters.source_id,
    job: filters.job,
  };
  const [[times, incidents, failing, red], flaky] = await Promise.all([
    db.batch([
      P.bind(db, INCIDENT_TIMES, values),
      P.bind(db, INCIDENTS_PER_JOB, values),
      P.bind(db, FAILING_BUILDS_PER_JOB, values),
      P.bind(db, RED_JOBS, values),
    ]),
    flakiestTests(db, TOP, filters),
  ]);
  const rows = <T>(result: D1Result | undefined) => (result?.results ?? []) as T[];
  const incidentTimes = rows<IncidentTimes>(times);
  return {
    from: window.from,
    to: window.to,
    per_day: perDay(window, incidentTimes),
    per_week: perWeek(window, incidentTimes),
    noisiest_by_incidents: noisiest(rows<JobCount>(incidents)),
    noisiest_by_failing_builds: noisiest(rows<JobCount>(failing)),
    red_longest: redLongest(rows<RedJob>(red), nowMs),
    flakiest_tests: flaky,
  };
}
