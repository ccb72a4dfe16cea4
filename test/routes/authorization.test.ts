/**
 * Every route added for incidents and notifications refuses a caller without the admin
 * token (API) or without a session or from another origin (dashboard), and changes nothing.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, buildPayload, createSource, dashboardSession, deliver } from "../helpers";

const API_ROUTES: [string, string][] = [
  ["GET", "/api/incidents"],
  ["GET", "/api/incidents/1"],
  ["POST", "/api/incidents/1/acknowledge"],
  ["POST", "/api/incidents/1/resolve"],
  ["POST", "/api/incidents/1/notifications/1/send"],
  ["GET", "/api/silences"],
  ["POST", "/api/silences"],
  ["GET", "/api/silences/1"],
  ["DELETE", "/api/silences/1"],
  ["GET", "/api/destinations"],
  ["POST", "/api/destinations"],
  ["POST", "/api/destinations/reencrypt"],
  ["GET", "/api/destinations/1"],
  ["PATCH", "/api/destinations/1"],
  ["DELETE", "/api/destinations/1"],
  ["POST", "/api/destinations/1/test"],
  ["GET", "/api/jobs?q=abc"],
  ["PUT", "/api/jobs/1/heartbeat"],
  ["DELETE", "/api/jobs/1/heartbeat"],
  ["PATCH", "/api/sources/00000000-0000-4000-8000-000000000000"],
];

describe("authorization of the incident and notification routes", () => {
  it.each(API_ROUTES)("%s %s without the admin token is 401", async (method, path) => {
    const res = await exports.default.fetch(new URL(path, "https://itoc.example.com"), {
      method,
      headers: {
        "Content-Type": "application/json",
        Authorization: "Bearer wrong-token-0123456789abcdef0123",
      },
      body: method === "GET" || method === "DELETE" ? undefined : "{}",
    });
    expect(res.status).toBe(401);
  });

  it("refuses dashboard actions without a session, and from another origin with one", async () => {
    const source = await createSource("authz");
    expect(
      (
        await deliver(buildPayload({ job: "authz", number: 1, phase: "FINALIZED", status: "FAILURE" }), {
          token: source.token,
        })
      ).status,
    ).toBe(200);
    const list = (await (await api(`/api/incidents?source_id=${source.id}`)).json()) as {
      incidents: { id: number }[];
    };
    const id = list.incidents[0]?.id ?? 0;
    const session = await dashboardSession();
    const posts = [
      `/incidents/${id}/acknowledge`,
      `/incidents/${id}/resolve`,
      "/silences",
      `/sources/${source.id}/policy`,
    ];
    for (const path of posts) {
      const form = { "Content-Type": "application/x-www-form-urlencoded" };
      const anonymous = await exports.default.fetch(new URL(path, "https://itoc.example.com"), {
        method: "POST",
        redirect: "manual",
        headers: { ...form, Origin: "https://itoc.example.com" },
        body: "note=x",
      });
      expect([401, 403, 303, 302, 200]).toContain(anonymous.status);
      const foreign = await exports.default.fetch(new URL(path, "https://itoc.example.com"), {
        method: "POST",
        redirect: "manual",
        headers: { ...form, Origin: "https://evil.example", Cookie: session },
        body: "note=x",
      });
      expect(foreign.status, path).toBe(403);
    }
    const after = (await (await api(`/api/incidents/${id}`)).json()) as {
      state: string;
      timeline: unknown[];
    };
    expect(after.state).toBe("open");
    expect(after.timeline).toHaveLength(1);
  });
});
