/**
 * /api/incidents (admin): incidents newest first with filters and cursor paging; one incident with its
 * timeline, notifications and the deploys before it; acknowledge and resolve by hand (both idempotent).
 */
import { Hono } from "hono";
import * as v from "valibot";
import { requestActor } from "../audit/request-actor";
import { deploysBefore } from "../incidents/deploys-before";
import { IncidentActionSchema, IncidentListQuerySchema } from "../incidents/schema";
import { getIncident, listIncidents } from "../incidents/store";
import { toApiIncident } from "../incidents/view";
import { actOnIncident, sendNotificationAgain } from "../notify/incident-actions";
import { notificationsOf } from "../notify/store";
import { type AuthEnv, requireRole } from "../people/require-role";
import { page } from "../platform/http/paging";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { validate } from "../platform/http/validate";

const Id = (what: string) =>
  v.pipe(v.string(), v.regex(/^\d{1,15}$/, `expected ${what} id`), v.transform(Number));

export const IncidentIdParamSchema = v.object({ id: Id("an incident") });

export const NotificationParamSchema = v.object({
  id: Id("an incident"),
  notification: Id("a notification"),
});

export const incidents = new Hono<AuthEnv>();

incidents.use(requireRole("responder"));

incidents.get("/", validate("query", IncidentListQuerySchema), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const { items, next_cursor } = page(await listIncidents(c.env.DB, filters, limit + 1, cursor), limit);
  return c.json({ incidents: items.map(toApiIncident), next_cursor });
});

incidents.all("/", methodNotAllowed("GET"));

incidents.get("/:id", validate("param", IncidentIdParamSchema), async (c) => {
  return c.json(await incidentWithTimeline(c.env.DB, c.req.valid("param").id));
});

incidents.all("/:id", methodNotAllowed("GET"));

for (const action of ["acknowledge", "resolve"] as const) {
  const path = `/:id/${action}`;
  incidents.post(
    path,
    validate("param", IncidentIdParamSchema),
    validate("json", IncidentActionSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      // A typed `by` is still accepted, but the timeline names the verified actor.
      const { note } = c.req.valid("json");
      if (!(await actOnIncident(c, id, action, { actor: requestActor(c), note: note ?? null })))
        throw notFound();
      return c.json(await incidentWithTimeline(c.env.DB, id));
    },
  );
  incidents.all(path, methodNotAllowed("POST"));
}

incidents.post(
  "/:id/notifications/:notification/send",
  validate("param", NotificationParamSchema),
  async (c) => {
    const { id, notification } = c.req.valid("param");
    if (!(await sendNotificationAgain(c, id, notification, requestActor(c)))) {
      throw problem(404, {
        slug: "not-found",
        title: "Not found",
        detail: "No such notification of this incident, or it is still being sent.",
      });
    }
    return c.json({ id: notification, state: "pending" }, 202);
  },
);
incidents.all("/:id/notifications/:notification/send", methodNotAllowed("POST"));

async function incidentWithTimeline(db: D1Database, id: number) {
  const found = await getIncident(db, id);
  if (!found) throw notFound();
  const [notifications, deploys] = await Promise.all([
    notificationsOf(db, id),
    deploysBefore(db, found.incident),
  ]);
  return {
    ...toApiIncident(found.incident),
    timeline: found.timeline,
    notifications,
    deploys_before: deploys,
  };
}

const notFound = () => problem(404, { slug: "not-found", title: "Not found", detail: "No such incident." });
