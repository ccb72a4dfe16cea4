/** /api/alerts (admin): alerts newest first with filters and cursor paging; one alert's timeline. */
import { Hono } from "hono";
import * as v from "valibot";
import { AlertFilterFields } from "../alerts/schema";
import { getAlert, listAlerts } from "../alerts/store";
import { toApiAlert, toApiEvent } from "../alerts/view";
import { type AuthEnv, requireRole } from "../people/require-role";
import { PagingEntries, page } from "../platform/http/paging";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { validate } from "../platform/http/validate";

const filter = AlertFilterFields;
export const AlertListQuerySchema = v.object({
  job: v.optional(filter.job),
  kind: v.optional(filter.kind),
  priority: v.optional(filter.priority),
  phase: v.optional(filter.phase),
  state: v.optional(filter.state),
  source_id: v.optional(filter.source_id),
  ...PagingEntries,
});

export const AlertIdParamSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^\d{1,15}$/, "expected an alert id"), v.transform(Number)),
});

export const alerts = new Hono<AuthEnv>();

alerts.use(requireRole("admin"));

alerts.get("/", validate("query", AlertListQuerySchema), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  // One row more than asked tells whether there is a next page.
  const { items, next_cursor } = page(await listAlerts(c.env.DB, filters, limit + 1, cursor), limit);
  return c.json({ alerts: items.map(toApiAlert), next_cursor });
});

alerts.all("/", methodNotAllowed("GET"));

alerts.get("/:id", validate("param", AlertIdParamSchema), async (c) => {
  const found = await getAlert(c.env.DB, c.req.valid("param").id);
  if (!found) throw problem(404, { slug: "not-found", title: "Not found", detail: "No such alert." });
  return c.json({ ...toApiAlert(found.alert), events: found.events.map(toApiEvent) });
});

alerts.all("/:id", methodNotAllowed("GET"));
