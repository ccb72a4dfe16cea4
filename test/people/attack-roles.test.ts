/**
 * Attacks on sign-in and roles through the real Worker: a personal token must never do more than the
 * person who made it may do now, however their role came to them (their own grant, an Access group, or
 * ADMINS), and no spelling of a request reaches an admin route with a lower role.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, callWorker } from "../helpers";
import { accessWorld } from "./access-world";
import { bearer, JSON_HEADERS, tokenFor } from "./people-helpers";

const world = await accessWorld("attack-roles", { ADMINS: "root@example.com" });
const ACCESS = world.env;
const assertionFor = world.sign;

const asAccess = (path: string, assertion: string, init: RequestInit = {}, overrides = ACCESS) =>
  callWorker(
    path,
    {
      ...init,
      headers: { ...JSON_HEADERS, ...(init.headers as object), "Cf-Access-Jwt-Assertion": assertion },
    },
    overrides,
  );

const grant = (subject: string, role: string | null) =>
  role === null
    ? api(`/api/people/${encodeURIComponent(subject)}`, { method: "DELETE" }, ACCESS)
    : api(
        `/api/people/${encodeURIComponent(subject)}`,
        { method: "PUT", headers: JSON_HEADERS, body: JSON.stringify({ role }) },
        ACCESS,
      );

/** An admin-only call a token must not make once its creator is no admin: giving someone a role. */
const adminCall = (value: string, overrides = ACCESS) =>
  callWorker(
    "/api/people/mallory%40example.com",
    {
      method: "PUT",
      headers: { ...JSON_HEADERS, ...bearer(value) },
      body: JSON.stringify({ role: "admin" }),
    },
    overrides,
  );

