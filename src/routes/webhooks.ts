/**
 * POST /webhooks/jenkins (also mounted at /functions/v1/integrations): one Notification-plugin
 * delivery → authenticated, metered, validated, classified, then stored (200 with its alert) or
 * deferred to the queue (202). The plugin ignores our status codes and never resends a refused
 * delivery, so nothing is acknowledged before D1 or the queue holds it, nothing invalid or
 * unauthenticated is ever queued, and every rejection or deferral is logged and counted.
 */
import { Hono } from "hono";
import { bodyFormat } from "../core/parse";
import { redactSecrets } from "../core/stored-body";
import { acceptBody } from "../ingest/accept";
import { isBusy, maxDeliveriesInFlight } from "../ingest/load";
import type { DeferReason } from "../ingest/message";
import { type OutcomeVariables, observeDeliveries } from "../ingest/observe";
import { StoreError, storeOrDefer } from "../ingest/store-or-defer";
import { enqueueEntries } from "../notify/outbox";
import { nowIso } from "../platform/clock";
import type { AppEnv } from "../platform/env";
import { limitBody, mediaType, readUtf8, requireMediaType } from "../platform/http/body";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { requireSource } from "../sources/auth";
import { meterSource } from "../sources/rate-limit";
import { TOKEN_PREFIX } from "../sources/token";

export const webhooks = new Hono<{ Bindings: Env; Variables: AppEnv["Variables"] & OutcomeVariables }>();

webhooks.use("/", observeDeliveries());

webhooks.post(
  "/",
  requireSource(),
  meterSource(),
  requireMediaType(["application/json", "application/xml", "text/xml"]),
  limitBody(),
  async (c) => {
    const { text: raw, bytes } = await readUtf8(c.req);
    const token = c.var.sourceToken;
    // Redacted before anything is parsed, cut or derived (see redactSecrets).
    const text = redactSecrets(raw, [token, token.slice(TOKEN_PREFIX.length)]);
    const format = bodyFormat(mediaType(c.req.header("Content-Type")), text);
    const accepted = acceptBody({ text, bytes, format }, { quietLifecycle: c.var.source.quiet_lifecycle });
    if (!accepted.ok) {
      throw problem(400, {
        slug: "invalid-payload",
        title: "Invalid payload",
        detail: "The body is not a Jenkins Notification-plugin document; see `errors`.",
        errors: accepted.problems,
      });
    }
    const { event, stored } = accepted;
    const defer: DeferReason | null = c.var.overBudget
      ? "over-budget"
      : isBusy(maxDeliveriesInFlight(c.env))
        ? "busy"
        : null;
    const delivery = { source: c.var.source, event, stored, receivedAt: nowIso() };
    let persisted: Awaited<ReturnType<typeof storeOrDefer>>;
    try {
      persisted = await storeOrDefer(c.env, delivery, { defer });
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      throw problem(503, {
        slug: "storage-unavailable",
        title: "Service unavailable",
        detail: "The event could not be stored. Retry shortly.",
        headers: { "Retry-After": "5" },
      });
    }
    const { kind, priority } = event;
    if (persisted.queued) {
      c.set("deferReason", persisted.reason);
      return c.json({ alert_id: null, kind, priority, duplicate: null, queued: true }, 202);
    }
    // Notifications leave after the answer, within this request (the sweep catches what does not).
    c.executionCtx.waitUntil(enqueueEntries(c.env, persisted.timeline));
    return c.json({ alert_id: persisted.alertId, kind, priority, duplicate: persisted.duplicate });
  },
);

webhooks.all("/", methodNotAllowed("POST"));
