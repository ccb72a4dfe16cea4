/**
 * API authorization: `requireRole(write, read)` on a sub-app authenticates the request once
 * (./authenticate.ts), sets `c.var.principal`, and lets it through when the caller's role is at least
 * `read` for GET and HEAD, `write` for anything else. 401 without valid credentials, 403 with too low a
 * role (saying which role it needs and whom to ask), 503 while neither a usable ADMIN_TOKEN nor Access is
 * configured (nobody could sign in).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../platform/env";
import { adminTokenUnusable, isUsableAdminToken } from "../platform/http/admin-token";
import { problem } from "../platform/http/problem";
import { accessConfigured } from "./access";
import { admins } from "./admins";
import {
  accessIdentity,
  bearerOf,
  countFailure,
  principalFromAccess,
  principalFromBearer,
  refuseBlockedClient,
  unauthorized,
} from "./authenticate";
import type { Principal, PrincipalVariables } from "./principal";
import { isAtLeast, type Role } from "./roles";

export type AuthEnv = { Bindings: Env; Variables: AppEnv["Variables"] & PrincipalVariables };

const SIGN_IN =
  "Send a personal API token or the ADMIN_TOKEN as `Authorization: Bearer <token>`, or come through Cloudflare Access.";

/** Whether anyone can sign in at all: a usable ADMIN_TOKEN, or Access configured. */
const signInPossible = (env: Env) => isUsableAdminToken(env.ADMIN_TOKEN) || accessConfigured(env);

/** 503 for everything behind sign-in while nobody could sign in (the dashboard's pages use it too). */
export const requireSignInPossible = () =>
  createMiddleware<{ Bindings: Env }>(async function requireSignInPossible(c, next) {
    if (!signInPossible(c.env)) throw adminTokenUnusable();
    await next();
  });

/** The request's principal: 401, 429 or 503 when there is none. */
async function authenticate(c: Context<AuthEnv>): Promise<Principal> {
  if (!signInPossible(c.env)) throw adminTokenUnusable();
  refuseBlockedClient(c);
  const bearer = bearerOf(c);
  if (bearer !== null) {
    const principal = await principalFromBearer(c, bearer);
    if (principal) return principal;
    await countFailure(c);
    throw unauthorized("That bearer token is not valid (unknown, revoked or expired).");
  }
  const who = await accessIdentity(c);
  if (who) return principalFromAccess(c, who);
  throw unauthorized(SIGN_IN);
}

/** Whom to ask for a role, in a sentence. */
export function whomToAsk(env: Pick<Env, "ADMINS">): string {
  const names = admins(env);
  return names.length > 0 ? `Ask an admin (${names.join(", ")}).` : "Ask an admin of this ITOC360 endpoint.";
}

/** 403 naming the role needed (a principal with none is told it has none). */
export function forbidden(env: Pick<Env, "ADMINS">, principal: Principal, needed: Role) {
  const have = principal.role
    ? `Your role (${principal.role}) cannot do this: it needs ${needed}.`
    : `${principal.actor.name} has no role here.`;
  return problem(403, { slug: "forbidden", title: "Forbidden", detail: `${have} ${whomToAsk(env)}` });
}

const READS = new Set(["GET", "HEAD"]);

/** At least `write` for changes and `read` (viewer unless said) for reads. */
export const requireRole = (write: Role, read: Role = "viewer") =>
  createMiddleware<AuthEnv>(async function requireRole(c, next) {
    let principal = c.get("principal") as Principal | undefined;
    if (!principal) {
      principal = await authenticate(c);
      c.set("principal", principal);
    }
    const needed = READS.has(c.req.method) ? read : write;
    if (!isAtLeast(principal.role, needed)) throw forbidden(c.env, principal, needed);
    await next();
  });
