/**
 * Who is calling, from what a request carries (src/people/require-role.ts and the dashboard's pages decide
 * what they may do):
 * - `Authorization: Bearer itoc_pat_…`: a personal API token (D1, so a revoked one stops at once);
 * - `Authorization: Bearer <ADMIN_TOKEN>`: the break-glass admin, compared in constant time; while
 *   Cloudflare Access is configured every such request is recorded in the audit log as such;
 * - `Cf-Access-Jwt-Assertion` (only with Access configured): a person or service token Access verified.
 * A bearer that matches nothing spends the client's failure budget (`admin:<ip>` on AUTH_RATE_LIMITER):
 * past it the isolate answers 429 for the limiter's window before comparing anything, so there even the
 * right token tells a guesser nothing.
 */
import type { Context } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { type Actor, ADMIN_TOKEN_ACTOR } from "../audit/actor";
import { recordAudit } from "../audit/entry";
import { isUsableAdminToken } from "../platform/http/admin-token";
import { blockClient, clientIp, isBlockedClient, tooManyRequests } from "../platform/http/client-block";
import { withinLimit } from "../platform/http/limiter";
import { problem } from "../platform/http/problem";
import { type AccessIdentity, accessConfigured, verifyAccessAssertion } from "./access";
import type { Principal } from "./principal";
import { roleOf } from "./role-store";
import { looksLikePersonalToken } from "./token";
import { findLiveToken, tokenRole, touchToken } from "./token-store";

/** What authentication reads of a request's context (any Hono env with the Worker's bindings). */
export type AuthContext = Pick<Context<{ Bindings: Env }>, "env" | "req" | "executionCtx">;

export const ACCESS_HEADER = "Cf-Access-Jwt-Assertion";

/** 401 in general terms: which check failed is logged, never answered. */
export const unauthorized = (detail: string) =>
  problem(401, {
    slug: "unauthorized",
    title: "Unauthorized",
    detail,
    headers: { "WWW-Authenticate": 'Bearer realm="itoc360"' },
  });

export const ACCESS_REFUSED = "The Cloudflare Access assertion could not be verified; sign in again.";

const budgetKey = (c: AuthContext) => `admin:${clientIp(c.req.raw.headers)}`;

const actor = (c: AuthContext, kind: Actor["kind"], name: string): Actor => ({
  kind,
  name,
  ip: c.req.header("CF-Connecting-IP") ?? null,
});

/** 429 for a client past its failure budget, before any token is compared. */
export function refuseBlockedClient(c: AuthContext): void {
  if (isBlockedClient(budgetKey(c))) throw tooManyRequests();
}

/** Spends one failure of the client's budget; 429 (and the isolate's memory of it) once it is gone. */
export async function countFailure(c: AuthContext): Promise<void> {
  const key = budgetKey(c);
  if (await withinLimit(c.env.AUTH_RATE_LIMITER, key)) return;
  blockClient(key);
  throw tooManyRequests();
}

/** The principal a bearer token stands for, or null when it is no live token. */
export async function principalFromBearer(c: AuthContext, bearer: string): Promise<Principal | null> {
  if (looksLikePersonalToken(bearer)) {
    const token = await findLiveToken(c.env.DB, bearer);
    if (!token) return null;
    c.executionCtx.waitUntil(touchToken(c.env.DB, token.id).catch(() => undefined));
    const name = `${token.name} (${token.created_by})`;
    return { actor: actor(c, "token", name), role: tokenRole(c.env, token), onBehalfOf: token.created_by };
  }
  if (!isUsableAdminToken(c.env.ADMIN_TOKEN) || !(await timingSafeEqual(bearer, c.env.ADMIN_TOKEN)))
    return null;
  const principal: Principal = { actor: actor(c, "admin-token", ADMIN_TOKEN_ACTOR), role: "admin" };
  if (accessConfigured(c.env)) {
    // Break-glass: with Access in front, the shared token is the exception, and every use is on record.
    // Should D1 be down the request goes ahead (it can change nothing in D1 then either), logged.
    const target = `${c.req.method} ${new URL(c.req.url).pathname}`;
    await recordAudit(c.env.DB, { actor: principal.actor, action: "admin_token.used", target }).catch((err) =>
      console.error(
        JSON.stringify({ event: "audit_write_failed", action: "admin_token.used", error: String(err) }),
      ),
    );
  }
  return principal;
}

/** The principal an Access identity stands for (its role from D1 and ADMINS; null role without one). */
export async function principalFromAccess(c: AuthContext, who: AccessIdentity): Promise<Principal> {
  const role = await roleOf(c.env.DB, c.env, who);
  return { actor: actor(c, who.kind, who.name), role, groups: who.groups };
}

/** The verified Access identity the request carries; null without an assertion; 401 with a bad one. */
export async function accessIdentity(c: AuthContext): Promise<AccessIdentity | null> {
  const assertion = c.req.header(ACCESS_HEADER);
  if (!assertion || !accessConfigured(c.env)) return null;
  const who = await verifyAccessAssertion(c.env, assertion);
  if (!who) throw unauthorized(ACCESS_REFUSED);
  return who;
}

/** `Authorization: Bearer <token>`'s token, or null without one. */
export function bearerOf(c: AuthContext): string | null {
  const match = /^Bearer +([^\s]+) *$/i.exec(c.req.header("Authorization") ?? "");
  return match?.[1] ?? null;
}
