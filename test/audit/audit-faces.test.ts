/**
 * The audit log from the other faces: the Destinations pages record the same entries as the API (the
 * actions are shared), and behind Cloudflare Access a person's actions are recorded, and shown on the
 * incident's timeline, as the verified email; the audit log (page and API) is refused to a responder.
 */
import { describe, expect, inject, it } from "vitest";
import { ORIGIN, signIn } from "../dashboard/dashboard-client";
import { createFromPage, destinationNamed, visit } from "../dashboard/destinations/destination-client";
import { api, callWorker } from "../helpers";
import { incidentSource } from "../incidents/incident-source";
import { accessWorld } from "../people/access-world";
import { auditOf, dashboardActor, everyAuditRow } from "./audit-helpers";

const receivers = inject("receivers");

describe("the Destinations pages", () => {
  it("record created, tested, paused, resumed and deleted, by the signed-in label, without the URL", async () => {
    const session = await signIn("dora");
    const url = `${receivers.ok}/audit-dash/T1/B1/pageSecretPart`;
    expect((await createFromPage(session, { kind: "slack", name: "audited page", url })).status).toBe(201);
    const id = (await destinationNamed("audited page"))?.id;
    for (const action of ["test", "pause", "resume", "delete"]) {
      expect((await visit(`/destinations/${id}/${action}`, session, {})).status).toBeLessThan(400);
    }
    const entries = await auditOf(`destination:${id}`);
    expect(entries.map((e) => [e.action, e.actor])).toEqual(
      [
        "destination.created",
        "destination.tested",
        "destination.disabled",
        "destination.changed",
        "destination.deleted",
      ].map((action) => [action, dashboardActor("dora")]),
    );
    expect(entries[3]?.details).toEqual({ before: { disabled: true }, after: { disabled: false } });
    const rows = await everyAuditRow();
    expect(rows).not.toContain("pageSecretPart");
    expect(rows).not.toContain(url);
  });
});

describe("behind Cloudflare Access", async () => {
  const world = await accessWorld("audit", { ADMINS: "alice@example.com" });
  const ACCESS = world.env;
  const assertionFor = (email: string) => world.assertionFor(email);
  const as = async (email: string, path: string, form?: Record<string, string>) => {
    const headers = new Headers({ "Cf-Access-Jwt-Assertion": await assertionFor(email) });
    if (form) {
      headers.set("Content-Type", "application/x-www-form-urlencoded");
      headers.set("Origin", ORIGIN);
    }
    const init = { method: form ? "POST" : "GET", redirect: "manual" as const, headers };
    return callWorker(path, { ...init, body: form && new URLSearchParams(form).toString() }, ACCESS);
  };

  it("records a person's acknowledgement as their email, and names them on the timeline", async () => {
    const grant = await api(
      "/api/people/bob@example.com",
      { method: "PUT", headers: { "Content-Type": "application/json" }, body: '{"role":"responder"}' },
      ACCESS,
    );
    expect(grant.status).toBe(200);
    const { finish, incidentOf } = await incidentSource("audit: access");
    await finish("audit/access", 1, "FAILURE");
    const { id } = await incidentOf("audit/access");
    expect((await as("bob@example.com", `/incidents/${id}/acknowledge`, { back: "" })).status).toBe(303);
    expect(await auditOf(`incident:${id}`)).toMatchObject([
      { action: "incident.acknowledged", actor: { kind: "person", name: "bob@example.com" } },
    ]);
    expect((await incidentOf("audit/access")).timeline.at(-1)).toMatchObject({ by: "bob@example.com" });
  });

  it("shows the audit log to admins only", async () => {
    expect((await as("alice@example.com", "/audit")).status).toBe(200);
    const refused = await as("bob@example.com", "/audit");
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('id="audit-entries"');
    expect((await as("bob@example.com", "/api/audit")).status).toBe(403);
  });
});
