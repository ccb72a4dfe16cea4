/** The OpenAPI description of `GET /api/insights`, with each figure's definition. */
import { InsightsQuerySchema } from "../insights/schema";
import { DEFAULT_DAYS, MAX_DAYS } from "../insights/window";
import { type ApiPaths, invalid, jsonResponse } from "../platform/http/openapi";
import { InsightsSchema } from "./insights-schemas";

/** What each figure counts: the 200 answer's description. */
const DEFINITIONS = [
  `Build and incident health over whole UTC days \`from\` to \`to\` (default the last ${DEFAULT_DAYS} days, at most ${MAX_DAYS}), for every source and job or one (viewer).`,
  "Every incident counts, whatever its kind (failure, missed_build, source_silent); `job` leaves out those without a job.",
  "`per_day`: incidents opened on each day, and incidents resolved on it (whenever opened).",
  "`per_week`: each ISO 8601 week (Monday to Sunday, UTC) the window touches, over the incidents opened in that week and inside the window:",
  "MTTA, opened to acknowledged, over those acknowledged; MTTR, opened to resolved, over those resolved; an incident still open counts in neither; each as a median and a 90th percentile (nearest rank).",
  "`noisiest_by_incidents`: the ten jobs with the most incidents opened in the window; `noisiest_by_failing_builds`: the ten with the most failing builds (finished FAILURE or UNSTABLE) last seen in it; ties by source id, then job.",
  "`red_longest`: the ten jobs failing now (or running after failing builds), by when the first failing build of their current streak was first seen, oldest first; not bound to the window.",
  "`flakiest_tests`: the ten tests with the most flips (failed, then passed by a rebuild at the same commit or by the next build without changes), as `GET /api/flaky-tests` lists them; over every kept build, not bound to the window.",
].join(" ");

export const insightsPaths: ApiPaths = {
  "/api/insights": {
    get: {
      operationId: "getInsights",
      summary:
        "Incidents per day, MTTA and MTTR per ISO week, the noisiest jobs, those red longest and the flakiest tests (viewer)",
      query: InsightsQuerySchema,
      responses: { 200: jsonResponse(DEFINITIONS, "Insights"), 400: invalid },
    },
  },
};

export const insightsSchemas = { Insights: InsightsSchema };
