/**
 * Reading a job's builds for its history ({@link jobFigures}): its newest builds by number, its builds
 * of the last 30 days by time, and the newest few of many jobs at once for the strips beside incidents.
 * Each read is one index range (named on each statement, checked with EXPLAIN QUERY PLAN).
 */
import { type HistoryBuild, WINDOW_DAYS } from "./history";
import type { JobRef } from "./search";

/** A job builds at most this many times in 30 days as far as its figures go (one a ~9 minutes). */
export const WINDOW_CAP = 5000;

/** A build's columns, of the alerts table named `alias` (none: the only one). */
const build = (alias = "") => {
  const t = alias ? `${alias}.` : "";
  return `${t}id AS alert_id, ${t}build_number, ${t}status, ${t}phase_rank >= 3 AS finished, ${t}duration_ms,
    ${t}first_seen_at AS at`;
};

type BuildRow = Omit<HistoryBuild, "finished"> & { finished: number };
const toBuild = ({ finished, ...row }: BuildRow): HistoryBuild => ({ ...row, finished: finished === 1 });

/**
 * The job's newest `limit` builds by number, newest first, and its builds first heard of since 30 days
 * before `nowMs` (at most {@link WINDOW_CAP}, newest first), in one batch.
 */
export async function readJobBuilds(
  db: D1Database,
  ref: JobRef,
  limit: number,
  nowMs: number,
): Promise<{ recent: HistoryBuild[]; window: HistoryBuild[] }> {
  const since = new Date(nowMs - Math.max(...WINDOW_DAYS) * 86_400_000).toISOString();
  const [recent, window] = await db.batch<BuildRow>([
    // sqlite_autoindex_alerts_1 (source_id, job, build_number), walked backwards.
    db
      .prepare(
        `SELECT ${build()} FROM alerts WHERE source_id = ?1 AND job = ?2 ORDER BY build_number DESC LIMIT ?3`,
      )
      .bind(ref.source_id, ref.job, limit),
    // alerts_by_job_time (source_id, job, first_seen_at): the window's range only.
    db
      .prepare(
        `SELECT ${build()} FROM alerts INDEXED BY alerts_by_job_time
         WHERE source_id = ?1 AND job = ?2 AND first_seen_at >= ?3 ORDER BY first_seen_at DESC LIMIT ?4`,
      )
      .bind(ref.source_id, ref.job, since, WINDOW_CAP),
  ]);
  return { recent: (recent?.results ?? []).map(toBuild), window: (window?.results ?? []).map(toBuild) };
}

/** A job's id (for its page) and its newest builds, newest first. */
export interface JobStrip {
  job_id: number;
  builds: HistoryBuild[];
}

/** The key {@link recentBuildsOfJobs} files each job's strip under. */
export const stripKey = (ref: JobRef) => JSON.stringify([ref.source_id, ref.job]);

/**
 * The newest `per` builds of each of `refs` (jobs not known are left out), in ONE statement: per job,
 * a seek on jobs' UNIQUE (source_id, job), one on sqlite_autoindex_alerts_1 for the `per`-th newest
 * build number, and the range above it on the same index.
 */
export async function recentBuildsOfJobs(
  db: D1Database,
  refs: JobRef[],
  per: number,
): Promise<Map<string, JobStrip>> {
  const strips = new Map<string, JobStrip>();
  if (refs.length === 0) return strips;
  const pairs = JSON.stringify([...new Set(refs.map(stripKey))].map((key) => JSON.parse(key)));
  const { results } = await db
    .prepare(
      `SELECT j.id AS job_id, j.source_id AS ref_source, j.job AS ref_job,
              ${build("a")}
       FROM json_each(?1) AS r
       JOIN jobs AS j ON j.source_id = json_extract(r.value, '$[0]') AND j.job = json_extract(r.value, '$[1]')
       LEFT JOIN alerts AS a ON a.source_id = j.source_id AND a.job = j.job
         AND a.build_number >= coalesce(
           (SELECT x.build_number FROM alerts AS x WHERE x.source_id = j.source_id AND x.job = j.job
            ORDER BY x.build_number DESC LIMIT 1 OFFSET ?2 - 1), -1)
       ORDER BY j.id, a.build_number DESC`,
    )
    .bind(pairs, per)
    .all<BuildRow & { job_id: number; ref_source: string; ref_job: string }>();
  for (const { job_id, ref_source, ref_job, ...row } of results) {
    const key = stripKey({ source_id: ref_source, job: ref_job });
    const strip = strips.get(key) ?? { job_id, builds: [] };
    if (row.alert_id !== null) strip.builds.push(toBuild(row));
    strips.set(key, strip);
  }
  return strips;
}
