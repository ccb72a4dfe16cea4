/**
 * Dashboard sessions: after the admin token is entered once, a signed, expiring, HttpOnly, Secure,
 * SameSite=Strict `__Host-` cookie. The signing key is derived from ADMIN_TOKEN with HKDF, so
 * rotating the token signs everyone out, and a cookie is never an HMAC keyed by the token itself.
 * The cookie holds only its expiry time.
 */
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

const COOKIE = "itoc360_session";
const SESSION_SECONDS = 12 * 60 * 60;
/** HKDF `info`: changing it (say, to v2) signs everyone out. */
const KEY_INFO = new TextEncoder().encode("itoc360 dashboard session v1");

/** The cookie's HMAC key: 256 bits of HKDF-SHA-256 from ADMIN_TOKEN (no salt: the token is the secret). */
async function signingKey(adminToken: string): Promise<ArrayBuffer> {
  const token = new TextEncoder().encode(adminToken);
  const material = await crypto.subtle.importKey("raw", token, "HKDF", false, ["deriveBits"]);
  return crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: KEY_INFO },
    material,
    256,
  );
}

export async function startSession(c: Context<AppEnv>): Promise<void> {
  const expires = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
  await setSignedCookie(c, COOKIE, String(expires), await signingKey(c.env.ADMIN_TOKEN), {
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

/** Whether the request carries a valid, unexpired session cookie. */
export async function hasSession(c: Context<AppEnv>): Promise<boolean> {
  if (!c.env.ADMIN_TOKEN) return false;
  const value = await getSignedCookie(c, await signingKey(c.env.ADMIN_TOKEN), COOKIE, "host");
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
