/**
 * Durations as people write them in policies, heartbeats and rotations: a whole number and one unit,
 * `s`, `m`, `h` or `d` ("90s", "30m", "6h", "2d"). One unit only: "1h30m" is "90m". Days are 24 h
 * (no calendar, no time zone).
 */
import * as v from "valibot";

export const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** Up to 7 digits: 9,999,999 days is far past any bound, and still a safe integer of milliseconds. */
const DURATION = /^(\d{1,7})([smhd])$/;

/** The duration's milliseconds, or undefined when it is not one ("6 h", "1.5h", "-1h", "6H"). */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, amount = "", unit = ""] = match;
  return Number(amount) * UNIT_MS[unit as Unit];
}

/** A duration's milliseconds, for durations already validated; throws a RangeError otherwise. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new RangeError("not a duration");
  return ms;
}

/** "15 minutes", "30 days", "1 hour": a bound as the messages below say it. */
export function describeMs(ms: number): string {
  const [unit, size] =
    ms % UNIT_MS.d === 0
      ? ["day", UNIT_MS.d]
      : ms % UNIT_MS.h === 0
        ? ["hour", UNIT_MS.h]
        : ms % UNIT_MS.m === 0
          ? ["minute", UNIT_MS.m]
          : ["second", UNIT_MS.s];
  const count = ms / size;
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/**
 * A duration string between `min` and `max` (ms, inclusive), kept as written ("6h" stays "6h": what
 * the API answers is what was sent); `durationMs` turns it into milliseconds where it is used.
 */
export function durationSchema(min: number, max: number) {
  return v.pipe(
    v.string("expected a string"),
    v.regex(DURATION, 'expected a duration such as "30m", "6h" or "2d" (a number and s, m, h or d)'),
    v.check((text) => (parseDuration(text) ?? min) >= min, `at least ${describeMs(min)}`),
    v.check((text) => (parseDuration(text) ?? max) <= max, `at most ${describeMs(max)}`),
    v.description(`A number and s, m, h or d, from ${describeMs(min)} to ${describeMs(max)}.`),
  );
}
