/** Composition root: global middleware, one sub-app per resource, the error shape. Nothing else. */
import { Hono } from "hono";
import { dashboard } from "./dashboard/routes";
import type { Delivery } from "./db/ingest";
import { markStaleAlerts } from "./db/stale";
import { consumeDeliveries } from "./delivery/consumer";
import type { AppEnv } from "./env";
import { noStore } from "./http/no-store";
import { notFound, onError } from "./http/problem";
import { alerts } from "./routes/alerts";
import { health } from "./routes/health";
import { jobs } from "./routes/jobs";
import { sources } from "./routes/sources";
import { webhooks } from "./routes/webhooks";

const app = new Hono<AppEnv>();

app.use(noStore());

app.route("/webhooks/jenkins", webhooks);
// The path ITOC360's own Jenkins guide gives.
app.route("/functions/v1/integrations", webhooks);
app.route("/api/sources", sources);
app.route("/api/alerts", alerts);
app.route("/api/jobs", jobs);
app.route("/healthz", health);
app.route("/", dashboard);

app.notFound(notFound);
app.onError(onError);

export default {
  fetch: app.fetch,
  queue: consumeDeliveries,
  scheduled: (controller, env, ctx) =>
    ctx.waitUntil(markStaleAlerts(env, new Date(controller.scheduledTime))),
} satisfies ExportedHandler<Env, Delivery>;
