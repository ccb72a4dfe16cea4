/**
 * The dashboard's alert pages: the list (`/alerts`, filters in the URL; it was the home page, and
 * links made then still lead to it), its live fragment, one alert.
 */
import { Hono } from "hono";
import * as v from "valibot";
import { AlertFilterFields } from "../../alerts/schema";
import { alertsByIds, getAlert, listAlerts } from "../../alerts/store";
import { CursorSchema, page as pageOf } from "../../platform/http/paging";
import { listSources } from "../../sources/store";
import { given, searchJobs } from "../shell/filters";
import { notFoundPage } from "../shell/not-found";
import { type DashboardEnv, nonce, signedInPage } from "../shell/page-context";
import { AlertPage } from "./alert-page";
import { AlertRows } from "./alert-rows";
import { type AlertsFilters, AlertsPage } from "./alerts-page";

const PAGE_SIZE = 50;

/** The filters the page offers; an empty value, or one the API would refuse, is simply not applied. */
const PageQuerySchema = v.object({
  state: v.fallback(v.optional(AlertFilterFields.state), undefined),
  priority: v.fallback(v.optional(AlertFilterFields.priority), undefined),
  source_id: v.fallback(v.optional(AlertFilterFields.source_id), undefined),
  job: v.fallback(v.optional(v.pipe(AlertFilterFields.job, v.minLength(1))), undefined),
  cursor: v.fallback(v.optional(CursorSchema), undefined),
});

/** The live fragment's query: alerts newer than `after`, and the current rows of `ids`. */
const LiveQuerySchema = v.object({
  ...PageQuerySchema.entries,
  after: v.fallback(
    v.pipe(v.optional(v.string(), "0"), v.transform(Number), v.safeInteger(), v.minValue(0)),
    0,
  ),
  ids: v.fallback(
    v.pipe(
      v.optional(v.string(), ""),
      v.transform((list) => list.split(",").map(Number)),
      v.transform((ids) => ids.filter((id) => Number.isSafeInteger(id) && id > 0)),
    ),
    [],
  ),
});

/**
 * Where a link to the alerts list from when it was the home page (`/?state=open`) now leads, or
 * null when `url` is no such link.
 */
export function movedAlertsLink(url: string): string | null {
  const { search, searchParams } = new URL(url);
  const isAlertsQuery = Object.keys(PageQuerySchema.entries).some((name) => searchParams.has(name));
  return isAlertsQuery ? `/alerts${search}` : null;
}

function filtersOf({ state, priority, source_id, job }: AlertsFilters): AlertsFilters {
  const filters = { state, priority, source_id, job };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

/** The listing's rows for the page's filters; none without a query when the job search found no job. */
async function alertsFor(
  db: D1Database,
  filters: AlertsFilters,
  limit: number,
  before?: number,
  after?: number,
) {
  const { job, ...equal } = filters;
  const search = await searchJobs(db, job);
  if (search?.jobs.length === 0) return { rows: [], search };
  const rows = await listAlerts(db, { ...equal, jobs: search?.jobs }, limit, before, after);
  return { rows, search };
}

export const alertPages = new Hono<DashboardEnv>();

alertPages.get("/alerts", signedInPage, async (c) => {
  const query = v.parse(PageQuerySchema, given(c.req.query()));
  const filters = filtersOf(query);
  const [{ rows, search }, sources] = await Promise.all([
    alertsFor(c.env.DB, filters, PAGE_SIZE + 1, query.cursor),
    listSources(c.env.SOURCES),
  ]);
  const { items, next_cursor } = pageOf(rows, PAGE_SIZE);
  return c.html(
    <AlertsPage
      nonce={nonce(c)}
      alerts={items}
      filters={filters}
      search={search}
      sources={sources}
      older={query.cursor !== undefined}
      next={next_cursor}
    />,
  );
});

alertPages.get("/alerts/rows", signedInPage, async (c) => {
  const query = v.parse(LiveQuerySchema, given(c.req.query()));
  const [{ rows: fresh }, shown] = await Promise.all([
    alertsFor(c.env.DB, filtersOf(query), PAGE_SIZE, undefined, query.after),
    alertsByIds(c.env.DB, query.ids),
  ]);
  return c.html(<AlertRows alerts={[...fresh, ...shown]} />);
});

alertPages.get("/alerts/:id{[0-9]{1,15}}", signedInPage, async (c) => {
  const found = await getAlert(c.env.DB, Number(c.req.param("id")));
  if (!found) return notFoundPage(c, true);
  return c.html(<AlertPage nonce={nonce(c)} alert={found.alert} events={found.events} />);
});
