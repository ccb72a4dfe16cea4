/**
 * What `GET /api/jobs/:id/history` answers, as valibot schemas for the OpenAPI document and
 * test/routes/api-answers.test.ts, like ./schemas.ts. The figures are defined by {@link jobFigures}.
 */
import * as v from "valibot";
import { IncidentKindSchema, IncidentStateSchema, PrioritySchema } from "../core/vocabulary";
import { BUILD_RESULTS, HISTORY_BUILDS } from "../jobs/history";
import { Integer, JobSchema, Timestamp } from "./schemas";

const Rate = v.pipe(
  v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  v.description(
    "Red (FAILURE, UNSTABLE) builds among red and green ones first heard of in the window; null with none.",
  ),
);
const Ms = (description: string) => v.pipe(v.nullable(Integer), v.description(description));

export const HistoryBuildSchema = v.object({
  alert_id: Integer,
  build_number: Integer,
  status: v.pipe(v.nullable(v.string()), v.description("Jenkins' result; null while the build runs.")),
  finished: v.boolean(),
  result: v.picklist(BUILD_RESULTS),
  duration_ms: v.nullable(Integer),
  at: v.pipe(Timestamp, v.description("When the endpoint first heard of the build.")),
});

export const JobHistorySchema = v.object({
  job: JobSchema,
  builds: v.pipe(
    v.array(HistoryBuildSchema),
    v.description(`The newest ${HISTORY_BUILDS} builds, newest first.`),
  ),
  figures: v.object({
    failure_rate_7d: Rate,
    failure_rate_30d: Rate,
    time_to_green: v.pipe(
      v.object({
        streaks: Integer,
        mean_ms: Ms("Mean time from a streak's first red build to the green build that ended it."),
        median_ms: Ms("Median of the same."),
        red_since_build: v.pipe(
          v.nullable(Integer),
          v.description("The first red build of the streak still red, if the job is red now."),
        ),
      }),
      v.description("Over the builds first heard of in the last 30 days, in build-number order."),
    ),
    median_duration_ms: Ms("Median duration of the finished builds among `builds`."),
  }),
  open_incidents: v.array(
    v.object({
      id: Integer,
      kind: IncidentKindSchema,
      state: IncidentStateSchema,
      priority: PrioritySchema,
      opened_at: Timestamp,
    }),
  ),
  deploys: v.pipe(
    v.array(
      v.object({
        alert_id: Integer,
        job: v.string(),
        job_path: v.string(),
        build_number: Integer,
        finished_at: v.pipe(Timestamp, v.description("When its green build was received.")),
      }),
    ),
    v.description(
      "The source's deploys (green builds of its policy's `deploy_jobs`) that finished since the oldest of `builds`, newest first, at most 20: the markers on the job's duration trend.",
    ),
  ),
});
