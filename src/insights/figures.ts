/**
 * Every insight's definition, once, over plain rows (src/insights/store.ts reads them; the API and the
 * Insights page both show what these return; test/insights/ compares them with a plain model):
 *
 * - per day: incidents opened on each UTC day of the window, and incidents resolved on it (whenever they
 *   were opened);
 * - per ISO week (UTC), over the incidents opened in that week and inside the window: MTTA, opened →
 *   acknowledged, over those acknowledged; MTTR, opened → resolved, over those resolved (an incident still
 *   open counts in neither); each as a median and a 90th percentile;
 * - the noisiest jobs: the ten with the most incidents opened in the window, and the ten with the most
 *   failing builds (finished FAILURE or UNSTABLE) last seen in it;
 * - red longest: the jobs failing now, by when the first failing build of their current streak was first
 *   seen, oldest first.
 */
import { type InsightWindow, weeksOf, within } from "./window";

/** How many jobs the rankings list. */
export const TOP = 10;

/** The times of one incident. */
export interface IncidentTimes {
  opened_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
}

/** One day's incidents. */
export interface DayCount {
  day: string;
  opened: number;
  resolved: number;
}

/** Incidents opened and resolved on each day of the window (`incidents`: any opened or resolved in it). */
export function perDay(window: InsightWindow, incidents: readonly IncidentTimes[]): DayCount[] {
  const byDay = new Map(window.days.map((day) => [day, { day, opened: 0, resolved: 0 }]));
  for (const incident of incidents) {
    if (within(window, incident.opened_at)) (byDay.get(incident.opened_at.slice(0, 10)) as DayCount).opened++;
    if (within(window, incident.resolved_at))
      (byDay.get(incident.resolved_at.slice(0, 10)) as DayCount).resolved++;
  }
  return [...byDay.values()];
}

/** A set of durations: how many, their median and 90th percentile in milliseconds (null when none). */
export interface Spread {
  count: number;
  median_ms: number | null;
  p90_ms: number | null;
}

/**
 * The median (the middle one, or the mean of the two middle ones, rounded to the millisecond) and the
 * 90th percentile by nearest rank (the smallest duration at least 90 % of them do not exceed).
 */
export function spread(durations: readonly number[]): Spread {
  const sorted = [...durations].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { count: 0, median_ms: null, p90_ms: null };
  const middle = Math.floor(n / 2);
  const median =
    n % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return {
    count: n,
    median_ms: Math.round(median as number),
    p90_ms: sorted[Math.ceil(0.9 * n) - 1] as number,
  };
}

/** One ISO week's times to acknowledge and to resolve. */
export interface WeekTimes {
  week: string;
  starts: string;
  mtta: Spread;
  mttr: Spread;
}

/** MTTA and MTTR for every ISO week the window touches, a week without incidents included. */
export function perWeek(window: InsightWindow, incidents: readonly IncidentTimes[]): WeekTimes[] {
  const weeks = weeksOf(window);
  const byDay = new Map(window.days.map((day) => [day, { ack: [] as number[], res: [] as number[] }]));
  const since = (incident: IncidentTimes, at: string) => Date.parse(at) - Date.parse(incident.opened_at);
  for (const incident of incidents) {
    if (!within(window, incident.opened_at)) continue;
    const day = byDay.get(incident.opened_at.slice(0, 10));
    if (!day) continue;
    if (incident.acknowledged_at !== null) day.ack.push(since(incident, incident.acknowledged_at));
    if (incident.resolved_at !== null) day.res.push(since(incident, incident.resolved_at));
  }
  return weeks.map(({ week, starts }) => {
    const days = window.days.filter((day) => day >= starts && day < nextWeek(starts));
    return {
      week,
      starts,
      mtta: spread(days.flatMap((day) => byDay.get(day)?.ack ?? [])),
      mttr: spread(days.flatMap((day) => byDay.get(day)?.res ?? [])),
    };
  });
}

const nextWeek = (monday: string) =>
  new Date(Date.parse(`${monday}T00:00:00.000Z`) + 7 * 86_400_000).toISOString().slice(0, 10);

/** A job as the rankings name it (`job_id`: its row in the jobs table, when it has one). */
export interface JobName {
  job_id: number | null;
  source_id: string;
  source_name: string;
  job: string;
  job_display_name: string;
}

/** How many incidents, or failing builds, one job had. */
export type JobCount = JobName & { count: number };

/** The {@link TOP} jobs with the highest counts; ties by source, then job name. */
export function noisiest(counts: readonly JobCount[]): JobCount[] {
  return [...counts]
    .filter((row) => row.count > 0)
    .sort((a, b) => b.count - a.count || byName(a, b))
    .slice(0, TOP);
}

const byName = (a: JobName, b: JobName) =>
  a.source_id < b.source_id ? -1 : a.source_id > b.source_id ? 1 : a.job < b.job ? -1 : a.job > b.job ? 1 : 0;

/** A job failing now: the first failing build of its current streak, and when it was first seen. */
export type RedJob = JobName & { failing_since_build: number; failing_streak: number; red_since: string };

/** The {@link TOP} jobs red longest, oldest streak first, with how long each has been red at `nowMs`. */
export function redLongest(jobs: readonly RedJob[], nowMs: number): (RedJob & { red_for_ms: number })[] {
  return [...jobs]
    .sort((a, b) => (a.red_since < b.red_since ? -1 : a.red_since > b.red_since ? 1 : byName(a, b)))
    .slice(0, TOP)
    .map((job) => ({ ...job, red_for_ms: Math.max(0, nowMs - Date.parse(job.red_since)) }));
}
