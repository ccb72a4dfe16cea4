/**
 * The audit log records incident hand actions, "send again", and silences created and ended: from the API
 * and from the dashboard, once per change (an idempotent repeat records nothing), with the verified actor
 * on the incident's timeline rather than a typed label.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { nowMs } from "../../src/platform/clock";
import { MAX_SILENCES_IN_FORCE } from "../../src/silences/store";
import { signIn } from "../dashboard/dashboard-client";
import { api, createSource, dashboardPage } from "../helpers";
import { incidentSource } from "../incidents/incident-source";
import { API_ACTOR, auditOf, dashboardActor } from "./audit-helpers";

const post = (path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  api(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

let session: string;
let incidents: Awaited<ReturnType<typeof incidentSource>>;

beforeAll(async () => {
  session = await signIn("alice");
  incidents = await incidentSource("audit incidents");
});

async function openIncident(job: string): Promise<number> {
  await incidents.finish(job, 1, "FAILURE");
  return (await incidents.incidentOf(job)).id;
}

describe("incident hand actions in the audit log", () => {
  it("records an API acknowledgement once, by the verified actor and address, not the typed name", async () => {
    const id = await openIncident("audit/api-ack");
    const res = await post(
      `/api/incidents/${id}/acknowledge`,
      { by: "Mallory" },
      { "CF-Connecting-IP": "192.0.2.7" },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ acknowledged_by: "admin token" });
    await post(`/api/incidents/${id}/acknowledge`, { by: "Mallory" });

    const entries = await auditOf(`incident:${id}`);
    expect(entries).toMatchObject([
      { action: "incident.acknowledged", actor: { ...API_ACTOR, ip: "192.0.2.7" }, details: null },
    ]);
    const timeline = (await incidents.incident(id)).timeline;
    expect(timeline.find((entry) => entry.type === "acknowledged")?.by).toBe("admin token");
  });

  it("records a dashboard resolution by the signed-in label, marked as the admin token's", async () => {
    const id = await openIncident("audit/dash-resolve");
    const res = await dashboardPage(`/incidents/${id}/resolve`, session, { note: "fixed", back: "" });
    expect(res.status).toBe(303);
    expect(await auditOf(`incident:${id}`)).toMatchObject([
      { action: "incident.resolved", actor: dashboardActor("alice") },
    ]);
    const timeline = (await incidents.incident(id)).timeline;
    expect(timeline.find((entry) => entry.type === "resolved")?.by).toBe("alice (admin token)");
  });

  it("records nothing for an incident that does not exist", async () => {
    expect((await post("/api/incidents/999999/resolve")).status).toBe(404);
    expect(await auditOf("incident:999999")).toEqual([]);
  });
});

describe("silences in the audit log", () => {
  it("records a silence created and ended through the API, with its match and times", async () => {
    const source = await createSource("audit silences");
    const starts = new Date(nowMs() - 60_000).toISOString();
    const ends = new Date(nowMs() + 3_600_000).toISOString();
    const created = await post("/api/silences", {
      match: { source_id: source.id, job: "audit/**" },
      starts_at: starts,
      ends_at: ends,
      comment: "maintenance",
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect((await api(`/api/silences/${id}`, { method: "DELETE" })).status).toBe(200);
    expect((await api(`/api/silences/${id}`, { method: "DELETE" })).status).toBe(200);

    const entries = await auditOf(`silence:${id}`);
    expect(entries).toMatchObject([
      {
        action: "silence.created",
        actor: API_ACTOR,
        details: { match: { source_id: source.id, job: "audit/**" }, starts_at: starts, ends_at: ends },
      },
      { action: "silence.ended", actor: API_ACTOR, details: { ended_at: expect.any(String) } },
    ]);
  });

  it("records a silence created and ended from the dashboard, by the signed-in label", async () => {
    const wall = (hours: number) => new Date(nowMs() + hours * 3_600_000).toISOString().slice(0, 16);
    const fields = { source_id: "", job: "audit-dash/**", branch: "", starts: wall(-1), ends: wall(2) };
    const form = { ...fields, time_zone: "UTC", from: "", to: "", comment: "dash", created_by: "" };
    expect((await dashboardPage("/silences", session, form)).status).toBe(303);
    const id = await env.DB.prepare("SELECT max(id) AS id FROM silences").first<number>("id");
    expect((await dashboardPage(`/silences/${id}/end`, session, {})).status).toBe(303);
    expect((await auditOf(`silence:${id}`)).map((e) => [e.action, e.actor])).toEqual([
      ["silence.created", dashboardActor("alice")],
      ["silence.ended", dashboardActor("alice")],
    ]);
  });

  it("records nothing when the silence is refused", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM audit_log").first<number>("n");
    const refused = await post("/api/silences", {
      match: { source_id: "no-such-source" },
      starts_at: new Date(nowMs()).toISOString(),
      ends_at: new Date(nowMs() + 60_000).toISOString(),
      comment: "x",
    });
    expect(refused.status).toBe(400);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM audit_log").first<number>("n")).toBe(before);
  });

  it("records nothing when the silence is refused inside its own statement (too many in force)", async () => {
    const now = new Date(nowMs()).toISOString();
    const later = new Date(nowMs() + 3_600_000).toISOString();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
       INSERT INTO silences (job_glob, starts_at, ends_at, comment, created_at)
       SELECT 'audit-full/' || i, ?1, ?2, 'filler', ?1 FROM n`,
    )
      .bind(now, later, MAX_SILENCES_IN_FORCE)
      .run();
    const count = () => env.DB.prepare("SELECT count(*) AS n FROM audit_log").first<number>("n");
    const before = await count();
    const refused = await post("/api/silences", {
      match: { job: "audit-full/extra" },
      starts_at: now,
      ends_at: later,
      comment: "one too many",
    });
    expect(refused.status).toBe(409);
    expect(await count()).toBe(before);
    await env.DB.prepare("UPDATE silences SET ended_at = ?1 WHERE comment = 'filler'").bind(now).run();
  });
});
