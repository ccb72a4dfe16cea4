/**
 * The dashboard, served by the same Worker: sign-in, what needs attention (live, the home page),
 * incidents, alerts (live), one alert's timeline, jobs, insights, sources, dead letters, silences, destinations, the audit log, and a 404 page for
 * browsers. Server-rendered with Hono's JSX; the only scripts are the live lists' poller, the one that
 * shows times in the reader's time zone, and the sign-in page's secure-context check. Every route attaches its page
 * middleware itself (./shell/page-context.ts): a usable ADMIN_TOKEN (503 otherwise), form posts form-typed,
 * at most 16 KiB and CSRF-checked, a strict CSP with a per-response nonce, and the session where it
 * is needed. JSX escapes every payload-derived string.
 */
import { Hono } from "hono";
import { alertPages } from "./alerts/routes";
import { auditPages } from "./audit/routes";
import { deadLetterPages } from "./dead-letters/routes";
import { destinationPages } from "./destinations/routes";
import { incidentPages } from "./incidents/routes";
import { insightPages } from "./insights/routes";
import { jobPages } from "./jobs/routes";
import { peoplePages } from "./people/routes";
import { browserNavigation, notFoundPage } from "./shell/not-found";
import { type DashboardEnv, page } from "./shell/page-context";
import { hasSession } from "./shell/session";
import { signIn } from "./shell/sign-in";
import { silencePages } from "./silences/routes";
import { slackLinkPages } from "./slack/routes";
import { policyPages } from "./sources/policy-routes";
import { sourcePages } from "./sources/routes";

export const dashboard = new Hono<DashboardEnv>();

dashboard.route("/", signIn);
dashboard.route("/", incidentPages);
dashboard.route("/", alertPages);
dashboard.route("/", sourcePages);
dashboard.route("/", policyPages);
dashboard.route("/", deadLetterPages);
dashboard.route("/", silencePages);
dashboard.route("/", peoplePages);
dashboard.route("/", destinationPages);
dashboard.route("/", auditPages);
dashboard.route("/", slackLinkPages);
dashboard.route("/", jobPages);
dashboard.route("/", insightPages);

// Last: any other address a browser navigates to (mounted at "/", after the API and webhooks).
dashboard.get("*", browserNavigation(), page, async (c) => notFoundPage(c, await hasSession(c)));
