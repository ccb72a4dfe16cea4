/**
 * POST /webhooks/jenkins (also mounted at /functions/v1/integrations): one Notification-plugin
 * delivery → authenticated, validated, classified, stored, acknowledged. The plugin ignores our
 * status codes, so nothing is acknowledged before D1 holds it.
 */
import { Hono } from "hono";
import { recordDelivery } from "../db/ingest";
import { toBuildEvent } from "../domain/build-event";
import { parseNotification } from "../domain/parse";
import { redactToken, storedBody } from "../domain/stored-body";
import type { AppEnv } from "../env";
import { limitBody, readUtf8, requireMediaType } from "../http/body";
import { methodNotAllowed, problem } from "../http/problem";
import { requireSource } from "../http/source-auth";

export const webhooks = new Hono<AppEnv>();

webhooks.post("/", requireSource(), requireMediaType(["application/json"]), limitBody(), async (c) => {
  const { text, bytes } = await readUtf8(c);
  const parsed = parseNotification(text);
  if (!parsed.ok) {
    throw problem(400, {
      slug: "invalid-payload",
      title: "Invalid payload",
      detail: "The body is not a Jenkins Notification-plugin JSON document; see `errors`.",
      errors: parsed.problems,
    });
  }
  const event = toBuildEvent(parsed.notification);
  let stored: Awaited<ReturnType<typeof recordDelivery>>;
  try {
    stored = await recordDelivery(c.env.DB, {
      source: c.var.source,
      event,
      stored: redactToken(storedBody(text, bytes, parsed.document), c.var.sourceToken),
      receivedAt: new Date().toISOString(),
    });
  } catch (err) {
    console.error(JSON.stringify({ message: "storing a delivery failed", error: String(err) }));
    throw problem(503, {
      slug: "storage-unavailable",
      title: "Service unavailable",
      detail: "The event could not be stored. Retry shortly.",
      headers: { "Retry-After": "5" },
    });
  }
  return c.json({
    alert_id: stored.alertId,
    kind: event.kind,
    priority: event.priority,
    duplicate: stored.duplicate,
  });
});

webhooks.all("/", methodNotAllowed("POST"));
