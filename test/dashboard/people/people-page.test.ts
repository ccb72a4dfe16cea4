/**
 * The People page with the admin-token session: who you are, personal tokens made and revoked from the
 * page (the value shown once, a reload creating nothing), roles given and taken, bad input refused with
 * the field named and nothing changed.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { dashboardPage, dashboardSession } from "../../helpers";

let session = "";
beforeAll(async () => {
  session = await dashboardSession();
});

const formNonce = (html: string) => /name="form_nonce" value="([^"]+)"/.exec(html)?.[1] ?? "";
const count = async (table: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;

describe("the People page", () => {
  it("says who is signed in, and lists roles for an admin", async () => {
    const res = await dashboardPage("/people", session);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Signed in as <strong>admin token</strong> with the admin token");
    expect(html).toContain('id="roles"');
  });

  it("creates a token shown once, and a reload of the form creates nothing", async () => {
    const nonce = formNonce(await (await dashboardPage("/people", session)).text());
    const before = await count("api_tokens");
    const form = { form_nonce: nonce, name: "from the page", role: "responder", expires_in: "7d" };
    const created = await dashboardPage("/people/tokens", session, form);
    expect(created.status).toBe(201);
    const value = /id="token-value">(itoc_pat_[A-Za-z0-9_-]+)</.exec(await created.text())?.[1] ?? "";
    expect(value).not.toBe("");
    expect(await count("api_tokens")).toBe(before + 1);

    const again = await dashboardPage("/people/tokens", session, form);
    expect(again.status).toBe(400);
    expect(await count("api_tokens")).toBe(before + 1);
    const list = await (await dashboardPage("/people", session)).text();
    expect(list).toContain("from the page");
    expect(list).not.toContain(value);

    const id = (
      await env.DB.prepare("SELECT id FROM api_tokens WHERE name = 'from the page'").first<{ id: string }>()
    )?.id;
    const revoked = await dashboardPage(`/people/tokens/${id}/revoke`, session, {});
    expect(await revoked.text()).toContain("revoked");
    const row = await env.DB.prepare("SELECT revoked_at FROM api_tokens WHERE id = ?").bind(id).first();
    expect(row?.revoked_at).not.toBeNull();
  });

  it("refuses a bad token form, naming the field, and creates nothing", async () => {
    const nonce = formNonce(await (await dashboardPage("/people", session)).text());
    const before = await count("api_tokens");
    const res = await dashboardPage("/people/tokens", session, {
      form_nonce: nonce,
      name: "bad expiry",
      role: "viewer",
      expires_in: "5m",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("expires_in: expected a duration from 1 hour to 366 days");
    expect(await count("api_tokens")).toBe(before);
  });

  it("gives and takes a role, and refuses a subject it does not know", async () => {
    const given = await dashboardPage("/people/roles", session, {
      subject: "frank@example.com",
      role: "viewer",
    });
    expect(await given.text()).toContain("frank@example.com is now viewer.");
    const bad = await dashboardPage("/people/roles", session, { subject: "frank", role: "viewer" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Who: expected an email");
    const removed = await dashboardPage("/people/roles/remove", session, { subject: "frank@example.com" });
    expect(await removed.text()).toContain("frank@example.com has no role in D1 any more.");
    const audit = await env.DB.prepare(
      "SELECT action, actor FROM audit_log WHERE target = 'person:frank@example.com' ORDER BY id",
    ).all();
    expect(audit.results).toEqual([
      { action: "person.changed", actor: "admin token" },
      { action: "person.removed", actor: "admin token" },
    ]);
  });
});
