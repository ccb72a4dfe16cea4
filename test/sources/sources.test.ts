import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, buildPayload, createSource, deliver } from "../helpers";
import { captureLogs } from "../logs";

describe("POST /api/sources", () => {
  it("creates a source and shows its token and webhook URL once", async () => {
    const res = await api("/api/sources", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "  Jenkins (prod)  " }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, string>;
    expect(created).toMatchObject({ name: "Jenkins (prod)", provider: "jenkins" });
    expect(created.token).toMatch(/^itoc_[A-Za-z0-9_-]{32}$/);
    expect(created.webhook_url).toBe(`https://itoc.example.com/webhooks/jenkins?token=${created.token}`);

    const ok = await deliver(buildPayload({ job: "new-source" }), { token: created.token });
    expect(ok.status).toBe(200);
  });

  it("stores only the token's hash", async () => {
    const { token } = await createSource("hash-only");
    const keys = (await env.SOURCES.list()).keys.map((k) => k.name);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(keys).toContain(`source:${hex}`);
    for (const key of keys) {
      expect(key).not.toContain(token);
      expect(await env.SOURCES.get(key)).not.toContain(token);
    }
  });

  it("gives every source its own token", async () => {
    const [a, b] = await Promise.all([createSource("a"), createSource("b")]);
    expect(a.token).not.toBe(b.token);
  });

  it.each([
    ["no name", {}],
    ["an empty name", { name: "   " }],
    ["a name that is not a string", { name: 42 }],
    ["a name over 100 characters", { name: "x".repeat(101) }],
  ])("400 for %s", async (_, body) => {
    const res = await api("/api/sources", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ errors: [{ path: "name" }] });
  });
});

describe("GET /api/sources", () => {
  it("lists sources without tokens", async () => {
    const { id, token } = await createSource("listed");
    const res = await api("/api/sources");
    const text = await res.text();
    expect(text).not.toContain(token);
    const { sources } = JSON.parse(text) as { sources: { id: string; name: string; disabled: boolean }[] };
    expect(sources).toContainEqual(expect.objectContaining({ id, name: "listed", disabled: false }));
  });
});

describe("DELETE /api/sources/:id", () => {
  it("revokes the token at once in this isolate and keeps the source listed as revoked", async () => {
    const { id, token } = await createSource("to revoke");
    expect((await deliver(buildPayload({ job: "revoked" }), { token })).status).toBe(200);

    expect((await api(`/api/sources/${id}`, { method: "DELETE" })).status).toBe(204);

    const logs = captureLogs();
    expect((await deliver(buildPayload({ job: "revoked", number: 2 }), { token })).status).toBe(401);
    expect(logs.lines).toEqual([
      expect.objectContaining({ event: "delivery_rejected", status: 401, problem: "unauthorized" }),
    ]);
    const { sources } = (await (await api("/api/sources")).json()) as { sources: Record<string, unknown>[] };
    expect(sources.find((s) => s.id === id)).toMatchObject({
      disabled: true,
      revoked_at: expect.any(String),
    });
  });

  it("404 for an unknown source", async () => {
    const res = await api("/api/sources/nope", { method: "DELETE" });
    expect(res.status).toBe(404);
  });
});

describe("source ids that are not ids", () => {
  it.each([
    ["GET", undefined],
    ["DELETE", undefined],
    ["PATCH", JSON.stringify({ name: "renamed" })],
  ])("%s answers 404 for a 600-character id", async (method, body) => {
    const res = await api(`/api/sources/${"a".repeat(600)}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  });
});

describe("admin authentication", () => {
  it.each([
    ["no credentials", {}],
    ["a wrong token", { Authorization: "Bearer wrong" }],
    ["a source token", { Authorization: "Bearer itoc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
  ])("401 problem for %s", async (_, headers) => {
    for (const path of ["/api/sources", "/api/alerts", "/api/alerts/1"]) {
      const res = await api(path, { headers: { Authorization: "", ...headers } });
      expect(res.status).toBe(401);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
      expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    }
  });

  it("405 with Allow for a method a resource does not serve", async () => {
    const res = await api("/api/sources", { method: "PUT" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET, POST");
  });
});
