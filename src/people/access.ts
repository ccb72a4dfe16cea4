/**
 * Cloudflare Access assertions (`Cf-Access-Jwt-Assertion`), verified with jose: RS256 against the team's
 * key set, audience ACCESS_AUD, issuer `https://<ACCESS_TEAM_DOMAIN>`, expiry with a minute's leeway.
 * The key set is kept per isolate as plain JSON (workerd ties I/O to the request that started it, so no
 * promise or client is kept across requests: jose's createRemoteJWKSet would keep one) and fetched again
 * when a token names an unknown key, at most once a minute.
 */
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { nowMs } from "../platform/clock";

export interface AccessIdentity {
  kind: "person" | "service";
  name: string;
  groups: string[];
}

export function accessConfigured(env: Pick<Env, "ACCESS_TEAM_DOMAIN" | "ACCESS_AUD">): boolean {
  return Boolean(env.ACCESS_TEAM_DOMAIN && env.ACCESS_AUD);
}

const REFETCH_MS = 60_000;
let keys: JSONWebKeySet | null = null;
let fetchedAt = Number.NEGATIVE_INFINITY;

const certsUrl = (env: Env) =>
  env.ACCESS_CERTS_URL || `https://${env.ACCESS_TEAM_DOMAIN}/cdn-cgi/access/certs`;

async function keySet(env: Env, kid: string | undefined): Promise<JSONWebKeySet | null> {
  const known = keys?.keys.some((key) => key.kid === kid);
  if (keys && known) return keys;
  if (nowMs() - fetchedAt < REFETCH_MS) return keys;
  fetchedAt = nowMs();
  const res = await fetch(certsUrl(env));
  if (!res.ok) return keys;
  const body = (await res.json()) as JSONWebKeySet;
  if (Array.isArray(body.keys)) keys = { keys: body.keys };
  return keys;
}

export async function verifyAccessAssertion(env: Env, assertion: string): Promise<AccessIdentity | null> {
  try {
    const kid = JSON.parse(atob(assertion.split(".")[0] ?? "")).kid as string | undefined;
    const set = await keySet(env, kid);
    if (!set) return null;
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(set), {
      algorithms: ["RS256"],
      audience: env.ACCESS_AUD,
      issuer: `https://${env.ACCESS_TEAM_DOMAIN}`,
      clockTolerance: 60,
      currentDate: new Date(nowMs()),
    });
    const groups = Array.isArray(payload.groups) ? payload.groups.filter((g) => typeof g === "string") : [];
    if (typeof payload.email === "string") return { kind: "person", name: payload.email, groups };
    if (typeof payload.common_name === "string")
      return { kind: "service", name: payload.common_name, groups };
    return null;
  } catch (err) {
    console.warn(JSON.stringify({ event: "access_assertion_refused", reason: (err as Error).name }));
    return null;
  }
}
