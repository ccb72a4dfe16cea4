/** /api/alerts (admin): alerts newest first with filters and cursor paging; one alert's timeline. */
import { Hono } from "hono";
import * as v from "valibot";
import { type AlertRow, type EventRow, getAlert, listAlerts } from "../db/alerts";
import { PHASES } from "../domain/notification";
import { xmlToDocument } from "../domain/xml";
import type { AppEnv } from "../env";
import { requireAdmin } from "../http/admin-auth";
import { PagingEntries, page } from "../http/paging";
import { methodNotAllowed, problem } from "../http/problem";
import { validate } from "../http/validate";

const ListQuerySchema = v.object({
  job: v.optional(v.pipe(v.string(), v.maxLength(4096, "at most 4096 characters"))),
  kind: v.optional(v.picklist(["ALERT", "RESOLVE"], "expected ALERT or RESOLVE")),
  priority: v.optional(v.picklist(["HIGH", "MEDIUM", "LOW"], "expected HIGH, MEDIUM or LOW")),
  phase: v.optional(v.picklist(PHASES, `expected one of ${PHASES.join(", ")}`)),
  state: v.optional(
    v.picklist(["open", "resolved", "stale", "quiet"], "expected open, resolved, stale or quiet"),
  ),
  source_id: v.optional(v.pipe(v.string(), v.maxLength(64, "at most 64 characters"))),
  ...PagingEntries,
});

const IdParamSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^\d{1,15}$/, "expected an alert id"), v.transform(Number)),
});

export const alerts = new Hono<AppEnv>();

alerts.use(requireAdmin());

alerts.get("/", validate("query", ListQuerySchema), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  // One row more than asked tells whether there is a next page.
  const { items, next_cursor } = page(await listAlerts(c.env.DB, filters, limit + 1, cursor), limit);
  return c.json({ alerts: items.map(toApiAlert), next_cursor });
});

alerts.all("/", methodNotAllowed("GET"));

alerts.get("/:id", validate("param", IdParamSchema), async (c) => {
  const found = await getAlert(c.env.DB, c.req.valid("param").id);
  if (!found) throw problem(404, { slug: "not-found", title: "Not found", detail: "No such alert." });
  return c.json({ ...toApiAlert(found.alert), events: found.events.map(toApiEvent) });
});

alerts.all("/:id", methodNotAllowed("GET"));

export function toApiAlert({ commit_sha, culprits, test_summary, flapping, ...row }: AlertRow) {
  return {
    ...row,
    provider: "jenkins",
    commit: commit_sha,
    flapping: flapping === 1,
    culprits: culprits ? (JSON.parse(culprits) as string[]) : null,
    test_summary: test_summary ? (JSON.parse(test_summary) as unknown) : null,
  };
}

function toApiEvent({ body, body_truncated, ...row }: EventRow) {
  const payload = row.body_format === "xml" ? xmlToDocument(body) : (JSON.parse(body) as unknown);
  return { ...row, body_truncated: body_truncated === 1, payload };
}
