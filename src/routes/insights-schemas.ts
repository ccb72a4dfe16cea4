/** What `GET /api/insights` answers ({@link Insights}), for the OpenAPI document and the answer tests. */
import * as v from "valibot";
import { FlakyTestSchema } from "./flaky-tests-schemas";
import { Integer, Timestamp } from "./schemas";

const Day = v.pipe(v.string(), v.isoDate());
const Ms = v.nullable(Integer);

const SpreadSchema = v.object({
  count: Integer,
  median_ms: v.pipe(Ms, v.description("The median in milliseconds; null when count is 0.")),
  p90_ms: v.pipe(
    Ms,
    v.description("The 90th percentile (nearest rank) in milliseconds; null when count is 0."),
  ),
});

const JobNameEntries = {
  job_id: v.pipe(v.nullable(Integer), v.description("The job's id (GET /api/jobs/{id}), when it has a row.")),
  source_id: v.string(),
  source_name: v.string(),
  job: v.string(),
  job_display_name: v.string(),
};

const JobCountSchema = v.object({ ...JobNameEntries, count: Integer });

export const InsightsSchema = v.object({
  from: Day,
  to: Day,
  per_day: v.array(v.object({ day: Day, opened: Integer, resolved: Integer })),
  per_week: v.array(
    v.object({
      week: v.pipe(v.string(), v.description("The ISO 8601 week, UTC: `2027-W02`.")),
      starts: v.pipe(Day, v.description("Its Monday.")),
      mtta: SpreadSchema,
      mttr: SpreadSchema,
    }),
  ),
  noisiest_by_incidents: v.array(JobCountSchema),
  noisiest_by_failing_builds: v.array(JobCountSchema),
  red_longest: v.array(
    v.object({
      ...JobNameEntries,
      failing_since_build: Integer,
      failing_streak: Integer,
      red_since: Timestamp,
      red_for_ms: Integer,
    }),
  ),
  flakiest_tests: v.array(FlakyTestSchema),
});
