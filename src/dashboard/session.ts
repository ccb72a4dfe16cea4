/**
 * Dashboard sessions: after the admin token is entered once, a signed, expiring, HttpOnly, Secure,
 * SameSite=Strict `__Host-` cookie. Signed with ADMIN_TOKEN itself, so rotating the token signs
 * everyone out. The cookie holds only its expiry time.
 */
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

const COOKIE = "itoc360_session";
export const SESSION_SECONDS = 12 * 60 * 60;

export async function startSession(c: Context<AppEnv>): Promise<void> {
  const expires = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
  await setSignedCookie(c, COOKIE, String(expires), c.env.ADMIN_TOKEN, {
    prefix: "host",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: SESSION_SECONDS,
  });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIE, { prefix: "host", path: "/", secure: true });
}

async function hasSession(c: Context<AppEnv>): Promise<boolean> {
  if (!c.env.ADMIN_TOKEN) return false;
  const value = await getSignedCookie(c, c.env.ADMIN_TOKEN, COOKIE, "host");
  return typeof value === "string" && Number(value) > Date.now() / 1000;
}

/** Pages: without a session, go to the sign-in form (and come back afterwards). */
export const requireSession = () =>
  createMiddleware<AppEnv>(async function requireSession(c, next) {
    if (await hasSession(c)) return next();
    if (c.req.method !== "GET" || c.req.header("X-Requested-With")) return c.text("Sign in first", 401);
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  });
