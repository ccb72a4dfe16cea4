/**
 * /api/people: roles by email, service token or Access group, admin only, each change audited with its
 * before and after; lowering or removing a person's role brings their tokens down with it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api } from "../helpers";
import { JSON_HEADERS } from "./people-helpers";

const put = (subject: string, role: string) =>
  api(`/api/people/${encodeURIComponent(subject)}`, {
    method: "PUT",
    headers: JSON_HEADERS,
    body: JSON.stringify({ role }),
  });

async function insertToken(id: string, role: string, createdBy: string) {
  await env.DB.prepare(
    `INSERT INTO api_tokens (id, name, token_hash, role, created_by, created_by_kind, created_at, expires_at)
     VALUES (?, 'script', ?, ?, ?, 'person', '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z')`,
  )
    .bind(id, `hash-${id}`, role, createdBy)
    .run();
}

const tokenRow = (id: string) =>
  env.DB.prepare("SELECT role, revoked_at FROM api_tokens WHERE id = ?")
    .bind(id)
    .first<{ role: string; revoked_at: string | null }>();

describe("/api/people", () => {
  it("gives, shows, changes and takes away roles, each change in the audit log", async () => {
    expect((await put("Carol@Example.com", "responder")).status).toBe(200);
    expect(await (await api("/api/people/carol@example.com")).json()).toMatchObject({
      subject: "carol@example.com",
      role: "responder",
      updated_by: "admin token",
    });
    expect((await put("group:sre", "admin")).status).toBe(200);
    expect((await put("0123abcd.access", "viewer")).status).toBe(200);
    const list = (await (await api("/api/people")).json()) as {
      people: { subject: string }[];
      admins: string[];
    };
    expect(list.people.map((p) => p.subject)).toEqual(
      expect.arrayContaining(["carol@example.com", "group:sre", "0123abcd.access"]),
    );

    expect((await put("carol@example.com", "viewer")).status).toBe(200);
    expect((await api("/api/people/carol@example.com", { method: "DELETE" })).status).toBe(204);
    expect((await api("/api/people/carol@example.com")).status).toBe(404);
    expect((await api("/api/people/carol@example.com", { method: "DELETE" })).status).toBe(404);

    const audit = await env.DB.prepare(
      "SELECT action, details FROM audit_log WHERE target = 'person:carol@example.com' ORDER BY id",
    ).all<{ action: string; details: string }>();
    expect(audit.results.map((row) => [row.action, JSON.parse(row.details)])).toEqual([
      ["person.changed", { before: null, after: "responder" }],
      ["person.changed", { before: "responder", after: "viewer" }],
      ["person.removed", { before: "viewer", after: null, tokens_revoked: 0 }],
    ]);
  });

  it("brings a person's tokens down to a lowered role, and revokes them with the role", async () => {
    await put("dave@example.com", "admin");
    await insertToken("22222222-2222-4222-8222-222222222221", "admin", "dave@example.com");
    await insertToken("22222222-2222-4222-8222-222222222222", "viewer", "dave@example.com");
    await put("dave@example.com", "responder");
    expect(await tokenRow("22222222-2222-4222-8222-222222222221")).toMatchObject({
      role: "responder",
      revoked_at: null,
    });
    expect(await tokenRow("22222222-2222-4222-8222-222222222222")).toMatchObject({
      role: "viewer",
      revoked_at: null,
    });
    await api("/api/people/dave@example.com", { method: "DELETE" });
    expect((await tokenRow("22222222-2222-4222-8222-222222222221"))?.revoked_at).not.toBeNull();
    expect((await tokenRow("22222222-2222-4222-8222-222222222222"))?.revoked_at).not.toBeNull();
  });

  it("refuses subjects and roles it does not know, changing nothing", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM roles").first<{ n: number }>();
    for (const [subject, role] of [
      ["not an email", "viewer"],
      ["group:", "viewer"],
      ["erin@example.com", "owner"],
    ] as const) {
      const res = await put(subject, role);
      expect(res.status, subject).toBe(400);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
    const after = await env.DB.prepare("SELECT count(*) AS n FROM roles").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });
});
