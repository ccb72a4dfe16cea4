/**
 * Signing in through Cloudflare Access, through the Worker: with ACCESS_TEAM_DOMAIN and ACCESS_AUD set
 * (and the keys served by the loopback certs endpoint, scripts/lib/access-keys-server.ts), a request that
 * carries a valid `Cf-Access-Jwt-Assertion` is that person on the API and the dashboard; a forged or
 * unverifiable one is 401 in general terms; an unsigned header naming someone is nobody; and without Access
 * configured an assertion counts for nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nowMs } from "../../src/platform/clock";
import { callWorker } from "../helpers";
import { logsOfEachTest } from "../logs";
import { accessWorld } from "./access-world";

const logs = logsOfEachTest();
/** Access in front of the Worker, with alice as the first admin. */
const world = await accessWorld("sign-in", { ADMINS: "alice@example.com" });
const ACCESS = world.env;
const assertionFor = world.assertionFor;

const asAccess = (path: string, assertion: string, overrides: Partial<Env> = ACCESS) =>
  callWorker(path, { headers: { "Cf-Access-Jwt-Assertion": assertion } }, overrides);

describe("the API behind Cloudflare Access", () => {
  it("takes a valid assertion as the person it names, with the role ADMINS gives them", async () => {
    const res = await asAccess("/api/sources", await assertionFor("Alice@Example.com"));
    expect(res.status).toBe(200);
  });

  it("answers 401 in general terms to an assertion that fails a check, never saying which", async () => {
    const otherAudience = await assertionFor("alice@example.com", { aud: ["another-application"] });
    const res = await asAccess("/api/sources", otherAudience);
    expect(res.status).toBe(401);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    const body = await res.text();
    expect(body).toContain("could not be verified");
    expect(body).not.toMatch(/aud|audience/i);
    expect(body).not.toContain(otherAudience.split(".")[2]);
    expect(logs.named("access_assertion_refused")).toEqual([
      { event: "access_assertion_refused", reason: "claim_aud" },
    ]);
  });

  it("refuses a person nobody has given a role (403), naming whom to ask", async () => {
    const res = await asAccess("/api/sources", await assertionFor("bob@example.com"));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("alice@example.com");
  });

  it("trusts no unsigned header: an email header alone, or an assertion without Access configured, is nobody", async () => {
    const emailOnly = await callWorker(
      "/api/sources",
      { headers: { "Cf-Access-Authenticated-User-Email": "alice@example.com" } },
      ACCESS,
    );
    expect(emailOnly.status).toBe(401);
    const unconfigured = await asAccess("/api/sources", await assertionFor("alice@example.com"), {
      ADMINS: "alice@example.com",
    });
    expect(unconfigured.status).toBe(401);
    expect(env.ACCESS_TEAM_DOMAIN).toBe(""); // wrangler.toml's default: Access is off unless set
  });
});

describe("the dashboard behind Cloudflare Access", () => {
  it("lets the person in without the admin-token sign-in, and names a person without a role", async () => {
    const alice = await asAccess("/", await assertionFor("alice@example.com"));
    expect(alice.status).toBe(200); // not the redirect to /login a request without a sign-in gets
    const bob = await asAccess("/", await assertionFor("bob@example.com"));
    expect(bob.status).toBe(403);
    expect(await bob.text()).toContain("You are signed in as bob@example.com");
  });

  it("asks to sign in through Access again when the assertion has expired", async () => {
    const at = Math.floor(nowMs() / 1000);
    const expired = await assertionFor("alice@example.com", { iat: at - 900, nbf: at - 900, exp: at - 120 });
    const res = await asAccess("/", expired);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Sign in again");
  });
});
