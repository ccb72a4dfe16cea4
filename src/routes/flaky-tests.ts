/**
 * /api/flaky-tests (viewer): per (source, job, test) the failures and flips of the tests that proved
 * flaky, most flips first (docs/incidents.md "Flaky tests"), with filters and cursor paging.
 */
import { Hono } from "hono";
import * as v from "valibot";
import { listFlakyTests } from "../flaky/store";
import { type AuthEnv, requireRole } from "../people/require-role";
import { encodeCursor } from "../platform/http/cursor";
import { PagingEntries } from "../platform/http/paging";
import { methodNotAllowed } from "../platform/http/problem";
import { validate } from "../platform/http/validate";

export const FlakyTestListQuerySchema = v.object({
  source_id: v.optional(v.pipe(v.string(), v.maxLength(64, "at most 64 characters"))),
  job: v.optional(
    v.pipe(v.string(), v.maxLength(1024, "at most 1024 characters"), v.description("The job's stored name.")),
  ),
  ...PagingEntries,
});

export const flakyTests = new Hono<AuthEnv>();

flakyTests.use(requireRole("viewer"));

flakyTests.get("/", validate("query", FlakyTestListQuerySchema), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  // The list is ordered by counts, not by id: its cursor holds the place of the next page's first test.
  const offset = cursor ?? 0;
  const rows = await listFlakyTests(c.env.DB, filters, limit + 1, offset);
  return c.json({
    flaky_tests: rows.slice(0, limit),
    next_cursor: rows.length > limit ? encodeCursor(offset + limit) : null,
  });
});

flakyTests.all("/", methodNotAllowed("GET"));
