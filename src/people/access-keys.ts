/**
 * The Access team's signing keys ({@link accessKeySet}): where they are read, and how often. Access rotates
 * its key every six weeks and serves the old one beside the new for seven days, so a key set read once is
 * good for a while; a token whose `kid` it lacks (a rotation this isolate has not seen, or a made-up id)
 * refetches it, at most once a minute per isolate and per URL, so a flood of made-up ids is not a flood of
 * fetches. A key set is used at most {@link KEYS_MAX_AGE_MS} after it was read, so a key Access dropped
 * stops verifying soon after.
 *
 * Not jose's `createRemoteJWKSet`: it keeps its pending fetch in module scope and shares it between
 * requests, and workerd ties I/O to the request that started it (a promise made in one request and awaited
 * in another fails or hangs at the edge). Module scope here holds the key set as plain JSON and two
 * numbers per URL; concurrent misses each fetch, except that the minute is claimed before the fetch starts.
 */
import type { JSONWebKeySet } from "jose";
import { nowMs } from "../platform/clock";

/** How long a key set read from Access is used (jose's own default for a remote key set). */
export const KEYS_MAX_AGE_MS = 10 * 60_000;
/** The least time between two fetches of one URL's key set. */
export const REFETCH_AFTER_MS = 60_000;
/** A certs endpoint that does not answer within this is a failed fetch. */
const FETCH_TIMEOUT_MS = 5_000;
/** URLs kept (one in production; tests and ACCESS_CERTS_URL changes add a few). */
const MAX_URLS = 16;

interface Cached {
  /** The last good key set, or null when there is none still usable. */
  jwks: JSONWebKeySet | null;
  /** When `jwks` was read (epoch ms on the Worker's clock). */
  fetchedAt: number;
  /** When a fetch was last started, good or not. */
  triedAt: number;
}

const cache = new Map<string, Cached>();

/** The team domain as Access names it in `iss`, forgiving a pasted `https://` or trailing slash. */
export const teamDomain = (env: Pick<Env, "ACCESS_TEAM_DOMAIN">): string =>
  env.ACCESS_TEAM_DOMAIN.trim()
    .replace(/^https:\/\//i, "")
    .replace(/\/+$/, "");

/**
 * Where the keys are read: `https://<team domain>/cdn-cgi/access/certs`, or ACCESS_CERTS_URL. That must be
 * https too, except a plain-http loopback URL where ALLOW_PRIVATE_DESTINATIONS is "true" (local development
 * and tests, the same switch that lets notifications reach loopback). Null for a URL refused.
 */
export function certsUrl(
  env: Pick<Env, "ACCESS_TEAM_DOMAIN" | "ACCESS_CERTS_URL" | "ALLOW_PRIVATE_DESTINATIONS">,
): URL | null {
  const text = env.ACCESS_CERTS_URL?.trim() || `https://${teamDomain(env)}/cdn-cgi/access/certs`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.username !== "" || url.password !== "") return null;
  if (url.protocol === "https:") return url;
  const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
  return url.protocol === "http:" && loopback && env.ALLOW_PRIVATE_DESTINATIONS === "true" ? url : null;
}

/**
 * The key set to verify a token signed with `kid` against, or why there is none: `keys_unavailable` (the
 * fetch failed or answered no key set, and the minute has not passed) or `unknown_kid` (a fresh key set
 * without it, refetched within the minute). Fetches only on a miss, an unknown `kid` or an old key set.
 */
export async function accessKeySet(
  url: URL,
  kid: string | undefined,
  at = nowMs(),
): Promise<{ jwks: JSONWebKeySet } | { refused: "keys_unavailable" | "unknown_kid" }> {
  const key = url.href;
  const entry = cache.get(key);
  const usable = entry?.jwks && at - entry.fetchedAt < KEYS_MAX_AGE_MS ? entry.jwks : null;
  if (usable && (kid === undefined || hasKid(usable, kid))) return { jwks: usable };
  if (entry && at - entry.triedAt < REFETCH_AFTER_MS) {
    return { refused: usable ? "unknown_kid" : "keys_unavailable" };
  }
  // Claimed before the fetch, so requests arriving while it runs do not start their own.
  remember(key, { jwks: usable, fetchedAt: entry?.fetchedAt ?? 0, triedAt: at });
  const fetched = await fetchKeySet(url);
  if (fetched === null) return { refused: "keys_unavailable" };
  remember(key, { jwks: fetched, fetchedAt: at, triedAt: at });
  if (kid !== undefined && !hasKid(fetched, kid)) return { refused: "unknown_kid" };
  return { jwks: fetched };
}

function remember(key: string, value: Cached): void {
  cache.delete(key);
  if (cache.size >= MAX_URLS) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, value);
}

const hasKid = (jwks: JSONWebKeySet, kid: string) => jwks.keys.some((k) => k.kid === kid);

/** The key set at `url`, or null when the fetch fails or the answer is not one (logged, without the body). */
async function fetchKeySet(url: URL): Promise<JSONWebKeySet | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`answered ${res.status}`);
    const body = (await res.json()) as { keys?: unknown };
    const keys = Array.isArray(body?.keys) ? body.keys.filter(isJwk) : [];
    if (keys.length === 0) throw new Error("no keys in the answer");
    return { keys };
  } catch (err) {
    console.error(JSON.stringify({ event: "access_keys_unavailable", url: url.origin, error: String(err) }));
    return null;
  }
}

const isJwk = (value: unknown): value is JSONWebKeySet["keys"][number] =>
  typeof value === "object" && value !== null && typeof (value as { kty?: unknown }).kty === "string";
