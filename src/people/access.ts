/**
 * Cloudflare Access assertions (`Cf-Access-Jwt-Assertion`): whether Access is set up, and who a signed
 * assertion says the caller is. Verified with jose against the team's keys ({@link accessKeySet}): RS256
 * only, the application's audience tag, the team's issuer, `exp` (required) and `nbf` with
 * {@link LEEWAY_S} of leeway, on the Worker's clock. Nothing here trusts a header that is not signed.
 */
import { createLocalJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from "jose";
import { now } from "../platform/clock";
import { accessKeySet, certsUrl, teamDomain } from "./access-keys";
import { GROUP_PREFIX } from "./role-store";

/** Who a verified assertion names: a person (by email) or an Access service token (by its Client ID). */
export interface AccessIdentity {
  kind: "person" | "service";
  name: string;
  groups: string[];
}

/** Seconds of clock skew allowed between Access and the Worker for `exp` and `nbf`. */
const LEEWAY_S = 60;
/** Groups kept from one assertion: Access trims its `custom` claim near 1 KB, so more would be odd. */
const MAX_GROUPS = 100;

/** Whether ACCESS_TEAM_DOMAIN and ACCESS_AUD are both set. */
export function accessConfigured(env: Pick<Env, "ACCESS_TEAM_DOMAIN" | "ACCESS_AUD">): boolean {
  return Boolean(env.ACCESS_TEAM_DOMAIN?.trim() && env.ACCESS_AUD?.trim());
}

/** The verified identity, or null when the assertion fails any check (which one is logged, never the token). */
export async function verifyAccessAssertion(env: Env, assertion: string): Promise<AccessIdentity | null> {
  if (!accessConfigured(env)) return refused("not_configured");
  const url = certsUrl(env);
  if (url === null) return refused("certs_url_refused");
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(assertion).kid;
  } catch {
    return refused("malformed");
  }
  const keys = await accessKeySet(url, kid);
  if ("refused" in keys) return refused(keys.refused);
  let payload: JWTPayload;
  try {
    // A key set made from the plain JSON each time imports the key again: measured in Node, 170 µs a
    // verification against 70 µs with the key kept imported (2.4×), about 0.1 ms a request, the price of
    // keeping no CryptoKey in module scope.
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(keys.jwks), {
      algorithms: ["RS256"],
      audience: env.ACCESS_AUD.trim(),
      issuer: `https://${teamDomain(env)}`,
      requiredClaims: ["exp"],
      clockTolerance: LEEWAY_S,
      currentDate: now(),
    }));
  } catch (err) {
    return refused(reasonOf(err));
  }
  return identityOf(payload) ?? refused("no_identity");
}

/**
 * A person's assertion carries `email`; a service token's carries `common_name` (its Client ID), an empty
 * `sub` and no email (docs: "Application token"). Emails are kept lower-case, as roles are looked up by them.
 * A name shaped like another kind of subject is no identity: an email spelling `group:<name>` would hold
 * that group's grant, and a common name with an `@` a person's grant or ADMINS entry.
 */
function identityOf(payload: JWTPayload): AccessIdentity | null {
  const { email, common_name: commonName } = payload;
  if (typeof email === "string" && email.trim() !== "") {
    const name = email.trim().toLowerCase();
    return name.startsWith(GROUP_PREFIX) ? null : { kind: "person", name, groups: groupsOf(payload) };
  }
  if (typeof commonName === "string" && commonName.trim() !== "") {
    const name = commonName.trim();
    return name.includes("@") || name.toLowerCase().startsWith(GROUP_PREFIX)
      ? null
      : { kind: "service", name, groups: [] };
  }
  return null;
}

/**
 * Access puts identity-provider groups in the assertion only when the IdP is set up to send `groups` as a
 * custom OIDC claim or SAML attribute, and then under `custom` (`"custom": {"groups": [...]}`), best effort:
 * a `custom` claim over about 1 KB is trimmed, groups first, so a person in many groups may arrive without
 * them. OIDC sends strings; a SAML attribute with one value may be a lone string; Access's get-identity
 * answers objects `{id, name, email}` (read by name, else email, else id). A top-level `groups` is read too.
 */
function groupsOf(payload: JWTPayload): string[] {
  const custom = payload.custom as { groups?: unknown } | undefined;
  const raw = custom?.groups ?? payload.groups;
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const names = list.map((group) => {
    if (typeof group === "string") return group.trim();
    if (typeof group !== "object" || group === null) return "";
    const { name, email, id } = group as Record<string, unknown>;
    const picked = [name, email, id].find((v) => typeof v === "string" && v.trim() !== "");
    return typeof picked === "string" ? picked.trim() : "";
  });
  return [...new Set(names.filter((name) => name !== ""))].slice(0, MAX_GROUPS);
}

/** Which check failed, in jose's terms (`claim_aud`, `ERR_JWS_SIGNATURE_VERIFICATION_FAILED`…). */
function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTClaimValidationFailed) return `claim_${err.claim}`;
  if (err instanceof errors.JWTExpired) return "claim_exp";
  if (err instanceof errors.JOSEError) return err.code;
  return "error";
}

function refused(reason: string): null {
  console.warn(JSON.stringify({ event: "access_assertion_refused", reason }));
  return null;
}
