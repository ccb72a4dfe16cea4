/**
 * /api/insights (viewer): incidents opened and resolved per day, MTTA and MTTR per ISO week, the noisiest
 * jobs and the jobs red longest, over a window of days (the figures: {@link perDay}, {@link perWeek},
 * {@link noisiest}, {@link redLongest}).
 */
import { Hono } from "hono";
import { InsightsQuerySchema } from "../insights/schema";
import { insightsOf } from "../insights/store";
import { insightWindow } from "../insights/window";
import { type AuthEnv, requireRole } from "../people/require-role";
import { nowMs } from "../platform/clock";
import { methodNotAllowed } from "../platform/http/problem";
import { invalidRequest, validate } from "../platform/http/validate";

export const insights = new Hono<AuthEnv>();

insights.use(requireRole("admin", "viewer"));

insights.get("/", validate("query", InsightsQuerySchema), async (c) => {
  const { from, to, ...filters } = c.req.valid("query");
  const at = nowMs();
  const window = insightWindow({ from, to }, at);
  if ("message" in window) throw invalidRequest("query", [window]);
  return c.json(await insightsOf(c.env.DB, window, filters, at));
});

insights.all("/", methodNotAllowed("GET"));
