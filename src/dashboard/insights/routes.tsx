/** The Insights page (viewer), filtered in the URL like `GET /api/insights`. */
import { Hono } from "hono";
import * as v from "valibot";
import { InsightsQuerySchema } from "../../insights/schema";
import { insightsOf } from "../../insights/store";
import { type InsightWindow, insightWindow } from "../../insights/window";
import { nowMs } from "../../platform/clock";
import { given } from "../shell/filters";
import { type DashboardEnv, nonce, pageFor } from "../shell/page-context";
import { InsightsPage } from "./insights-page";

export const insightPages = new Hono<DashboardEnv>();

insightPages.get("/insights", pageFor("viewer"), async (c) => {
  const at = nowMs();
  const parsed = v.safeParse(InsightsQuerySchema, given(c.req.query()));
  const { from, to, ...filters } = parsed.success ? parsed.output : {};
  const window = insightWindow({ from, to }, at);
  // A filter the API would refuse: say why, and show the default window for every source and job.
  const problem = !parsed.success
    ? `${parsed.issues.map((issue) => `${v.getDotPath(issue) ?? "query"}: ${issue.message}`).join("; ")}.`
    : "message" in window
      ? `${window.path}: ${window.message}.`
      : null;
  const shown = problem ? (insightWindow({}, at) as InsightWindow) : (window as InsightWindow);
  const applied = problem ? {} : filters;
  return c.html(
    <InsightsPage
      nonce={nonce(c)}
      insights={await insightsOf(c.env.DB, shown, applied, at)}
      filters={applied}
      problem={problem}
    />,
  );
});
