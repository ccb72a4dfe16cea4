/**
 * The body of `POST /api/silences`, which the dashboard's form is read into too: every rule a new
 * silence must meet, with the field each refusal names. Times are kept as UTC ISO strings
 * (`toISOString`), so they compare as text in SQL.
 */
import * as v from "valibot";
import { expectedOneOf } from "../core/vocabulary";
import { nowMs } from "../platform/clock";
import { GlobBoundsSchema, MAX_GLOB_LENGTH } from "../platform/glob";
import { canonicalTimeZone, minutesOfDay, parseInstant } from "../platform/zoned-time";
import { SourceIdSchema } from "../sources/model";
import { WEEKDAYS } from "./recurrence";
import { type SilenceSpan, silencesAnything } from "./rules";

export const MAX_COMMENT_LENGTH = 1000;
export const MAX_CREATED_BY_LENGTH = 100;
/** The longest silence: a year, a leap year's included. */
const MAX_SILENCE_DAYS = 366;

const GlobSchema = v.pipe(
  v.string("expected a string"),
  v.description(
    'A glob: `*` within a segment, `**` across segments, `?` one character (docs/incidents.md "Globs").',
  ),
  v.minLength(1, "must not be empty"),
  v.maxLength(MAX_GLOB_LENGTH, `at most ${MAX_GLOB_LENGTH} characters`),
  GlobBoundsSchema,
);

const InstantSchema = v.pipe(
  v.string("expected a string"),
  v.description("ISO 8601 date and time with its zone (`Z` or `±hh:mm`)."),
  v.check(
    (text) => parseInstant(text) !== undefined,
    "expected an ISO 8601 date and time with its zone, such as 2025-03-29T22:00:00Z or 2025-03-29T23:00:00+01:00",
  ),
  v.transform((text) => new Date(parseInstant(text) as number).toISOString()),
);

const TimeOfDaySchema = v.pipe(
  v.string("expected a string"),
  v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day "HH:MM", from 00:00 to 23:59'),
);

const TimeZoneSchema = v.pipe(
  v.string("expected a string"),
  v.description("An IANA time zone (Europe/Berlin, America/New_York, UTC)."),
  v.check(
    (name) => canonicalTimeZone(name) !== undefined,
    "expected an IANA time zone, such as Europe/Berlin",
  ),
  v.transform((name) => canonicalTimeZone(name) as string),
);

const RecurrenceSchema = v.object({
  days: v.pipe(
    v.array(v.picklist(WEEKDAYS, expectedOneOf(WEEKDAYS)), "expected a list of days"),
    v.minLength(1, "expected at least one day"),
    v.check((days) => new Set(days).size === days.length, "lists a day twice"),
    // The week's order, whatever order they were given in.
    v.transform((days) => WEEKDAYS.filter((day) => days.includes(day))),
  ),
  from: TimeOfDaySchema,
  to: TimeOfDaySchema,
  time_zone: TimeZoneSchema,
});

const Text = (max: number) =>
  v.pipe(
    v.string("expected a string"),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(max, `at most ${max} characters`),
  );

const span = (input: { starts_at: string; ends_at: string; recurrence?: SilenceSpan["recurrence"] }) => ({
  starts_at: input.starts_at,
  ends_at: input.ends_at,
  ended_at: null,
  recurrence: input.recurrence ?? null,
});
const lengthMs = (input: { starts_at: string; ends_at: string }) =>
  Date.parse(input.ends_at) - Date.parse(input.starts_at);
const MAX_LENGTH_MS = MAX_SILENCE_DAYS * 86_400_000;
/** A span the checks above accept (so the window search below stays within a year of days). */
const spanOk = (input: { starts_at: string; ends_at: string }) =>
  lengthMs(input) > 0 && lengthMs(input) <= MAX_LENGTH_MS;

/**
 * A recurrence whose times are valid. Validation actions leave the object typed, so the checks below
 * also run when `from` or `to` was refused: they must not judge a recurrence by a time already refused.
 */
const hasTimes = (recurrence: { from: string; to: string } | null | undefined) =>
  !!recurrence && minutesOfDay(recurrence.from) !== undefined && minutesOfDay(recurrence.to) !== undefined;

export const NewSilenceSchema = v.pipe(
  v.strictObject({
    match: v.strictObject({
      source_id: v.optional(SourceIdSchema),
      job: v.optional(GlobSchema),
      branch: v.optional(GlobSchema),
    }),
    starts_at: InstantSchema,
    ends_at: InstantSchema,
    comment: Text(MAX_COMMENT_LENGTH),
    recurrence: v.nullish(RecurrenceSchema),
    created_by: v.optional(Text(MAX_CREATED_BY_LENGTH)),
  }),
  // Each runs once the fields it reads are valid (a refused time is no longer typed), and names the
  // field to change.
  v.forward(
    v.check((input) => lengthMs(input) > 0, "must be after starts_at"),
    ["ends_at"],
  ),
  v.forward(
    v.check((input) => lengthMs(input) <= MAX_LENGTH_MS, `at most ${MAX_SILENCE_DAYS} days after starts_at`),
    ["ends_at"],
  ),
  v.forward(
    v.check((input) => Date.parse(input.ends_at) > nowMs(), "must be in the future"),
    ["ends_at"],
  ),
  v.forward(
    v.check(
      (input) => !spanOk(input) || !hasTimes(input.recurrence) || silencesAnything(span(input)),
      "no window falls between starts_at and ends_at",
    ),
    ["recurrence"],
  ),
);

export type NewSilence = v.InferOutput<typeof NewSilenceSchema>;
