/**
 * ADMIN_TOKEN as break-glass: with Cloudflare Access configured it still works, and every API request made
 * with it is in the audit log as such (method and path, never the token); without Access, using it on the
 * API records nothing (it is then the normal way in), while every dashboard sign-in with it is recorded.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, callWorker } from "../helpers";

const ACCESS: Partial<Env> = {
  ACCESS_TEAM_DOMAIN: "break-glass.cloudflareaccess.com",
  ACCESS_AUD: "aud-of-break-glass",
};

const entries = async (action: string) =>
  (
    await env.DB.prepare(
      "SELECT actor, actor_kind, target, ip, details FROM audit_log WHERE action = ? ORDER BY id",
    )
      .bind(action)
      .all()
  ).results;

describe("the admin token as break-glass", () => {
  it("works under Access and records every API use, with the address and never the token", async () => {
    const before = (await entries("admin_token.used")).length;
    const res = await api("/api/alerts?limit=1", { headers: { "CF-Connecting-IP": "198.51.100.7" } }, ACCESS);
    expect(res.status).toBe(200);
    const used = await entries("admin_token.used");
    expect(used.slice(before)).toEqual([
      {
        actor: "admin token",
        actor_kind: "admin-token",
        target: "GET /api/alerts",
        ip: "198.51.100.7",
        details: null,
      },
    ]);
    expect(JSON.stringify(used)).not.toContain(env.ADMIN_TOKEN);
  });

  it("records nothing for API use without Access, where it is the normal way in", async () => {
    const before = (await entries("admin_token.used")).length;
    expect((await api("/api/alerts?limit=1")).status).toBe(200);
    expect(await entries("admin_token.used")).toHaveLength(before);
  });

  it("records every dashboard sign-in with the label typed and the address", async () => {
    const res = await callWorker("/login", {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://itoc.example.com",
        "CF-Connecting-IP": "198.51.100.8",
      },
      body: new URLSearchParams({ token: env.ADMIN_TOKEN, name: "Grace", next: "/" }).toString(),
    });
    expect(res.status).toBe(303);
    expect((await entries("admin_token.signed_in")).at(-1)).toMatchObject({
      actor: "Grace",
      actor_kind: "admin-token",
      ip: "198.51.100.8",
    });
  });
});
