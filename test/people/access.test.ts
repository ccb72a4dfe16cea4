/**
 * Cloudflare Access assertions, verified by {@link verifyAccessAssertion}: keys generated here, the key set
 * served by a loopback stand-in for the team's certs endpoint (scripts/lib/access-keys-server.ts), which
 * counts how often the Worker fetched it. Each test serves its keys at a path of its own, so it starts with
 * nothing cached. Refusals (every claim, the signature, the algorithm, the key id), rotation with two keys,
 * the refetch limit under a flood of made-up key ids, service tokens and groups.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it } from "vitest";
import { keyFetches, serveKeys } from "../../fixtures/access-keys.ts";
import {
  type AccessKey,
  type AssertionClaims,
  generateAccessKey,
  keySet,
  signAssertion,
  signHs256,
  unsignedToken,
} from "../../fixtures/access-signer.ts";
import { accessConfigured, verifyAccessAssertion } from "../../src/people/access";
import { KEYS_MAX_AGE_MS, REFETCH_AFTER_MS } from "../../src/people/access-keys";
import { nowMs, setClock } from "../../src/platform/clock";
import { logsOfEachTest } from "../logs";

const logs = logsOfEachTest();
const certsBase = inject("accessKeys");
const TEAM = "acme.cloudflareaccess.com";
const AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

// One key pair for most tests (2048-bit generation is the slow part), a second for rotation.
const first = await generateAccessKey("key-1");
const second = await generateAccessKey("key-2");

let paths = 0;
/** An Access set-up of its own: the Worker's env pointing at a fresh certs path serving `keys`. */
async function team(...keys: AccessKey[]) {
  const path = `/certs/${++paths}`;
  await serveKeys(certsBase, path, keySet(...keys));
  const teamEnv: Env = {
    ...env,
    ACCESS_TEAM_DOMAIN: TEAM,
    ACCESS_AUD: AUD,
    ACCESS_CERTS_URL: `${certsBase}${path}`,
  };
  return {
    env: teamEnv,
    path,
    serve: (...served: AccessKey[]) => serveKeys(certsBase, path, keySet(...served)),
    fetches: () => keyFetches(certsBase, path),
    verify: (token: string) => verifyAccessAssertion(teamEnv, token),
  };
}

/** A person's claims as Access writes them, issued now on the Worker's clock, valid for 10 minutes. */
function claims(extra: Partial<AssertionClaims> = {}): AssertionClaims {
  const at = Math.floor(nowMs() / 1000);
  return {
    aud: [AUD],
    iss: `https://${TEAM}`,
    iat: at,
    nbf: at,
    exp: at + 600,
    email: "alice@example.com",
    ...extra,
  };
}

const refusals = () => logs.named("access_assertion_refused").map((line) => line.reason);

/** Moves the Worker's clock by `ms` (the clock runs on from there); put back after each test. */
const advance = (ms: number) => setClock(nowMs() + ms);
afterEach(() => setClock(Date.now()));

describe("accessConfigured", () => {
  it("needs both the team domain and the audience tag", () => {
    expect(accessConfigured({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD })).toBe(true);
    expect(accessConfigured({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: "" })).toBe(false);
    expect(accessConfigured({ ACCESS_TEAM_DOMAIN: " ", ACCESS_AUD: AUD })).toBe(false);
    expect(accessConfigured(env)).toBe(false); // wrangler.toml ships both empty
  });
});

