/**
 * Personal API tokens through the Worker: shown once, stored as a hash, listed without values, revoked at
 * once, refused when expired, never creating tokens themselves, and on record in the audit log.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/platform/sha256";
import { api, callWorker } from "../helpers";
import { bearer, JSON_HEADERS, tokenFor } from "./people-helpers";

const create = (body: unknown, headers: Record<string, string> = {}) =>
  api("/api/tokens", {
    method: "POST",
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(body),
  });

describe("personal API tokens", () => {
  it("shows the value once, keeps only its SHA-256, and lists tokens without values", async () => {
    const res = await create({ name: "ci deploys", role: "responder", expires_in: "30d" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      id: string;
      token: string;
      expires_at: string;
      created_by: string;
    };
    expect(created.token).toMatch(/^itoc_pat_[A-Za-z0-9_-]{43}$/);
    expect(created.created_by).toBe("admin token");
    const row = await env.DB.prepare("SELECT * FROM api_tokens WHERE id = ?").bind(created.id).first();
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row?.token_hash).toBe(sha256Hex(created.token));

    const list = await (await api("/api/tokens")).text();
    expect(list).toContain(created.id);
    expect(list).not.toContain(created.token);
    expect(list).not.toContain(sha256Hex(created.token));

    const audit = await env.DB.prepare("SELECT * FROM audit_log WHERE target = ?")
      .bind(`token:${created.id}`)
      .all();
    expect(audit.results).toMatchObject([
      { action: "token.created", actor: "admin token", actor_kind: "admin-token" },
    ]);
    expect(JSON.stringify(audit.results)).not.toContain(created.token);
  });

  it("works as its role at once, and stops at once when revoked", async () => {
    const { id, value } = await tokenFor("viewer", "dashboard script");
    expect((await callWorker("/api/alerts", { headers: bearer(value) })).status).toBe(200);

    const revoked = await api(`/api/tokens/${id}`, { method: "DELETE" });
    expect(revoked.status).toBe(204);
    const after = await callWorker("/api/alerts", { headers: bearer(value) });
    expect(after.status).toBe(401);
    expect(await after.text()).not.toContain(value);
    expect((await api(`/api/tokens/${id}`, { method: "DELETE" })).status).toBe(204);
    const entries = await env.DB.prepare("SELECT action FROM audit_log WHERE target = ? ORDER BY id")
      .bind(`token:${id}`)
      .all();
    expect(entries.results.map((e) => e.action)).toEqual(["token.created", "token.revoked"]);
  });

  it("refuses a token past its expiry", async () => {
    const { id, value } = await tokenFor("admin", "expiring");
    await env.DB.prepare("UPDATE api_tokens SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ?")
      .bind(id)
      .run();
    expect((await callWorker("/api/alerts", { headers: bearer(value) })).status).toBe(401);
  });

  it("does not let a token create tokens, and shows a token its creator's tokens only", async () => {
    const { value } = await tokenFor("admin", "automation");
    const res = await create({ name: "child", role: "viewer" }, bearer(value));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toContain("cannot create tokens");

    await env.DB.prepare(
      `INSERT INTO api_tokens (id, name, token_hash, role, created_by, created_by_kind, created_at, expires_at)
       VALUES ('11111111-1111-4111-8111-111111111111', 'bob''s', 'x', 'viewer', 'bob@example.com', 'person',
               '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z')`,
    ).run();
    const viewer = await tokenFor("viewer", "lister");
    const mine = (await (await callWorker("/api/tokens", { headers: bearer(viewer.value) })).json()) as {
      tokens: { created_by: string }[];
    };
    // Made with the admin token, it has no person's tokens to see: the admin token's belong to no one.
    expect(mine.tokens).toEqual([]);
    const automation = (await env.DB.prepare("SELECT id FROM api_tokens WHERE name = 'automation'").first<{
      id: string;
    }>()) ?? { id: "" };
    const sibling = await callWorker(`/api/tokens/${automation.id}`, {
      method: "DELETE",
      headers: bearer(viewer.value),
    });
    expect(sibling.status).toBe(404);
    const bobs = await callWorker("/api/tokens/11111111-1111-4111-8111-111111111111", {
      method: "DELETE",
      headers: bearer(viewer.value),
    });
    expect(bobs.status).toBe(404);
  });

  it("refuses bad bodies with the field's problem and creates nothing", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM api_tokens").first<{ n: number }>();
    for (const body of [
      { name: "", role: "viewer" },
      { name: "x", role: "owner" },
      { name: "x", role: "viewer", expires_in: "10m" },
      { name: "x", role: "viewer", expires_in: "400d" },
      { name: "x", role: "viewer", extra: 1 },
    ]) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
    const after = await env.DB.prepare("SELECT count(*) AS n FROM api_tokens").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });
});
