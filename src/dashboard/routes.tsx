/**
 * The dashboard, served by the same Worker: sign-in, alerts (live), one alert's timeline, jobs,
 * sources. Server-rendered with Hono's JSX; the only script is the alerts page's poller. Every route
 * attaches its page middleware itself (./page-context.ts): a usable ADMIN_TOKEN (503 otherwise),
 * form posts form-typed, at most 16 KiB and CSRF-checked, a strict CSP with a per-response nonce,
 * and the session where it is needed. JSX escapes every payload-derived string.
 */
import { Hono } from "hono";
import { jobsByUrgency } from "../db/jobs";
import { alertPages } from "./alert-routes";
import { JobsPage } from "./jobs-page";
import { type DashboardEnv, nonce, signedInPage } from "./page-context";
import { signIn } from "./sign-in";
import { sourcePages } from "./source-routes";

export const dashboard = new Hono<DashboardEnv>();

dashboard.route("/", signIn);
dashboard.route("/", alertPages);
dashboard.route("/", sourcePages);

dashboard.get("/jobs", signedInPage, async (c) =>
  c.html(<JobsPage nonce={nonce(c)} jobs={await jobsByUrgency(c.env.DB, 200)} />),
);
