/**
 * The audit log records sources (created, changed, revoked, rotated), policies, destinations (created,
 * changed, disabled by hand and by a 410, tested, deleted, re-encrypted), heartbeat settings and dead
 * letters (replayed, discarded): from the API and, where the dashboard offers the action, from the
 * dashboard, with the right actor, target and a short before/after; never a token, URL or secret.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { EVENTS_QUEUE_NAME } from "../../src/platform/queue-names";
import { form, policyForm, signIn, sourceFormNonce } from "../dashboard/dashboard-client";
import { api, buildPayload, createSource, deliver } from "../helpers";
import { API_ACTOR, auditOf, dashboardActor, everyAuditRow } from "./audit-helpers";

const receivers = inject("receivers");
const LOCAL = { ALLOW_PRIVATE_DESTINATIONS: "true" };
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

let session: string;
/** Every token, URL and secret the tests below handle: none may appear in any audit row. */
const secrets: string[] = [];

beforeAll(async () => {
  session = await signIn("carol");
});

describe("sources", () => {
  it("records a source created, changed, rotated and revoked through the API", async () => {
    const res = await api("/api/sources", json("POST", { name: "audited" }));
    const created = (await res.json()) as { id: string; token: string; webhook_url: string };
    secrets.push(created.token, created.webhook_url);
    await api(`/api/sources/${created.id}`, json("PATCH", { name: "audited, renamed" }));
    const rotated = (await (
      await api(`/api/sources/${created.id}/rotate`, json("POST", { grace: "0s" }))
    ).json()) as {
      token: string;
    };
    secrets.push(rotated.token);
    await api(`/api/sources/${created.id}`, { method: "DELETE" });

    expect(await auditOf(`source:${created.id}`)).toMatchObject([
      { action: "source.created", actor: API_ACTOR, details: { name: "audited", quiet_lifecycle: false } },
      {
        action: "source.changed",
        details: { before: { name: "audited" }, after: { name: "audited, renamed" } },
      },
      { action: "source.rotated", details: { grace_seconds: 0 } },
      { action: "source.revoked", details: null },
    ]);
  });

  it("records a source created, rotated and revoked from the dashboard, by the signed-in label", async () => {
    const nonce = await sourceFormNonce(session);
    const page = await (
      await form("/sources", { name: "audited (dashboard)", form_nonce: nonce }, session)
    ).text();
    const { sources } = (await (await api("/api/sources")).json()) as {
      sources: { id: string; name: string }[];
    };
    const id = sources.find((s) => s.name === "audited (dashboard)")?.id ?? "";
    secrets.push(/token=([\w-]+)/.exec(page)?.[1] ?? "no token shown");
    expect((await form(`/sources/${id}/rotate`, { grace: "24h" }, session)).status).toBe(200);
    expect((await form(`/sources/${id}/revoke`, {}, session)).status).toBe(303);
    expect((await auditOf(`source:${id}`)).map((e) => [e.action, e.actor])).toEqual([
      ["source.created", dashboardActor("carol")],
      ["source.rotated", dashboardActor("carol")],
      ["source.revoked", dashboardActor("carol")],
    ]);
  });

  it("records only the policy fields that changed, from the API and the page", async () => {
    const { id } = await createSource("audited policy");
    await api(`/api/sources/${id}`, json("PATCH", { policy: { min_consecutive_failures: 3 } }));
    const fields = policyForm({ branches_include: "main", min_consecutive_failures: "3" });
    expect((await form(`/sources/${id}/policy`, fields, session)).status).toBe(303);
    const policies = (await auditOf(`source:${id}`)).filter((e) => e.action === "policy.changed");
    expect(policies).toMatchObject([
      {
        actor: API_ACTOR,
        details: { before: { min_consecutive_failures: 1 }, after: { min_consecutive_failures: 3 } },
      },
      {
        actor: dashboardActor("carol"),
        details: { before: { branches: expect.anything() }, after: { branches: expect.anything() } },
      },
    ]);
    expect(Object.keys(policies[1]?.details?.after ?? {})).toEqual(["branches"]);
  });
});

