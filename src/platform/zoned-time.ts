/**
 * Wall-clock time in IANA time zones ↔ UTC instants, through Intl.DateTimeFormat (the runtime's own
 * time zone data: no tz database of ours to keep current), and strict parsing of the timestamps the
 * API and the dashboard's forms accept.
 *
 * A wall time that does not exist (the hour skipped when clocks spring forward) is read with the
 * offset in force before the gap, so it moves forward by the gap's length (02:30 → 03:30 in Berlin);
 * one that happens twice (the hour repeated when clocks fall back) is its first occurrence. That is
 * what iCalendar (RFC 5545 §3.3.5) and Temporal's `disambiguation: "compatible"` do.
 */

/** A date and a time of day on a wall clock, in no particular zone (`month` 1–12). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export type WallDate = Pick<WallTime, "year" | "month" | "day">;

const DAY_MS = 86_400_000;

// Formatters are plain values (no I/O), so one per zone is kept for the isolate's life; only zones
// Intl accepted get here, so the map stays as small as the zone list.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The zone's canonical name when Intl knows it as an IANA zone, else undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  // Intl also takes UTC offsets ("+01:00"), which are no zone: they know nothing of summer time.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return undefined;
  try {
    return formatter(name).resolvedOptions().timeZone;
  } catch {
    return undefined; // RangeError: not a time zone
  }
}

/** The wall clock in `timeZone` at the instant `ms`, to the second. */
function wallAt(ms: number, timeZone: string): WallTime & { second: number } {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) fields[part.type] = Number(part.value);
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

/** `wall` read as if it were UTC, in ms (years below 100 kept as they are). */
function asUtc({ year, month, day, hour, minute }: WallTime, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The zone's offset from UTC at the instant `ms` (wall minus UTC), in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const wall = wallAt(ms, timeZone);
  return asUtc(wall, wall.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a wall time in `timeZone` stands for, in ms (gaps and repeats as the header says). The
 * offsets a day either side bracket any transition near it: zones change offset at most once a day.
 */
export function wallToUtc(wall: WallTime, timeZone: string): number {
  const local = asUtc(wall);
  const before = local - offsetAt(local - DAY_MS, timeZone);
  const after = local - offsetAt(local + DAY_MS, timeZone);
  const holds = (instant: number) => instant + offsetAt(instant, timeZone) === local;
  const beforeHolds = holds(before);
  const afterHolds = holds(after);
  if (beforeHolds && afterHolds) return Math.min(before, after); // repeated: the first one
  if (afterHolds) return after;
  return before; // it holds, or the wall time is in a gap: read with the offset before it
}

/** The date on the wall clock in `timeZone` at the instant `ms`. */
export function wallDateAt(ms: number, timeZone: string): WallDate {
  const { year, month, day } = wallAt(ms, timeZone);
  return { year, month, day };
}

export function addDays(date: WallDate, days: number): WallDate {
  const moved = new Date(asUtc({ ...date, hour: 12, minute: 0 }) + days * DAY_MS);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** 0 for Monday … 6 for Sunday. */
export function isoWeekdayIndex(date: WallDate): number {
  return (new Date(asUtc({ ...date, hour: 12, minute: 0 })).getUTCDay() + 6) % 7;
}

/** A sortable number for a date (20250329). */
export const dateKey = ({ year, month, day }: WallDate) => year * 10_000 + month * 100 + day;

const daysInMonth = (year: number, month: number) =>
  new Date(asUtc({ year, month: month + 1, day: 0, hour: 0, minute: 0 })).getUTCDate();

function wallFields(match: RegExpExecArray): WallTime | undefined {
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59) return undefined;
  return { year, month, day, hour, minute };
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 / ISO 8601 timestamp with its zone (`Z` or `±hh:mm`) → epoch ms; undefined for any
 * other text and for dates that do not exist (Feb 30, 24:00, a leap second). Digits past the
 * millisecond are dropped.
 */
export function parseInstant(text: string): number | undefined {
  const match = INSTANT.exec(text);
  if (!match) return undefined;
  const wall = wallFields(match);
  const second = Number(match[6] ?? 0);
  const [offsetHours, offsetMinutes] = [Number(match[10] ?? 0), Number(match[11] ?? 0)];
  if (!wall || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const millis = Number((match[7] ?? "").padEnd(3, "0").slice(0, 3));
  const offset = (match[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return asUtc(wall, second) + millis - offset;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::00(?:\.0+)?)?$/;

/** An `<input type="datetime-local">` value ("2025-03-29T22:00") → its wall time. */
export function parseWallTime(text: string): WallTime | undefined {
  const match = LOCAL.exec(text);
  return match ? wallFields(match) : undefined;
}

/** "HH:MM" (00:00–23:59) → minutes after midnight. */
export function minutesOfDay(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}
