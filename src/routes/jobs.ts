/** /api/jobs (admin): job health, one entry per source and job, with filters and cursor paging. */
import { Hono } from "hono";
import * as v from "valibot";
import { listJobs } from "../db/jobs";
import { JobStateSchema } from "../domain/vocabulary";
import type { AppEnv } from "../env";
import { requireAdmin } from "../http/admin-auth";
import { PagingEntries, page } from "../http/paging";
import { methodNotAllowed } from "../http/problem";
import { validate } from "../http/validate";

export const JobListQuerySchema = v.object({
  state: v.optional(JobStateSchema),
  source_id: v.optional(v.pipe(v.string(), v.maxLength(64, "at most 64 characters"))),
  ...PagingEntries,
});

export const jobs = new Hono<AppEnv>();

jobs.use(requireAdmin());

jobs.get("/", validate("query", JobListQuerySchema), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const { items, next_cursor } = page(await listJobs(c.env.DB, filters, limit + 1, cursor), limit);
  return c.json({ jobs: items, next_cursor });
});

jobs.all("/", methodNotAllowed("GET"));
