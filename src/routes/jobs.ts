/**
 * /api/jobs (admin): job health, one entry per source and job, with filters and cursor paging; one
 * job; its history (builds, figures, open incidents: {@link jobHistory}); and its heartbeat set by hand, turned off, or back to learning (docs/incidents.md "Heartbeats").
 */
import { Hono } from "hono";
import * as v from "valibot";
import { requestActor } from "../audit/request-actor";
import { JobStateSchema } from "../core/vocabulary";
import type { HeartbeatSetting } from "../heartbeats/rules";
import { jobHistory } from "../incidents/job-history";
import { setHeartbeat } from "../jobs/heartbeat-settings";
import { getJob, listJobs } from "../jobs/store";
import { type AuthEnv, requireRole } from "../people/require-role";
import { parseDuration } from "../platform/duration";
import { PagingEntries, page } from "../platform/http/paging";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { validate } from "../platform/http/validate";

export const JobListQuerySchema = v.object({
  state: v.optional(JobStateSchema),
  source_id: v.optional(v.pipe(v.string(), v.maxLength(64, "at most 64 characters"))),
  ...PagingEntries,
});

export const JobIdParamSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^\d{1,15}$/, "expected a job id"), v.transform(Number)),
});

/** The longest heartbeat interval or grace: a yearly job. */
const MAX_HEARTBEAT = { ms: 366 * 86_400_000, text: "at most 366d" };

/** A duration in the API's form, as milliseconds from `min` up to MAX_HEARTBEAT. */
const Duration = (min: number, minMessage: string, description: string) =>
  v.pipe(
    v.string("expected a string"),
    v.description(description),
    v.check((text) => parseDuration(text) !== undefined, 'expected a duration such as "30m", "6h" or "2d"'),
    v.transform((text) => parseDuration(text) ?? 0),
    v.minValue(min, minMessage),
    v.maxValue(MAX_HEARTBEAT.ms, MAX_HEARTBEAT.text),
  );

/**
 * The body of `PUT /api/jobs/:id/heartbeat`: `{"every": "24h", "grace": "2h"}` (grace optional: half
 * the interval, at least 30m) or `{"off": true}`. DELETE returns the job to learning.
 */
export const HeartbeatChangeSchema = v.pipe(
  v.strictObject({
    every: v.optional(
      Duration(
        5 * 60_000,
        "at least 5m: the cron trigger looks every 5 minutes",
        'How often a build should start: a whole number and m, h or d ("30m", "6h", "2d"), 5m to 366d.',
      ),
    ),
    grace: v.optional(
      Duration(
        0,
        "at least 0m",
        "How late a build may start before it is missed, 0m to 366d; default half of `every`, at least 30m.",
      ),
    ),
    off: v.optional(
      v.pipe(
        v.boolean("expected true or false"),
        v.description("true: no heartbeat (alone: no every or grace)."),
      ),
    ),
  }),
  v.forward(
    v.partialCheck(
      [["every"], ["off"]],
      (input) => input.off === true || input.every !== undefined,
      "is required unless off is true",
    ),
    ["every"],
  ),
  v.forward(
    v.partialCheck(
      [["every"], ["grace"], ["off"]],
      (input) => input.off !== true || (input.every === undefined && input.grace === undefined),
      "cannot be true together with every or grace",
    ),
    ["off"],
  ),
  v.transform(
    (input): HeartbeatSetting =>
      input.off
        ? { mode: "off" }
        : // `every` is there: the check above.
          { mode: "manual", everyMs: input.every as number, graceMs: input.grace ?? null },
  ),
);

export const jobs = new Hono<AuthEnv>();

jobs.use(requireRole("admin"));

jobs.get("/", validate("query", JobListQuerySchema), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const { items, next_cursor } = page(await listJobs(c.env.DB, filters, limit + 1, cursor), limit);
  return c.json({ jobs: items, next_cursor });
});

jobs.all("/", methodNotAllowed("GET"));

const noSuchJob = () => problem(404, { slug: "not-found", title: "Not found", detail: "No such job." });

jobs.get("/:id", validate("param", JobIdParamSchema), async (c) => {
  const job = await getJob(c.env.DB, c.req.valid("param").id);
  if (!job) throw noSuchJob();
  return c.json(job);
});

jobs.all("/:id", methodNotAllowed("GET"));

jobs.get("/:id/history", validate("param", JobIdParamSchema), async (c) => {
  const history = await jobHistory(c.env.DB, c.req.valid("param").id);
  if (!history) throw noSuchJob();
  return c.json(history);
});

jobs.all("/:id/history", methodNotAllowed("GET"));

jobs.put(
  "/:id/heartbeat",
  validate("param", JobIdParamSchema),
  validate("json", HeartbeatChangeSchema),
  async (c) => {
    const job = await setHeartbeat(c.env.DB, c.req.valid("param").id, c.req.valid("json"), requestActor(c));
    if (!job) throw noSuchJob();
    return c.json(job);
  },
);

jobs.delete("/:id/heartbeat", validate("param", JobIdParamSchema), async (c) => {
  const job = await setHeartbeat(c.env.DB, c.req.valid("param").id, { mode: "learning" }, requestActor(c));
  if (!job) throw noSuchJob();
  return c.json(job);
});

jobs.all("/:id/heartbeat", methodNotAllowed("PUT, DELETE"));
