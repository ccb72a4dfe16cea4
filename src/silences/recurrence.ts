/**
 * Weekly windows (a silence's `recurrence`), pure: each listed day at `from`, wall time in
 * `time_zone`, until the next `to` (the following day when `to` ≤ `from`, so "22:00"–"06:00" runs
 * overnight and equal times run a whole day). DST as ../platform/zoned-time.ts reads wall times: a window is
 * an hour shorter or longer across a transition, and one starting in the skipped hour starts when the clock
 * has moved on by the gap.
 */
import {
  addDays,
  dateKey,
  isoWeekdayIndex,
  minutesOfDay,
  type WallDate,
  wallDateAt,
  wallToUtc,
} from "../platform/zoned-time";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Recurrence {
  days: Weekday[];
  from: string;
  to: string;
  time_zone: string;
}

/** The window that starts on `date` (a wall date), as [start, end) in ms, or null when none does. */
function windowStartingOn(date: WallDate, recurrence: Recurrence): [number, number] | null {
  if (!recurrence.days.includes(WEEKDAYS[isoWeekdayIndex(date)] as Weekday)) return null;
  const from = minutesOfDay(recurrence.from) ?? 0;
  const to = minutesOfDay(recurrence.to) ?? 0;
  const wall = (day: WallDate, minutes: number) =>
    wallToUtc({ ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, recurrence.time_zone);
  const start = wall(date, from);
  const end = wall(to <= from ? addDays(date, 1) : date, to);
  return end > start ? [start, end] : null;
}

/**
 * Whether the instant `t` is in a window. A window lasts at most a day and a DST hour, so only one
 * that starts on `t`'s wall date or the day before can hold it.
 */
export function inWindow(recurrence: Recurrence, t: number): boolean {
  const today = wallDateAt(t, recurrence.time_zone);
  return [addDays(today, -1), today].some((date) => {
    const window = windowStartingOn(date, recurrence);
    return window !== null && t >= window[0] && t < window[1];
  });
}

/**
 * The windows from the one open at `fromMs` (if any) on, cut to [start, end), in order, windows that
 * touch joined (every day 00:00–00:00 is one stretch): [start, end) pairs in ms.
 */
export function* windowsWithin(recurrence: Recurrence, start: number, end: number, fromMs: number) {
  const zone = recurrence.time_zone;
  const lastDay = dateKey(wallDateAt(end, zone));
  let pending: [number, number] | undefined;
  for (let date = addDays(wallDateAt(fromMs, zone), -1); dateKey(date) <= lastDay; date = addDays(date, 1)) {
    const window = windowStartingOn(date, recurrence);
    if (!window) continue;
    const [from, to] = [Math.max(window[0], start), Math.min(window[1], end)];
    if (to <= from) continue;
    if (pending && from <= pending[1]) {
      pending[1] = Math.max(pending[1], to);
      continue;
    }
    if (pending) yield pending;
    pending = [from, to];
  }
  if (pending) yield pending;
}
