/**
 * Dashboard sessions: after the admin token is entered once, a signed, expiring, HttpOnly, Secure,
 * SameSite=Strict `__Host-` cookie. The signing key is derived from ADMIN_TOKEN with HKDF, so
 * rotating the token signs everyone out, and a cookie is never an HMAC keyed by the token itself.
 * The cookie holds its expiry time and the display name given at sign-in (`<expiry>` or
 * `<expiry>.<name, UTF-8, base64url>`): a label the dashboard's actions are recorded with, not an
 * identity, since everyone signs in with the same admin token and may type any name.
 */
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { nowMs } from "../../platform/clock";
import type { AppEnv } from "../../platform/env";

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

/** What a valid session says: who the person said they are (null when they gave no name). */
export interface Session {
  name: string | null;
}

/** How pages name who is signed in (set by ./principal.ts's requirePrincipal). */
export interface SessionVariables {
  signedInAs: string | null;
}

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

function fromBase64Url(encoded: string): string | null {
  try {
    const binary = atob(encoded.replaceAll("-", "+").replaceAll("_", "/"));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (ch) => ch.charCodeAt(0)),
    );
  } catch {
    return null;
  }
}

export async function startSession(c: Context<AppEnv>, name: string | null): Promise<void> {
  const expires = Math.floor(nowMs() / 1000) + SESSION_SECONDS;
  const value = name ? `${expires}.${toBase64Url(name)}` : String(expires);
  await setSignedCookie(c, COOKIE, value, await signingKey(c.env.ADMIN_TOKEN), {
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

/** The session a request carries in a valid, unexpired cookie, or null. */
export async function readSession(c: Context): Promise<Session | null> {
  if (!c.env.ADMIN_TOKEN) return null;
  const value = await getSignedCookie(c, await signingKey(c.env.ADMIN_TOKEN), COOKIE, "host");
  if (typeof value !== "string") return null;
  const [expires, name] = value.split(".");
  if (!(Number(expires) > nowMs() / 1000)) return null;
  return { name: name ? fromBase64Url(name) : null };
}

/** Whether the request carries a valid, unexpired session cookie. */
export async function hasSession(c: Context): Promise<boolean> {
  return (await readSession(c)) !== null;
}
