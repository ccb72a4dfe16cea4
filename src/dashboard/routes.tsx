/**
 * The dashboard, served by the same Worker: sign-in, alerts (live), one alert's timeline, jobs,
 * sources. Server-rendered with Hono's JSX; the only script is the alerts page's poller. Every page
 * needs a usable ADMIN_TOKEN (503 otherwise), every form post is form-typed, at most 16 KiB and
 * CSRF-checked, every page carries a strict CSP with a per-response nonce, and JSX escapes every
 * payload-derived string.
 */
import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { NONCE, secureHeaders } from "hono/secure-headers";
import * as v from "valibot";
import { alertsByIds, getAlert, listAlerts } from "../db/alerts";
import { jobsByUrgency, lastEventBySource } from "../db/jobs";
import { statsBySource } from "../db/source-stats";
import { requireUsableAdminToken } from "../http/admin-token";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { isSourceId } from "../http/source-id";
import { createSource, revokeSource } from "../sources/manage";
import { SourceNameSchema } from "../sources/record";
import { listSources } from "../sources/store";
import { AlertPage } from "./alert-page";
import { AlertRows } from "./alert-rows";
import { type AlertsFilters, AlertsPage } from "./alerts-page";
import { formPosts } from "./form-posts";
import { JobsPage } from "./jobs-page";
import { type DashboardEnv, nonce } from "./page-context";
import { requireSession } from "./session";
import { signIn } from "./sign-in";
import { RevokePage, SourceCreatedPage, SourcesPage } from "./source-pages";

export const dashboard = new Hono<DashboardEnv>();

/** The page paths; the Worker's API and webhook paths never get page middleware. */
const PAGES = ["/", "/login", "/logout", "/alerts/*", "/jobs", "/sources", "/sources/*"];
const SIGNED_IN = ["/", "/alerts/*", "/jobs", "/sources", "/sources/*"];

const securePage = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: [NONCE],
    imgSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: "same-origin",
});
for (const path of PAGES) dashboard.use(path, securePage, requireUsableAdminToken(), formPosts(), csrf());
for (const path of SIGNED_IN) dashboard.use(path, requireSession());

const PAGE_SIZE = 50;

const FILTERS = {
  state: v.picklist(["open", "resolved", "stale", "quiet"]),
  priority: v.picklist(["HIGH", "MEDIUM", "LOW"]),
  source_id: v.pipe(v.string(), v.maxLength(64)),
  job: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
};

/** The filters in the query string; empty or unknown values are simply not applied. */
function filtersOf(query: Record<string, string>): AlertsFilters {
  const filters: Record<string, string> = {};
  for (const [key, schema] of Object.entries(FILTERS)) {
    const value = query[key];
    if (value && v.is(schema, value)) filters[key] = value;
  }
  return filters;
}

dashboard.route("/", signIn);

dashboard.get("/", async (c) => {
  const filters = filtersOf(c.req.query());
  const before = decodeCursor(c.req.query("cursor") ?? "");
  const [rows, sources] = await Promise.all([
    listAlerts(c.env.DB, filters, PAGE_SIZE + 1, before),
    listSources(c.env.SOURCES),
  ]);
  const alerts = rows.slice(0, PAGE_SIZE);
  const older = rows.length > PAGE_SIZE ? encodeCursor(alerts.at(-1)?.id ?? 0) : null;
  return c.html(
    <AlertsPage nonce={nonce(c)} alerts={alerts} filters={filters} sources={sources} older={older} />,
  );
});

/** The live fragment: alerts newer than `after`, and the current rows of `ids`. */
dashboard.get("/alerts/rows", async (c) => {
  const filters = filtersOf(c.req.query());
  const after = Number(c.req.query("after")) || 0;
  const ids = (c.req.query("ids") ?? "")
    .split(",")
    .map(Number)
    .filter((id) => Number.isSafeInteger(id) && id > 0);
  const [fresh, shown] = await Promise.all([
    listAlerts(c.env.DB, filters, PAGE_SIZE, undefined, after),
    alertsByIds(c.env.DB, ids),
  ]);
  return c.html(<AlertRows alerts={[...fresh, ...shown]} />);
});

dashboard.get("/alerts/:id{[0-9]{1,15}}", async (c) => {
  const found = await getAlert(c.env.DB, Number(c.req.param("id")));
  if (!found) return c.notFound();
  return c.html(<AlertPage nonce={nonce(c)} alert={found.alert} events={found.events} />);
});

dashboard.get("/jobs", async (c) =>
  c.html(<JobsPage nonce={nonce(c)} jobs={await jobsByUrgency(c.env.DB, 200)} />),
);

async function sourcesPage(c: Context<DashboardEnv>, error?: string) {
  const [sources, lastEvents, stats] = await Promise.all([
    listSources(c.env.SOURCES),
    lastEventBySource(c.env.DB),
    statsBySource(c.env.DB),
  ]);
  return c.html(
    <SourcesPage
      nonce={nonce(c)}
      sources={sources.reverse()}
      lastEvents={lastEvents}
      stats={stats}
      error={error}
    />,
    error ? 400 : 200,
  );
}

dashboard.get("/sources", (c) => sourcesPage(c));

dashboard.post("/sources", async (c) => {
  const form = await c.req.parseBody();
  const name = v.safeParse(SourceNameSchema, form.name);
  if (!name.success) return sourcesPage(c, `Name: ${name.issues[0]?.message ?? "invalid"}.`);
  const created = await createSource(
    c.env.SOURCES,
    { name: name.output, quiet_lifecycle: form.quiet_lifecycle === "true" },
    new URL(c.req.url).origin,
  );
  return c.html(
    <SourceCreatedPage
      nonce={nonce(c)}
      source={created.record}
      webhookUrl={created.webhookUrl}
      basicUrl={created.basicUrl}
    />,
    201,
  );
});

// An id that is not a source id goes back to the list, like an unknown or revoked one.
dashboard.get("/sources/:id/revoke", async (c) => {
  const id = c.req.param("id");
  const source = isSourceId(id) && (await listSources(c.env.SOURCES)).find((s) => s.id === id && !s.disabled);
  if (!source) return c.redirect("/sources", 303);
  return c.html(<RevokePage nonce={nonce(c)} source={source} />);
});

dashboard.post("/sources/:id/revoke", async (c) => {
  const id = c.req.param("id");
  if (isSourceId(id)) await revokeSource(c.env.SOURCES, id);
  return c.redirect("/sources", 303);
});
