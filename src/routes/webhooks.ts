/**
 * POST /webhooks/jenkins (also mounted at /functions/v1/integrations): one Notification-plugin
 * delivery → authenticated, validated, classified, stored, acknowledged. The plugin ignores our
 * status codes, so nothing is acknowledged before D1 holds it.
 */
import { Hono } from "hono";
import { PersistError, type Persisted, persistDelivery } from "../delivery/persist";
import { toBuildEvent } from "../domain/build-event";
import { bodyFormat, parseNotification } from "../domain/parse";
import { redactToken, storedBody } from "../domain/stored-body";
import type { AppEnv } from "../env";
import { limitBody, mediaType, readUtf8, requireMediaType } from "../http/body";
import { methodNotAllowed, problem } from "../http/problem";
import { requireSource } from "../http/source-auth";
import { limitPerSource } from "../http/source-rate-limit";

export const webhooks = new Hono<AppEnv>();

webhooks.post(
  "/",
  requireSource(),
  limitPerSource(),
  requireMediaType(["application/json", "application/xml", "text/xml"]),
  limitBody(),
  async (c) => {
    const { text, bytes } = await readUtf8(c);
    const parsed = parseNotification(text, bodyFormat(mediaType(c.req.header("Content-Type")), text));
    if (!parsed.ok) {
      throw problem(400, {
        slug: "invalid-payload",
        title: "Invalid payload",
        detail: "The body is not a Jenkins Notification-plugin document; see `errors`.",
        errors: parsed.problems,
      });
    }
    const event = toBuildEvent(parsed.notification, { quietLifecycle: c.var.source.quiet_lifecycle });
    let persisted: Persisted;
    try {
      persisted = await persistDelivery(c.env, {
        source: c.var.source,
        event,
        stored: redactToken(storedBody(text, bytes, parsed.document, parsed.format), c.var.sourceToken),
        receivedAt: new Date().toISOString(),
      });
    } catch (err) {
      if (!(err instanceof PersistError)) throw err;
      throw problem(503, {
        slug: "storage-unavailable",
        title: "Service unavailable",
        detail: "The event could not be stored. Retry shortly.",
        headers: { "Retry-After": "5" },
      });
    }
    const { kind, priority } = event;
    if (persisted.queued)
      return c.json({ alert_id: null, kind, priority, duplicate: null, queued: true }, 202);
    return c.json({ alert_id: persisted.alertId, kind, priority, duplicate: persisted.duplicate });
  },
);

webhooks.all("/", methodNotAllowed("POST"));
