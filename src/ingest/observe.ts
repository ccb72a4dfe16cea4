/**
 * Makes every rejected or deferred webhook delivery visible: one structured log line each (never the
 * token, the URL's query or the body), and a counter (./rejections.ts).
 */
import { createMiddleware } from "hono/factory";
import { nowIso } from "../platform/clock";
import type { AppEnv } from "../platform/env";
import { problemSlug } from "../platform/http/problem";
import type { SourceVariables } from "../sources/auth";
import type { DeferReason } from "./message";
import { countSourceRejection, countUnattributed } from "./rejections";

/** What the webhook's handler sets when it defers a delivery, for the log line. */
export interface OutcomeVariables {
  deferReason?: DeferReason;
}

type ObservedEnv = {
  Bindings: Env;
  Variables: AppEnv["Variables"] & Partial<SourceVariables> & OutcomeVariables;
};

export const observeDeliveries = () =>
  createMiddleware<ObservedEnv>(async function observeDeliveries(c, next) {
    await next();
    const status = c.res.status;
    const deferred = status === 202;
    if (!deferred && status < 400) return;
    // Unset when the delivery was refused before its token was known good.
    const source = c.get("source");
    const problem = deferred ? (c.get("deferReason") ?? "deferred") : problemSlug(c.error);
    console.log(
      JSON.stringify({
        event: deferred ? "delivery_deferred" : "delivery_rejected",
        status,
        problem,
        source_id: source?.id ?? null,
        request_id: c.get("requestId"),
      }),
    );
    if (deferred) return;
    if (!source) return countUnattributed(problem);
    const rejection = { at: nowIso(), status, problem };
    countSourceRejection(c.env.DB, (p) => c.executionCtx.waitUntil(p), source.id, rejection);
  });