async function tokenAs(assertion: string, role: string, overrides = ACCESS): Promise<string> {
  const res = await asAccess(
    "/api/tokens",
    assertion,
    { method: "POST", body: JSON.stringify({ name: `${role} via access`, role }) },
    overrides,
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

describe("a token never outranks its creator, however the creator's role came", () => {
  it("comes down when the Access group that made its creator an admin is lowered", async () => {
    expect((await grant("group:sre", "admin")).status).toBe(200);
    const alice = await assertionFor({ email: "alice@example.com", custom: { groups: ["sre"] } });
    const value = await tokenAs(alice, "admin");

    expect((await grant("group:sre", "viewer")).status).toBe(200);
    expect((await asAccess("/api/people", alice)).status).toBe(403);
    const res = await adminCall(value);
    expect(res.status).toBe(403);
  });

  // A token carries no assertion, so D1 cannot see its creator leave a group in the identity provider
  // (the token keeps the groups of the day it was made): an admin takes their tokens away by taking their
  // role away, which works for someone with no grant of their own too (docs/people.md, offboarding).
  it("is revoked with its creator's role, even when that role came only through an Access group", async () => {
    expect((await grant("group:platform", "admin")).status).toBe(200);
    const carol = await assertionFor({ email: "carol@example.com", custom: { groups: ["platform"] } });
    const value = await tokenAs(carol, "admin");
    const carolLater = await assertionFor({ email: "carol@example.com", custom: { groups: [] } });
    expect((await asAccess("/api/people", carolLater)).status).toBe(403);
    expect((await adminCall(value)).status).toBe(200);

    expect((await api("/api/people/carol@example.com", { method: "DELETE" })).status).toBe(204);
    expect((await adminCall(value)).status).toBe(401);
    expect((await api("/api/people/carol@example.com", { method: "DELETE" })).status).toBe(404);
  });

  it("comes down when its creator is taken off ADMINS", async () => {
    const root = await assertionFor({ email: "root@example.com" });
    const value = await tokenAs(root, "admin");
    const later = { ...ACCESS, ADMINS: "someone-else@example.com" };
    expect((await asAccess("/api/people", root, {}, later)).status).toBe(403);
    expect((await adminCall(value, later)).status).toBe(403);
  });
});

describe("no spelling of a request reaches an admin route with a lower role", () => {
  it("refuses a viewer token whatever the method, path spelling or override header", async () => {
    const { value } = await tokenFor("viewer", "probe");
    const put = { method: "PUT", headers: { ...JSON_HEADERS, ...bearer(value) }, body: '{"role":"admin"}' };
    const attempts: [string, RequestInit][] = [
      ["/api/people/eve%40example.com", put],
      ["/api/people/eve%40example.com/", put],
      ["/api/%70eople/eve%40example.com", put],
      ["/api//people/eve%40example.com", put],
      ["/API/people/eve%40example.com", put],
      ["/api/people", { headers: bearer(value) }],
      ["/api/people/", { headers: bearer(value) }],
      ["/api/people", { method: "HEAD", headers: bearer(value) }],
      [
        "/api/people/eve%40example.com",
        {
          method: "POST",
          headers: { ...JSON_HEADERS, ...bearer(value), "X-HTTP-Method-Override": "PUT" },
          body: '{"role":"admin"}',
        },
      ],
      [
        "/api/people/eve%40example.com?_method=PUT",
        { method: "POST", headers: { ...JSON_HEADERS, ...bearer(value) }, body: '{"role":"admin"}' },
      ],
    ];
    for (const [path, init] of attempts) {
      const res = await callWorker(path, init);
      expect([401, 403, 404, 405], `${init.method ?? "GET"} ${path}`).toContain(res.status);
    }
    const row = await env.DB.prepare("SELECT role FROM roles WHERE subject = 'eve@example.com'").first();
    expect(row).toBeNull();
  });

  it("takes neither two Authorization headers nor a padded token as the admin token", async () => {
    const { value } = await tokenFor("viewer", "two headers");
    const headers = new Headers(bearer(value));
    headers.append("Authorization", `Bearer ${env.ADMIN_TOKEN}`);
    expect((await callWorker("/api/people", { headers })).status).toBe(401);
    for (const auth of [
      `Bearer ${env.ADMIN_TOKEN}x`,
      `Bearer itoc_pat_${env.ADMIN_TOKEN}`,
      `Bearer ${env.ADMIN_TOKEN.toUpperCase()}`,
      `Basic ${env.ADMIN_TOKEN}`,
      env.ADMIN_TOKEN,
    ]) {
      const res = await callWorker("/api/people", { headers: { Authorization: auth } });
      expect(res.status, auth).toBe(401);
    }
  });
});

describe("Access identities", () => {
  it("judges a person in more groups than D1 binds without failing, by the groups it can read", async () => {
    expect((await grant("group:g-5", "responder")).status).toBe(200);
    const groups = Array.from({ length: 150 }, (_, i) => `g-${i}`);
    const dana = await assertionFor({ email: "dana@example.com", custom: { groups } });
    expect((await asAccess("/api/alerts", dana)).status).toBe(200);
    expect((await asAccess("/api/people", dana)).status).toBe(403);
    const value = await tokenAs(dana, "responder");
    expect((await callWorker("/api/alerts", { headers: bearer(value) }, ACCESS)).status).toBe(200);
  });

  it("does not let a service token whose name looks like an admin's email be that admin", async () => {
    const service = await assertionFor({ common_name: "root@example.com", sub: "" });
    expect([401, 403]).toContain((await asAccess("/api/people", service)).status);
  });

  it("does not fold a look-alike email onto an ADMINS entry", async () => {
    for (const email of [
      "root@example.com.",
      "ｒｏｏｔ@example.com",
      "root@example.com\u200b",
      "root @example.com",
    ]) {
      const res = await asAccess("/api/people", await assertionFor({ email }));
      expect(res.status, JSON.stringify(email)).toBe(403);
    }
  });

  it("does not let an email claim that spells a group take the group's role", async () => {
    expect((await grant("group:oncall-admins", "admin")).status).toBe(200);
    const res = await asAccess("/api/people", await assertionFor({ email: "group:oncall-admins" }));
    expect([401, 403]).toContain(res.status);
  });
});