describe("destinations", () => {
  const slack = `${receivers.ok}/audit/services/T0/B0/slackSecretPart`;

  it("records created, changed, disabled, tested and deleted, with the host and never the URL or secret", async () => {
    secrets.push(slack, "slackSecretPart");
    const hook = `${receivers.ok}/audit/hook?k=hookSecretQuery`;
    secrets.push(hook, "hookSecretQuery");
    const res = await api(
      "/api/destinations",
      json("POST", { name: "audited hook", kind: "webhook", url: hook }),
      LOCAL,
    );
    const { id, secret } = (await res.json()) as { id: number; secret: string };
    secrets.push(secret);
    await api(`/api/destinations/${id}`, json("PATCH", { name: "renamed hook", url: slack }), LOCAL);
    await api(`/api/destinations/${id}`, json("PATCH", { disabled: true }), LOCAL);
    expect((await api(`/api/destinations/${id}/test`, { method: "POST" }, LOCAL)).status).toBe(200);
    expect((await api(`/api/destinations/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/destinations/${id}`, { method: "DELETE" })).status).toBe(404);

    const host = new URL(receivers.ok).host;
    expect(await auditOf(`destination:${id}`)).toMatchObject([
      {
        action: "destination.created",
        actor: API_ACTOR,
        details: { name: "audited hook", kind: "webhook", host, match: {}, disabled: false },
      },
      {
        action: "destination.changed",
        details: { before: { name: "audited hook" }, after: { name: "renamed hook", url: "changed" } },
      },
      { action: "destination.disabled", details: { before: { disabled: false }, after: { disabled: true } } },
      { action: "destination.tested", details: { status: 200, ok: true } },
      { action: "destination.deleted", details: null },
    ]);
  });

  it("records the Worker's own disabling on a 410 as the system's", async () => {
    const url = `${receivers.gone}/audit-gone`;
    const res = await api("/api/destinations", json("POST", { name: "gone", kind: "teams", url }), LOCAL);
    const { id } = (await res.json()) as { id: number };
    await api(`/api/destinations/${id}/test`, { method: "POST" }, LOCAL);
    expect((await auditOf(`destination:${id}`)).map((e) => [e.action, e.actor.kind, e.details])).toEqual([
      ["destination.created", "admin-token", expect.anything()],
      ["destination.tested", "admin-token", { status: 410, ok: false }],
      ["destination.disabled", "system", { reason: "410 Gone" }],
    ]);
  });

  it("records each destination re-encrypted under the new key", async () => {
    const k1 = env.DESTINATIONS_KEY;
    const rotating = { ...LOCAL, DESTINATIONS_KEY: `k2:${btoa("another-32-byte-key-for-rotation")},${k1}` };
    const res = await api(
      "/api/destinations",
      json("POST", { name: "re-sealed", kind: "slack", url: slack }),
      LOCAL,
    );
    const { id } = (await res.json()) as { id: number };
    const outcome = await (await api("/api/destinations/reencrypt", { method: "POST" }, rotating)).json();
    expect(outcome).toMatchObject({ unreadable: [], remaining: 0 });
    expect((await auditOf(`destination:${id}`)).map((e) => [e.action, e.details])).toEqual([
      ["destination.created", expect.anything()],
      ["destination.reencrypted", { key_id: "k2" }],
    ]);
    // Put back under k1 for the other tests (recorded too: it is a re-encryption).
    const back = { ...LOCAL, DESTINATIONS_KEY: `${k1},k2:${btoa("another-32-byte-key-for-rotation")}` };
    await api("/api/destinations/reencrypt", { method: "POST" }, back);
  });
});

describe("heartbeats and dead letters", () => {
  it("records a heartbeat set by hand and returned to learning", async () => {
    const source = await createSource("audited heartbeat");
    await deliver(buildPayload({ job: "audit/hb", number: 1, phase: "STARTED" }), { token: source.token });
    const { jobs } = (await (await api(`/api/jobs?source_id=${source.id}`)).json()) as {
      jobs: { id: number }[];
    };
    const id = jobs[0]?.id;
    await api(`/api/jobs/${id}/heartbeat`, json("PUT", { every: "24h", grace: "2h" }));
    await api(`/api/jobs/${id}/heartbeat`, { method: "DELETE" });
    expect(await auditOf(`job:${id}`)).toMatchObject([
      {
        action: "heartbeat.changed",
        actor: API_ACTOR,
        details: { mode: "manual", every_ms: 86_400_000, grace_ms: 7_200_000 },
      },
      { action: "heartbeat.changed", details: { mode: "learning", every_ms: null, grace_ms: null } },
    ]);
    expect((await api("/api/jobs/999999/heartbeat", { method: "DELETE" })).status).toBe(404);
    expect(await auditOf("job:999999")).toEqual([]);
  });

  const deadLetter = async (name: string) => {
    const body = {
      v: 1,
      source_id: "gone",
      received_at: new Date(0).toISOString(),
      body: "{}",
      format: "json",
    };
    return env.DB.prepare(
      `INSERT INTO dead_letters (message_id, queue, body, reason, attempts, dead_at)
       VALUES (?1, ?2, ?3, 'test', 5, ?4) RETURNING id`,
    )
      .bind(name, EVENTS_QUEUE_NAME, JSON.stringify(body), new Date(0).toISOString())
      .first<number>("id");
  };

  it("records dead letters replayed and discarded, from the API and the dashboard, once each", async () => {
    const [a, b, c, d] = await Promise.all(["dl-a", "dl-b", "dl-c", "dl-d"].map(deadLetter));
    expect((await api(`/api/dead-letters/${a}/replay`, { method: "POST" })).status).toBe(202);
    expect((await api(`/api/dead-letters/${b}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/dead-letters/${b}`, { method: "DELETE" })).status).toBe(404);
    expect((await form(`/dead-letters/${c}/replay`, {}, session)).status).toBe(303);
    expect((await form(`/dead-letters/${d}/discard`, {}, session)).status).toBe(303);
    const recorded = async (id?: number | null) =>
      (await auditOf(`dead_letter:${id}`)).map((e) => [e.action, e.actor.name, e.details]);
    expect(await recorded(a)).toEqual([
      ["dead_letter.replayed", "admin token", { queue: EVENTS_QUEUE_NAME }],
    ]);
    expect(await recorded(b)).toEqual([["dead_letter.discarded", "admin token", null]]);
    expect(await recorded(c)).toEqual([["dead_letter.replayed", "carol", { queue: EVENTS_QUEUE_NAME }]]);
    expect(await recorded(d)).toEqual([["dead_letter.discarded", "carol", null]]);
  });
});

describe("secrets", () => {
  it("appear in no audit entry", async () => {
    const rows = await everyAuditRow();
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(rows).not.toContain(secret);
  });
});
