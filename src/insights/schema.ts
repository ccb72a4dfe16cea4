/** What `GET /api/insights` and the Insights page accept: the window's ends and the filters. */
import * as v from "valibot";
import { MAX_DAYS } from "./window";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day in UTC, `YYYY-MM-DD`, that exists (one problem per field: the form, else the day). */
const Day = (description: string) =>
  v.pipe(
    v.string(),
    v.regex(DAY, "expected a day as YYYY-MM-DD"),
    v.check((day) => {
      if (!DAY.test(day)) return true;
      const ms = Date.parse(`${day}T00:00:00Z`);
      return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day);
    }, "expected a day that exists"),
    v.description(description),
  );

export const InsightsQuerySchema = v.object({
  source_id: v.optional(v.pipe(v.string(), v.maxLength(64, "at most 64 characters"))),
  job: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(4096, "at most 4096 characters"),
      v.description("The job's Jenkins full name."),
    ),
  ),
  from: v.optional(
    Day(`The first day (UTC); default 29 days before \`to\`; at most ${MAX_DAYS} days before it.`),
  ),
  to: v.optional(Day("The last day (UTC), included; default today.")),
});

export type InsightsQuery = v.InferOutput<typeof InsightsQuerySchema>;
