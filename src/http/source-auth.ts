/**
 * Webhook authentication: finds the caller's token, resolves it to an enabled source through the
 * isolate cache and KV, and sets `c.var.source`. Missing, malformed, unknown and disabled tokens get
 * the same 401; a KV failure fails closed with 503.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { cachedLookup } from "../sources/cache";
import { findSourceByHash } from "../sources/store";
import { hashToken, isWellFormedToken } from "../sources/token";
import { problem } from "./problem";

const unauthorized = () =>
  problem(401, {
    slug: "unauthorized",
    title: "Unauthorized",
    detail: "A valid source token is required (?token=, Bearer, X-ITOC360-Token or Basic password).",
    headers: { "WWW-Authenticate": 'Basic realm="itoc360", charset="UTF-8"' },
  });

export const requireSource = () =>
  createMiddleware<AppEnv>(async function requireSource(c, next) {
    const token = presentedToken(c.req.raw.headers, c.req.query("token"));
    if (!token || !isWellFormedToken(token)) throw unauthorized();
    const hash = await hashToken(token);
    let source: Awaited<ReturnType<typeof findSourceByHash>>;
    try {
      source = await cachedLookup(hash, () => findSourceByHash(c.env.SOURCES, hash));
    } catch (err) {
      console.error(JSON.stringify({ message: "source lookup failed", error: String(err) }));
      throw problem(503, {
        slug: "source-lookup-unavailable",
        title: "Service unavailable",
        detail: "The source could not be checked; nothing was stored. Retry shortly.",
        headers: { "Retry-After": "5" },
      });
    }
    if (!source || source.disabled) throw unauthorized();
    c.set("source", source);
    c.set("sourceToken", token);
    await next();
  });

/**
 * The token, from (first match wins) `Authorization: Bearer`, the password of `Authorization:
 * Basic` (the plugin sends it for `https://jenkins:<token>@host/…`), `X-ITOC360-Token`, `?token=`.
 */
export function presentedToken(headers: Headers, query: string | undefined): string | undefined {
  const authorization = headers.get("Authorization");
  if (authorization) {
    const [scheme, credentials = ""] = authorization.trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() === "bearer") return credentials;
    if (scheme?.toLowerCase() === "basic") return basicPassword(credentials);
  }
  return headers.get("X-ITOC360-Token")?.trim() || query || undefined;
}

function basicPassword(credentials: string): string | undefined {
  let decoded: string;
  try {
    decoded = atob(credentials);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  // The plugin sends URL userinfo still percent-encoded; our tokens never need encoding anyway.
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}
