/**
 * Attacks on the dashboard's People forms through the real Worker: a cross-site form post does nothing,
 * and a label typed at the admin-token sign-in (which proves nothing) makes nobody the owner of the
 * break-glass admin's tokens.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nowMs } from "../../src/platform/clock";
import { callWorker, dashboardPage } from "../helpers";
import { accessWorld } from "./access-world";

const world = await accessWorld("attack-dashboard", { ADMINS: "root@example.com" });
const ACCESS = world.env;
const assertionFor = (email: string) => world.assertionFor(email);
const ORIGIN = "https://itoc.example.com";

/** A dashboard session signed in with the admin token under the label `name`. */
async function labelledSession(name: string): Promise<string> {
  const res = await exports.default.fetch(`${ORIGIN}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN, name, next: "/" }).toString(),
  });
  return (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

describe("the People forms", () => {
  it("do nothing for a cross-site or origin-less form post, even from a signed-in admin", async () => {
    const root = await assertionFor("root@example.com");
    for (const origin of ["https://evil.example", null]) {
      const headers: Record<string, string> = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cf-Access-Jwt-Assertion": root,
      };
      if (origin) headers.Origin = origin;
      const res = await callWorker(
        "/people/roles",
        { method: "POST", headers, body: "subject=mallory%40example.com&role=admin" },
        ACCESS,
      );
      expect(res.status, String(origin)).toBe(403);
    }
    const row = await env.DB.prepare("SELECT 1 FROM roles WHERE subject = 'mallory@example.com'").first();
    expect(row).toBeNull();
  });

  it("do not give a person the admin token's tokens because the sign-in label spelled their email", async () => {
    const session = await labelledSession("bob@example.com");
    const page = await (await dashboardPage("/people", session)).text();
    const formNonce = /name="form_nonce" value="([^"]+)"/.exec(page)?.[1] ?? "";
    const made = await dashboardPage("/people/tokens", session, {
      form_nonce: formNonce,
      name: "break-glass deploys",
      role: "admin",
      expires_in: "1d",
    });
    expect(made.status).toBe(201);
    const { id } = (await env.DB.prepare(
      "SELECT id FROM api_tokens WHERE name = 'break-glass deploys'",
    ).first<{
      id: string;
    }>()) ?? { id: "" };

    await env.DB.prepare(
      "INSERT INTO roles (subject, role, updated_at, updated_by) VALUES (?, 'viewer', ?, 't')",
    )
      .bind("bob@example.com", new Date(nowMs()).toISOString())
      .run();
    const bob = { "Cf-Access-Jwt-Assertion": await assertionFor("bob@example.com") };
    const listed = await (await callWorker("/api/tokens", { headers: bob }, ACCESS)).text();
    expect(listed).not.toContain(id);
    const revoked = await callWorker(`/api/tokens/${id}`, { method: "DELETE", headers: bob }, ACCESS);
    expect(revoked.status).toBe(404);
  });
});
