/**
 * The cron's share of the insights ({@link runScheduled}, every 5 minutes): keeps `insight_rollups`, failing
 * builds per (source, job, UTC day), for every day before today, so {@link insightsOf} reads closed days
 * from it and only the open day from the alerts. Each round reads the next slice of events (every change
 * to an alert comes with one) and counts again, from the alerts, the closed days their alerts span, plus
 * the next days not yet rolled up (all of them on the first run, then each day once it closes), and the
 * oldest alert's day when it changed (retention purges alerts by the instant, not the day); the counts
 * and the cursors are written in one batch. Bounded: a round is {@link ROLLUP_ROUND_QUERIES} queries,
 * {@link SLICE_EVENTS} events and {@link DAYS_PER_ROUND} new days; what is left waits for the next run.
 */
import { CLEAR_DAYS, COUNT_DAYS, EVENT_SLICE, START, WRITE_CURSORS } from "./rollup-sql";
import { dayOf } from "./window";

/** Events one round looks at. */
export const SLICE_EVENTS = 5_000;
/** Days not yet rolled up that one round adds (the first run's backfill goes this many days a round). */
export const DAYS_PER_ROUND = 31;
/** One round: the slice's read, then the batch (clear, count, the cursors). */
export const ROLLUP_ROUND_QUERIES = 4;
/** What the cron gives one run (three rounds), so that retention keeps the rest of the plan's budget. */
export const ROLLUP_QUERIES = 1 + 3 * ROLLUP_ROUND_QUERIES;

const DAY_MS = 86_400_000;
const epochDay = (at: number) => Math.floor(at / DAY_MS);
const dayNamed = (epoch: number) => dayOf(epoch * DAY_MS);

/** What one run did: queries spent, days counted, and whether nothing is left for the next run. */
export interface RollupRun {
  queries: number;
  days: number;
  complete: boolean;
}

interface Start {
  days: number | null;
  events: number | null;
  counted_oldest: number | null;
  last_event: number | null;
  oldest: string | null;
}

interface Slice {
  n: number;
  last_id: number | null;
  first_day: string | null;
  last_day: string | null;
}

/** Rolls up what changed since the last run and the days closed since, within `budget` queries. */
export async function rollUpInsights(db: D1Database, now: Date, budget: number): Promise<RollupRun> {
  const run: RollupRun = { queries: 0, days: 0, complete: false };
  if (budget < 1 + ROLLUP_ROUND_QUERIES) return run;
  const start = (await db.prepare(START).first<Start>()) as Start;
  run.queries += 1;
  const today = epochDay(now.getTime());
  // The first run rolls up from the oldest alert's day, and every event so far is already in the alerts.
  let rolledUntil = start.days ?? (start.oldest ? epochDay(Date.parse(start.oldest)) : today);
  let after = start.events ?? start.last_event ?? 0;
  // Event ids start over only when every event was purged: then every event there is, is new.
  if ((start.last_event ?? 0) < after) after = 0;
  let stored = start.days !== null && start.events !== null && start.counted_oldest !== null;
  // Retention purges by the instant: when the oldest alert changed, its day may have lost some.
  const oldest = start.oldest ? Date.parse(start.oldest) : 0;
  const oldestDay = dayOf(oldest);
  let recount = oldest !== start.counted_oldest && oldestDay < dayNamed(rolledUntil) ? [oldestDay] : [];

  while (run.queries + ROLLUP_ROUND_QUERIES <= budget) {
    const { results } = await db.prepare(EVENT_SLICE).bind(after, SLICE_EVENTS).all<Slice>();
    run.queries += 1;
    const days = new Set<string>(recount);
    const closedUntil = dayNamed(rolledUntil);
    for (const { first_day, last_day } of results) {
      if (first_day === null || last_day === null) continue; // the alert went before its event
      for (let day = Date.parse(first_day); dayOf(day) <= last_day; day += DAY_MS)
        if (dayOf(day) < closedUntil) days.add(dayOf(day));
    }
    const nextUntil = Math.max(rolledUntil, Math.min(rolledUntil + DAYS_PER_ROUND, today));
    for (let day = rolledUntil; day < nextUntil; day++) days.add(dayNamed(day));
    const lastId = results[0]?.last_id ?? after;
    const full = (results[0]?.n ?? 0) === SLICE_EVENTS;
    if (stored && days.size === 0 && lastId === after && nextUntil === rolledUntil) {
      run.complete = true;
      break;
    }
    const list = JSON.stringify([...days]);
    await db.batch([
      db.prepare(CLEAR_DAYS).bind(list),
      db.prepare(COUNT_DAYS).bind(list),
      db.prepare(WRITE_CURSORS).bind(nextUntil, lastId, oldest, now.toISOString()),
    ]);
    run.queries += 3;
    run.days += days.size;
    [after, rolledUntil, stored, recount] = [lastId, nextUntil, true, []];
    if (!full && rolledUntil >= today) {
      run.complete = true;
      break;
    }
  }
  return run;
}
