/**
 * Makes every rejected or deferred webhook delivery visible: one structured log line each (never the
 * token, the URL's query or the body), and a counter (../delivery/rejections.ts).
 */
import { createMiddleware } from "hono/factory";
import { countSourceRejection, countUnattributed } from "../delivery/rejections";
import type { AppEnv } from "../env";
import type { SourceRecord } from "../sources/record";
import { problemSlug } from "./problem";

export const observeDeliveries = () =>
  createMiddleware<AppEnv>(async function observeDeliveries(c, next) {
    await next();
    const status = c.res.status;
    const deferred = status === 202;
    if (!deferred && status < 400) return;
    const source = c.get("source") as SourceRecord | undefined;
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
    const rejection = { at: new Date().toISOString(), status, problem };
    countSourceRejection(c.env.DB, (p) => c.executionCtx.waitUntil(p), source.id, rejection);
  });
