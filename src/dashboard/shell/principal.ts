/**
 * Who is looking at a page, and whether their role reaches it. With Cloudflare Access in front, every
 * request carries Access's signed assertion: the person it names, with the role D1 or ADMINS gives them.
 * Without one (Access not configured, or the break-glass way in) the admin-token session cookie: an admin,
 * named by the label typed at sign-in. Neither: the sign-in form (and back afterwards).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { SecureHeadersVariables } from "hono/secure-headers";
import { ADMIN_TOKEN_ACTOR } from "../../audit/actor";
import { accessIdentity, principalFromAccess } from "../../people/authenticate";
import type { Principal, PrincipalVariables } from "../../people/principal";
import { whomToAsk } from "../../people/require-role";
import { isAtLeast, type Role } from "../../people/roles";
import type { AppEnv } from "../../platform/env";
import { Problem } from "../../platform/http/problem";
import { refusedPage } from "./refused-page";
import { readSession, type SessionVariables } from "./session";

/** What these middlewares read and set (page-context.ts's DashboardEnv, with the principal set). */
export type PrincipalEnv = {
  Bindings: Env;
  Variables: AppEnv["Variables"] & SecureHeadersVariables & PrincipalVariables & SessionVariables;
};

async function pagePrincipal(c: Context): Promise<Principal | null> {
  const who = await accessIdentity(c);
  if (who) return principalFromAccess(c, who);
  const session = await readSession(c);
  if (!session) return null;
  const actor = {
    kind: "admin-token" as const,
    name: session.name ?? ADMIN_TOKEN_ACTOR,
    ip: c.req.header("CF-Connecting-IP") ?? null,
  };
  return { actor, role: "admin" };
}

/** How pages name the person: the verified name, or the label typed at sign-in with the admin token (null without one). */
function shownName({ actor }: Principal): string | null {
  if (actor.kind !== "admin-token") return actor.name;
  return actor.name === ADMIN_TOKEN_ACTOR ? null : actor.name;
}

/** Sets `principal` (and `signedInAs`, how pages name them); the sign-in form without either. */
export const requirePrincipal = () =>
  createMiddleware<PrincipalEnv>(async function requirePrincipal(c, next) {
    let principal: Principal | null;
    try {
      principal = await pagePrincipal(c);
    } catch (err) {
      if (!(err instanceof Problem) || err.status !== 401) throw err;
      return refusedPage(
        c,
        401,
        "Sign in again",
        "Your Cloudflare Access sign-in could not be verified.",
        "Reload the page to sign in through Access again.",
      );
    }
    if (principal) {
      c.set("principal", principal);
      c.set("signedInAs", shownName(principal));
      return next();
    }
    if (c.req.method !== "GET" || c.req.header("X-Requested-With")) return c.text("Sign in first", 401);
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  });

/** After requirePrincipal: at least `needed`, or the page saying whom to ask (403). */
export const requirePageRole = (needed: Role) =>
  createMiddleware<PrincipalEnv>(async function requirePageRole(c, next) {
    const { actor, role } = c.get("principal");
    if (isAtLeast(role, needed)) return next();
    const message = role
      ? `You are signed in as ${actor.name}, a ${role}; this needs the ${needed} role.`
      : `You are signed in as ${actor.name}, but nobody has given you a role here yet.`;
    return refusedPage(c, 403, "Not allowed", message, whomToAsk(c.env));
  });
