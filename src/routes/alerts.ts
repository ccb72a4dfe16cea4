/** /api/alerts (admin): alerts newest first with filters and cursor paging; one alert's timeline. */
import { Hono } from "hono";
import * as v from "valibot";
import { type AlertRow, type EventRow, getAlert, listAlerts } from "../db/alerts";
import { PHASES } from "../domain/notification";
import type { AppEnv } from "../env";
import { requireAdmin } from "../http/admin-auth";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { methodNotAllowed, problem } from "../http/problem";
import { validate } from "../http/validate";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

const ListQuerySchema = v.object({
  job: v.optional(v.pipe(v.string(), v.maxLength(4096, "at most 4096 characters"))),
  kind: v.optional(v.picklist(["ALERT", "RESOLVE"], "expected ALERT or RESOLVE")),
  priority: v.optional(v.picklist(["HIGH", "MEDIUM", "LOW"], "expected HIGH, MEDIUM or LOW")),
  phase: v.optional(v.picklist(PHASES, `expected one of ${PHASES.join(", ")}`)),
  source_id: v.optional(v.pipe(v.string(), v.maxLength(64, "at most 64 characters"))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, `expected a whole number from 1 to ${MAX_LIMIT}`),
      v.transform(Number),
      v.minValue(1, `expected a whole number from 1 to ${MAX_LIMIT}`),
      v.maxValue(MAX_LIMIT, `expected a whole number from 1 to ${MAX_LIMIT}`),
    ),
    String(DEFAULT_LIMIT),
  ),
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.check((cursor) => decodeCursor(cursor) !== undefined, "expected a next_cursor from an earlier page"),
      v.transform((cursor) => decodeCursor(cursor) as number),
    ),
  ),
});

const IdParamSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^\d{1,15}$/, "expected an alert id"), v.transform(Number)),
});

export const alerts = new Hono<AppEnv>();

alerts.use(requireAdmin());

alerts.get("/", validate("query", ListQuerySchema), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  // One row more than asked tells whether there is a next page.
  const rows = await listAlerts(c.env.DB, filters, limit + 1, cursor);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return c.json({
    alerts: page.map(toApiAlert),
    next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  });
});

alerts.all("/", methodNotAllowed("GET"));

alerts.get("/:id", validate("param", IdParamSchema), async (c) => {
  const found = await getAlert(c.env.DB, c.req.valid("param").id);
  if (!found) throw problem(404, { slug: "not-found", title: "Not found", detail: "No such alert." });
  return c.json({ ...toApiAlert(found.alert), events: found.events.map(toApiEvent) });
});

alerts.all("/:id", methodNotAllowed("GET"));

function toApiAlert({ commit_sha, ...row }: AlertRow) {
  return { ...row, provider: "jenkins", commit: commit_sha };
}

function toApiEvent({ body, body_truncated, ...row }: EventRow) {
  return { ...row, body_truncated: body_truncated === 1, payload: JSON.parse(body) as unknown };
}
