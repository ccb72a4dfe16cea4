/**
 * The admin API, mounted at /api: one sub-app per resource, and the OpenAPI document describing them
 * (test/routes/openapi.test.ts reads this app's routes to check the document covers every one).
 */
import { Hono } from "hono";
import type { AppEnv } from "../platform/env";
import { alerts } from "./alerts";
import { audit } from "./audit";
import { deadLetters } from "./dead-letters";
import { destinations } from "./destinations";
import { flakyTests } from "./flaky-tests";
import { incidents } from "./incidents";
import { insights } from "./insights";
import { jobs } from "./jobs";
import { openapi } from "./openapi";
import { people } from "./people";
import { silences } from "./silences";
import { sources } from "./sources";
import { stats } from "./stats";
import { tokens } from "./tokens";

export const api = new Hono<AppEnv>()
  .route("/sources", sources)
  .route("/alerts", alerts)
  .route("/incidents", incidents)
  .route("/jobs", jobs)
  .route("/insights", insights)
  .route("/flaky-tests", flakyTests)
  .route("/stats", stats)
  .route("/dead-letters", deadLetters)
  .route("/silences", silences)
  .route("/destinations", destinations)
  .route("/people", people)
  .route("/tokens", tokens)
  .route("/audit", audit)
  .route("/openapi.json", openapi);
