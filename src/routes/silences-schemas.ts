/**
 * What /api/silences answers (src/routes/silences.ts: SilenceView, src/silences/rules.ts), as valibot
 * schemas for the OpenAPI document and test/routes/api-answers.test.ts, like ./schemas.ts.
 */
import * as v from "valibot";
import { WEEKDAYS } from "../silences/recurrence";
import { SilenceStatusSchema } from "../silences/rules";
import { Integer, NextCursor, Timestamp } from "./schemas";

export const SilenceRecurrenceSchema = v.object({
  days: v.array(v.picklist(WEEKDAYS)),
  from: v.pipe(v.string(), v.description('Local time "HH:MM" each window starts at.')),
  to: v.pipe(v.string(), v.description('Local time "HH:MM" it ends at: the next day when not after `from`.')),
  time_zone: v.pipe(v.string(), v.description("The IANA time zone of `from` and `to`.")),
});

export const SilenceSchema = v.object({
  id: Integer,
  match: v.object({
    source_id: v.nullable(v.string()),
    job: v.nullable(v.pipe(v.string(), v.description("A glob over the job path as displayed."))),
    branch: v.nullable(v.pipe(v.string(), v.description("A glob over the branch name."))),
  }),
  starts_at: Timestamp,
  ends_at: Timestamp,
  recurrence: v.nullable(SilenceRecurrenceSchema),
  comment: v.string(),
  created_by: v.nullable(v.string()),
  created_at: Timestamp,
  ended_at: v.pipe(v.nullable(Timestamp), v.description("When DELETE ended it early.")),
  status: SilenceStatusSchema,
  silencing: v.pipe(
    v.boolean(),
    v.description("Whether it silences right now (a recurring one: in a window)."),
  ),
  next_change: v.pipe(
    v.nullable(Timestamp),
    v.description("When `silencing` next changes; null: never again."),
  ),
});

export const SilenceListSchema = v.object({ silences: v.array(SilenceSchema), next_cursor: NextCursor });
