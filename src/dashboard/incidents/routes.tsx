/**
 * The dashboard's incident pages: the home page (what needs attention) and its live fragment, the
 * incidents list, one incident, and acknowledging or resolving one (form posts, recorded with the
 * session's display name as `by`, then back to the page they came from).
 */
import { type Context, Hono } from "hono";
import * as v from "valibot";
import { alertsByIds } from "../../alerts/store";
import { requestActor } from "../../audit/request-actor";
import { deploysBefore } from "../../incidents/deploys-before";
import { IncidentActionSchema, IncidentListQuerySchema } from "../../incidents/schema";
import { getIncident, incidentsNeedingAttention, listIncidents } from "../../incidents/store";
import {
  actOnIncident,
  HAND_ACTIONS,
  type HandAction,
  sendNotificationAgain,
} from "../../notify/incident-actions";
import { notificationsOf } from "../../notify/store";
import { isAtLeast } from "../../people/roles";
import { CursorSchema, page as pageOf } from "../../platform/http/paging";
import { listSources } from "../../sources/store";
import { movedAlertsLink } from "../alerts/routes";
import { given, searchJobs } from "../shell/filters";
import { notFoundPage } from "../shell/not-found";
import { type DashboardEnv, nonce, pageFor, signedInPage } from "../shell/page-context";
import { safePath } from "../shell/safe-path";
import { ATTENTION_PATH, AttentionPage } from "./attention-page";
import { IncidentPage } from "./incident-page";
import { IncidentRows } from "./incident-rows";
import { stripsOf } from "./incident-strip";
import { type IncidentsFilters, IncidentsPage } from "./incidents-page";

/** Incidents the home page shows; past it, it links to the full list. */
const ATTENTION_SHOWN = 200;
const PAGE_SIZE = 50;
const ID = ":id{[0-9]{1,15}}";

const { entries } = IncidentListQuerySchema;
/** The list's filters, read with the API's fields; an empty or refused value is simply not applied. */
const ListQuerySchema = v.object({
  state: v.fallback(entries.state, undefined),
  kind: v.fallback(entries.kind, undefined),
  priority: v.fallback(entries.priority, undefined),
  source_id: v.fallback(entries.source_id, undefined),
  job: v.fallback(v.optional(v.pipe(entries.job.wrapped, v.minLength(1))), undefined),
  cursor: v.fallback(v.optional(CursorSchema), undefined),
});

/** The action form's note: the API's `note`; blank is none. */
const NoteSchema = v.pipe(
  v.optional(v.string(), ""),
  v.trim(),
  IncidentActionSchema.entries.note.wrapped,
  v.transform((note) => note || null),
);

/** `?action=` of a Teams card's link: the hand action to show ready; anything else is no action. */
const ReadyActionSchema = v.fallback(
  v.optional(v.picklist(Object.keys(HAND_ACTIONS) as HandAction[])),
  undefined,
);

export const incidentPages = new Hono<DashboardEnv>();

/** Whether the reader may acknowledge and resolve: the forms are shown to responders and admins only. */
const canAct = (c: Context<DashboardEnv>) => isAtLeast(c.get("principal")?.role ?? null, "responder");

incidentPages.get("/", signedInPage, async (c) => {
  const moved = movedAlertsLink(c.req.url);
  if (moved) return c.redirect(moved, 301);
  const rows = await incidentsNeedingAttention(c.env.DB, ATTENTION_SHOWN + 1);
  const incidents = rows.slice(0, ATTENTION_SHOWN);
  return c.html(
    <AttentionPage
      nonce={nonce(c)}
      incidents={incidents}
      more={rows.length > ATTENTION_SHOWN}
      canAct={canAct(c)}
      strips={await stripsOf(c.env.DB, incidents)}
    />,
  );
});

incidentPages.get("/needs-attention/rows", signedInPage, async (c) => {
  const rows = await incidentsNeedingAttention(c.env.DB, ATTENTION_SHOWN);
  const strips = await stripsOf(c.env.DB, rows);
  return c.html(<IncidentRows incidents={rows} back={ATTENTION_PATH} canAct={canAct(c)} strips={strips} />);
});

incidentPages.get("/incidents", signedInPage, async (c) => {
  const { cursor, ...query } = v.parse(ListQuerySchema, given(c.req.query()));
  const filters: IncidentsFilters = Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined),
  );
  const { job, ...equal } = filters;
  const [search, sources] = await Promise.all([searchJobs(c.env.DB, job), listSources(c.env.SOURCES)]);
  const rows =
    search?.jobs.length === 0
      ? []
      : await listIncidents(c.env.DB, { ...equal, jobs: search?.jobs }, PAGE_SIZE + 1, cursor);
  const { items, next_cursor } = pageOf(rows, PAGE_SIZE);
  const url = new URL(c.req.url);
  return c.html(
    <IncidentsPage
      nonce={nonce(c)}
      incidents={items}
      filters={filters}
      search={search}
      sources={sources}
      self={url.pathname + url.search}
      older={cursor !== undefined}
      next={next_cursor}
      canAct={canAct(c)}
      strips={await stripsOf(c.env.DB, items)}
    />,
  );
});

async function incidentPage(c: Context<DashboardEnv>, id: number, error?: string, ready?: HandAction) {
  const found = await getIncident(c.env.DB, id);
  if (!found) return notFoundPage(c, true);
  const [alerts, notifications, strips, deploys] = await Promise.all([
    alertsByIds(c.env.DB, found.incident.alert_ids),
    notificationsOf(c.env.DB, id),
    stripsOf(c.env.DB, [found.incident]),
    deploysBefore(c.env.DB, found.incident),
  ]);
  const page = (
    <IncidentPage
      nonce={nonce(c)}
      incident={found.incident}
      timeline={found.timeline}
      notifications={notifications}
      alerts={alerts}
      strips={strips}
      deploys={deploys}
      signedInAs={c.get("signedInAs") ?? null}
      verified={c.get("principal")?.actor.kind !== "admin-token"}
      canAct={canAct(c)}
      error={error}
      ready={ready}
    />
  );
  return c.html(page, error ? 400 : 200);
}

// A GET never acts: `?action=` only readies the form, and the person still presses its button (CSRF-checked).
incidentPages.get(`/incidents/${ID}`, signedInPage, (c) =>
  incidentPage(c, Number(c.req.param("id")), undefined, v.parse(ReadyActionSchema, c.req.query("action"))),
);

for (const action of ["acknowledge", "resolve"] as const) {
  // Acting twice changes nothing (an acknowledged or resolved incident stays as it is).
  incidentPages.post(`/incidents/${ID}/${action}`, pageFor("responder"), async (c) => {
    const id = Number(c.req.param("id"));
    const form = await c.req.parseBody();
    const note = v.safeParse(NoteSchema, form.note);
    if (!note.success) return incidentPage(c, id, `Note: ${note.issues[0]?.message ?? "invalid"}.`);
    const who = { actor: requestActor(c), note: note.output };
    if (!(await actOnIncident(c, id, action, who))) return notFoundPage(c, true);
    return c.redirect(safePath(form.back, `/incidents/${id}`), 303);
  });
}

// "Send again": the same row, pending again with a fresh schedule and the same webhook-id.
incidentPages.post(
  `/incidents/${ID}/notifications/${ID.replace("id", "notification")}/send`,
  pageFor("responder"),
  async (c) => {
    const id = Number(c.req.param("id"));
    const notification = Number(c.req.param("notification"));
    await sendNotificationAgain(c, id, notification, requestActor(c));
    return c.redirect(`/incidents/${id}`, 303);
  },
);