describe("verifyAccessAssertion", () => {
  it("names the person of a valid assertion by email, lower-cased", async () => {
    const t = await team(first);
    const token = await signAssertion(first, claims({ email: "Alice@Example.com" }));
    expect(await t.verify(token)).toEqual({ kind: "person", name: "alice@example.com", groups: [] });
    expect(refusals()).toEqual([]);
  });

  it("refuses another application's audience, another team's issuer, and logs which without the token", async () => {
    const t = await team(first);
    const otherAud = await signAssertion(first, claims({ aud: ["another-application"] }));
    const otherTeam = await signAssertion(first, claims({ iss: "https://evil.cloudflareaccess.com" }));
    expect(await t.verify(otherAud)).toBeNull();
    expect(await t.verify(otherTeam)).toBeNull();
    expect(refusals()).toEqual(["claim_aud", "claim_iss"]);
    const logged = JSON.stringify(logs.lines);
    for (const token of [otherAud, otherTeam]) expect(logged).not.toContain(token.split(".")[2]);
  });

  it("refuses an expired assertion and one not yet valid, past a minute's leeway, and takes them within it", async () => {
    const t = await team(first);
    const at = Math.floor(nowMs() / 1000);
    const expired = (by: number) =>
      signAssertion(first, claims({ iat: at - 900, nbf: at - 900, exp: at - by }));
    const early = (by: number) => signAssertion(first, claims({ iat: at, nbf: at + by, exp: at + 900 }));
    expect(await t.verify(await expired(90))).toBeNull();
    expect(await t.verify(await early(90))).toBeNull();
    expect(await t.verify(await expired(30))).not.toBeNull();
    expect(await t.verify(await early(30))).not.toBeNull();
    expect(refusals()).toEqual(["claim_exp", "claim_nbf"]);
  });

  it("refuses an assertion without an expiry", async () => {
    const t = await team(first);
    const { exp: _, ...noExp } = claims();
    expect(await t.verify(await signAssertion(first, noExp as AssertionClaims))).toBeNull();
    expect(refusals()).toEqual(["claim_exp"]);
  });

  it("refuses a bad signature: a changed payload, or another key under a served key's id", async () => {
    const t = await team(first);
    const [header, , signature] = (await signAssertion(first, claims())).split(".");
    const [, payload] = (await signAssertion(first, claims({ email: "mallory@example.com" }))).split(".");
    const stranger = await generateAccessKey("key-1"); // same kid, not the served key
    expect(await t.verify(`${header}.${payload}.${signature}`)).toBeNull();
    expect(await t.verify(await signAssertion(stranger, claims()))).toBeNull();
    expect(refusals()).toEqual([
      "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
      "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    ]);
  });

  it("refuses alg none and HS256 (even keyed with the public key's bytes), and what is not a token", async () => {
    const t = await team(first);
    const none = unsignedToken({ alg: "none", kid: first.kid }, claims());
    const hmacKey = new TextEncoder().encode(JSON.stringify(first.publicJwk));
    const hs256 = await signHs256(hmacKey, { kid: first.kid, typ: "JWT" }, claims());
    for (const token of [none, hs256, "not-a-token", ""]) expect(await t.verify(token)).toBeNull();
    expect(refusals()).toEqual([
      "ERR_JOSE_ALG_NOT_ALLOWED",
      "ERR_JOSE_ALG_NOT_ALLOWED",
      "malformed",
      "malformed",
    ]);
  });

  it("refuses a key id the key set does not have", async () => {
    const t = await team(first);
    expect(await t.verify(await signAssertion(second, claims()))).toBeNull();
    expect(refusals()).toEqual(["unknown_kid"]);
  });

  it("names an Access service token by its Client ID, as an automation", async () => {
    const t = await team(first);
    const { email: _, ...service } = claims({ common_name: "e367826f93b8d71185e03fe518aff3b4.access" });
    expect(await t.verify(await signAssertion(first, service))).toEqual({
      kind: "service",
      name: "e367826f93b8d71185e03fe518aff3b4.access",
      groups: [],
    });
    const { email: __, ...nobody } = claims();
    expect(await t.verify(await signAssertion(first, nobody))).toBeNull();
    expect(refusals()).toEqual(["no_identity"]);
  });

  it("reads groups from Access's `custom` claim: strings, a lone SAML value, get-identity's objects", async () => {
    const t = await team(first);
    const groupsOf = async (extra: Partial<AssertionClaims>) =>
      (await t.verify(await signAssertion(first, claims(extra))))?.groups;
    expect(await groupsOf({ custom: { groups: ["oncall", "sre", "oncall", 7] } })).toEqual(["oncall", "sre"]);
    expect(await groupsOf({ custom: { groups: "oncall" } })).toEqual(["oncall"]);
    expect(
      await groupsOf({
        custom: { groups: [{ id: "g1", name: "Finance-Team", email: "fin@example.com" }, { id: "g2" }] },
      }),
    ).toEqual(["Finance-Team", "g2"]);
    expect(await groupsOf({ groups: ["top-level"] })).toEqual(["top-level"]);
    expect(await groupsOf({ custom: { family_name: "Doe" } })).toEqual([]);
  });
});

describe("the team's keys", () => {
  it("verifies old and new keys while both are served, and only the new one after the old is dropped", async () => {
    const t = await team(first);
    const byOld = await signAssertion(first, claims());
    expect(await t.verify(byOld)).not.toBeNull();
    // Access starts signing with a new key and serves both: the new kid refetches (past the minute).
    await t.serve(first, second);
    advance(REFETCH_AFTER_MS + 1_000);
    const byNew = await signAssertion(second, claims());
    expect(await t.verify(byNew)).not.toBeNull();
    expect(await t.verify(await signAssertion(first, claims()))).not.toBeNull();
    expect(await t.fetches()).toBe(2);
    // Seven days later the old key is gone: once the cached set is too old, tokens it signed fail.
    await t.serve(second);
    advance(KEYS_MAX_AGE_MS);
    expect(await t.verify(await signAssertion(first, claims()))).toBeNull();
    expect(await t.verify(await signAssertion(second, claims()))).not.toBeNull();
    expect(await t.fetches()).toBe(3);
  });

  it("fetches at most once a minute however many made-up key ids arrive", async () => {
    const t = await team(first);
    const valid = await signAssertion(first, claims());
    expect(await t.verify(valid)).not.toBeNull();
    const madeUp = (i: number) => signAssertion(first, claims(), { kid: `made-up-${i}` });
    for (let i = 0; i < 50; i++) expect(await t.verify(await madeUp(i))).toBeNull();
    expect(await t.fetches()).toBe(1);
    advance(REFETCH_AFTER_MS + 1_000);
    for (let i = 50; i < 100; i++) expect(await t.verify(await madeUp(i))).toBeNull();
    expect(await t.fetches()).toBe(2);
    // The known key verifies all along, from the cache.
    expect(await t.verify(valid)).not.toBeNull();
    expect(await t.fetches()).toBe(2);
  });

  it("refuses while the certs endpoint fails or answers no key set, and tries again after the minute", async () => {
    const t = await team(first);
    const token = await signAssertion(first, claims());
    await serveKeys(certsBase, t.path, "{}", 503);
    expect(await t.verify(token)).toBeNull();
    await t.serve(first);
    expect(await t.verify(token)).toBeNull(); // within the minute: no second fetch
    expect(await t.fetches()).toBe(1);
    advance(REFETCH_AFTER_MS + 1_000);
    await serveKeys(certsBase, t.path, { keys: "none" });
    expect(await t.verify(token)).toBeNull();
    advance(REFETCH_AFTER_MS + 1_000);
    await t.serve(first);
    expect(await t.verify(token)).not.toBeNull();
    expect(await t.fetches()).toBe(3);
    expect(logs.named("access_keys_unavailable")).toHaveLength(2);
  });

  it("reads keys over plain http only from loopback, and only where private destinations are allowed", async () => {
    const t = await team(first);
    const token = await signAssertion(first, claims());
    const strict = { ...t.env, ALLOW_PRIVATE_DESTINATIONS: "false" };
    const remoteHttp = { ...t.env, ACCESS_CERTS_URL: "http://example.com/cdn-cgi/access/certs" };
    expect(await verifyAccessAssertion(strict, token)).toBeNull();
    expect(await verifyAccessAssertion(remoteHttp, token)).toBeNull();
    expect(await t.fetches()).toBe(0);
    expect(await t.verify(token)).not.toBeNull();
    expect(refusals()).toEqual(["certs_url_refused", "certs_url_refused"]);
  });
});
