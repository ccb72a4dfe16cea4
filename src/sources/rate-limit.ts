/**
 * A source's budget and ceiling (wrangler.toml `[[ratelimits]]`, per location and approximate).
 * Within the budget a delivery is written at once; past it, it is marked `overBudget` and the webhook
 * defers it to the queue (202), whose consumer meters the write rate into D1: a burst is deferred,
 * never refused. Only past the hard ceiling (asked only for deliveries over the budget) is it refused
 * with 429, which Jenkins does not retry: that stops a runaway, and is counted and logged. If a
 * limiter itself fails, the delivery goes through (../platform/http/limiter.ts).
 */
import { createMiddleware } from "hono/factory";
import { tooManyRequests } from "../platform/http/client-block";
import { withinLimit } from "../platform/http/limiter";
import type { SourceVariables } from "./auth";

/** What `meterSource` sets: whether the delivery is over its source's budget (and so deferred). */
export interface MeterVariables {
  overBudget: boolean;
}

export const meterSource = () =>
  createMiddleware<{ Bindings: Env; Variables: SourceVariables & MeterVariables }>(
    async function meterSource(c, next) {
      const key = c.var.source.id;
      const withinBudget = await withinLimit(c.env.SOURCE_RATE_LIMITER, key);
      if (!withinBudget && !(await withinLimit(c.env.SOURCE_CEILING_LIMITER, key))) {
        throw tooManyRequests("This source is over its hard delivery ceiling; retry later.");
      }
      c.set("overBudget", !withinBudget);
      await next();
    },
  );
