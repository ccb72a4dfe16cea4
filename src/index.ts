/** Composition root: global middleware, one sub-app per resource, the error shape. Nothing else. */
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { dashboard } from "./dashboard/app";
import type { AppEnv } from "./platform/env";
import { noStore } from "./platform/http/no-store";
import { notFound, onError } from "./platform/http/problem";
import { consumeQueue } from "./queues";
import { api } from "./routes/api";
import { health } from "./routes/health";
import { ready } from "./routes/ready";
import { slackActions } from "./routes/slack-actions";
import { slackCommands } from "./routes/slack-commands";
import { webhooks } from "./routes/webhooks";
import { runScheduled } from "./scheduled";

const app = new Hono<AppEnv>();

// Cloudflare's ray id where there is one, so a log line can be matched with the request.
app.use(requestId({ generator: (c) => c.req.header("cf-ray") ?? crypto.randomUUID() }));
app.use(noStore());

app.route("/webhooks/jenkins", webhooks);
// The path ITOC360's own Jenkins guide gives.
app.route("/functions/v1/integrations", webhooks);
app.route("/api", api);
app.route("/integrations/slack/actions", slackActions);
app.route("/integrations/slack/commands", slackCommands);
app.route("/healthz", health);
app.route("/readyz", ready);
app.route("/", dashboard);

app.notFound(notFound);
app.onError(onError);

// Durable Object classes are exported by the main module (wrangler.toml, DESTINATION_SENDER).
export { DestinationSender } from "./notify/sender";

export default {
  fetch: app.fetch,
  queue: consumeQueue,
  scheduled: (controller, env, ctx) =>
    ctx.waitUntil(runScheduled(env, new Date(controller.scheduledTime), controller.cron)),
} satisfies ExportedHandler<Env, unknown>;
