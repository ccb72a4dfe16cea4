/**
 * Per-source rate limit (SOURCE_RATE_LIMITER, configured in wrangler.toml): 429 with Retry-After
 * past it, so one runaway Jenkins cannot crowd out the others. If the limiter itself fails, the
 * delivery goes through: losing an alert is worse than letting a burst in.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { tooManyRequests } from "./client-block";

export const limitPerSource = () =>
  createMiddleware<AppEnv>(async function limitPerSource(c, next) {
    let allowed = true;
    try {
      ({ success: allowed } = await c.env.SOURCE_RATE_LIMITER.limit({ key: c.var.source.id }));
    } catch (err) {
      console.error(JSON.stringify({ message: "source rate limiter failed", error: String(err) }));
    }
    if (!allowed) throw tooManyRequests("This source is over its delivery rate; retry later.");
    await next();
  });
