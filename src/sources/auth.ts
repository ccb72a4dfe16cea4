/**
 * Webhook authentication: finds the caller's token, resolves it to an enabled source through the
 * isolate cache and KV, and sets `c.var.source`.
 * - Missing, malformed, unknown, revoked and expired (rotated out, grace over) tokens get the same 401;
 *   malformed ones cost no KV read, and an unknown or revoked one is cached (as unknown) so repeating
 *   it costs none either. A rotated-out token is cached only until its grace ends.
 * - Failed attempts are counted per client IP (AUTH_RATE_LIMITER); past the cap every further failure
 *   from that IP is answered 429 for a minute. A valid, enabled token is always looked up and served,
 *   whatever other tokens failed from the same address (a revoked token still configured on some jobs
 *   of a controller must not take its healthy jobs' alerts down with it). Guessing needs no other
 *   defence: tokens carry 192 random bits.
 * - A KV failure fails closed: 503, nothing stored.
 */
import { createMiddleware } from "hono/factory";
import { nowMs } from "../platform/clock";
import { blockClient, clientIp, isBlockedClient, tooManyRequests } from "../platform/http/client-block";
import { withinLimit } from "../platform/http/limiter";
import { problem } from "../platform/http/problem";
import { sourcesByTokenHash } from "./cache";
import { findSourceByHash, type TokenMatch } from "./lookup";
import type { SourceRecord } from "./model";
import { hashToken, isWellFormedToken } from "./token";

const unauthorized = () =>
  problem(401, {
    slug: "unauthorized",
    title: "Unauthorized",
    detail: "A valid source token is required (?token=, Bearer, X-ITOC360-Token or Basic password).",
    headers: { "WWW-Authenticate": 'Basic realm="itoc360", charset="UTF-8"' },
  });

/** What `requireSource` sets for the handlers after it. */
export interface SourceVariables {
  /** The authenticated webhook source. */
  source: SourceRecord;
  /** The token it presented, kept only to redact it from what is stored. */
  sourceToken: string;
}

export const requireSource = () =>
  createMiddleware<{ Bindings: Env; Variables: SourceVariables }>(async function requireSource(c, next) {
    const ip = clientIp(c.req.raw.headers);
    const token = presentedToken(c.req.raw.headers, c.req.query("token"));
    if (!token || !isWellFormedToken(token)) return rejected(c.env.AUTH_RATE_LIMITER, ip);
    const hash = await hashToken(token);
    let source = sourcesByTokenHash.get(hash);
    if (source === undefined) {
      let match: TokenMatch | null;
      try {
        match = await findSourceByHash(c.env.SOURCES, hash);
      } catch (err) {
        console.error(JSON.stringify({ message: "source lookup failed", error: String(err) }));
        throw problem(503, {
          slug: "source-lookup-unavailable",
          title: "Service unavailable",
          detail: "The source could not be checked; nothing was stored. Retry shortly.",
          headers: { "Retry-After": "5" },
        });
      }
      source = match?.source ?? null;
      sourcesByTokenHash.set(hash, source, nowMs(), match?.until);
    }
    if (!source) return rejected(c.env.AUTH_RATE_LIMITER, ip);
    c.set("source", source);
    c.set("sourceToken", token);
    await next();
  });

/** Counts a failed attempt against the client's IP; 429 once over the cap, else 401. */
async function rejected(limiter: RateLimit, ip: string): Promise<never> {
  if (isBlockedClient(ip)) throw tooManyRequests();
  if (!(await withinLimit(limiter, ip))) {
    blockClient(ip);
    throw tooManyRequests();
  }
  throw unauthorized();
}

/**
 * The token, from (first match wins) `Authorization: Bearer`, the password of `Authorization:
 * Basic` (the plugin sends it for `https://jenkins:<token>@host/…`), `X-ITOC360-Token`, `?token=`.
 */
function presentedToken(headers: Headers, query: string | undefined): string | undefined {
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
