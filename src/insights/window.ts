/**
 * The days an insight covers: whole UTC days `from` to `to` (both included), 30 by default ending today,
 * at most {@link MAX_DAYS}; and the ISO weeks (Monday to Sunday, UTC) they touch. Pure: "today" is given.
 */

/** The window when the request names neither end. */
export const DEFAULT_DAYS = 30;
/** The longest window a request may ask for. */
export const MAX_DAYS = 90;

const DAY_MS = 86_400_000;

/** A window of whole UTC days, with the instants that bound it as D1 stores times. */
export interface InsightWindow {
  /** The first day, `YYYY-MM-DD`. */
  from: string;
  /** The last day, included. */
  to: string;
  /** Every day from `from` to `to`, in order. */
  days: string[];
  /** `from` at 00:00 UTC: the inclusive lower bound of stored ISO times. */
  startIso: string;
  /** The day after `to` at 00:00 UTC: the exclusive upper bound. */
  endIso: string;
}

/** The UTC day of an instant (or of an ISO time), `YYYY-MM-DD`. */
export const dayOf = (at: number | string): string => new Date(at).toISOString().slice(0, 10);

const dayMs = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

/**
 * The window a request asks for (`from`, `to`: `YYYY-MM-DD`, either may be missing), or why it cannot be
 * had: `to` defaults to today, `from` to {@link DEFAULT_DAYS} days ending at `to`.
 */
export function insightWindow(
  asked: { from?: string; to?: string },
  nowMs: number,
): InsightWindow | { path: "from" | "to"; message: string } {
  const to = asked.to ?? dayOf(nowMs);
  const from = asked.from ?? dayOf(dayMs(to) - (DEFAULT_DAYS - 1) * DAY_MS);
  const span = (dayMs(to) - dayMs(from)) / DAY_MS + 1;
  if (span < 1) return { path: "from", message: "must not be after to" };
  if (span > MAX_DAYS) return { path: "from", message: `the window is at most ${MAX_DAYS} days` };
  const days = Array.from({ length: span }, (_, i) => dayOf(dayMs(from) + i * DAY_MS));
  return {
    from,
    to,
    days,
    startIso: `${from}T00:00:00.000Z`,
    endIso: `${dayOf(dayMs(to) + DAY_MS)}T00:00:00.000Z`,
  };
}

/** Whether a stored ISO time falls inside the window. */
export const within = (window: InsightWindow, at: string | null): at is string =>
  at !== null && at >= window.startIso && at < window.endIso;

/** An ISO 8601 week in UTC: its name (`2027-W02`) and its Monday. */
export interface IsoWeek {
  week: string;
  starts: string;
}

/** The ISO week a day belongs to: the week of its Thursday names the year. */
export function isoWeekOf(day: string): IsoWeek {
  const ms = dayMs(day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = ms - weekday * DAY_MS;
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((+thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { week: `${year}-W${String(week).padStart(2, "0")}`, starts: dayOf(monday) };
}

/** The ISO weeks the window touches, oldest first (the first and last may be partly outside it). */
export function weeksOf(window: InsightWindow): IsoWeek[] {
  const weeks = new Map<string, IsoWeek>();
  for (const day of window.days) {
    const week = isoWeekOf(day);
    weeks.set(week.week, week);
  }
  return [...weeks.values()];
}
