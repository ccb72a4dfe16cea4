/**
 * Failure incidents through the real webhook and admin API: one per broken job until a green build,
 * joined by every later paging build, resolved by the green one; acknowledged and resolved by hand.
 */
import { describe, expect, it } from "vitest";
import { nowMs } from "../../src/platform/clock";
import { api, buildPayload, deliver } from "../helpers";
import { bearer, tokenFor } from "../people/people-helpers";
import { type ApiIncident, incidentSource as setup } from "./incident-source";

const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api(path, {
    method: "POST",
    ...(body === undefined
      ? { headers }
      : { headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) }),
  });

describe("failure incidents", () => {
  it("opens one incident per broken job, joined by later failures and resolved by the green build", async () => {
    const { finish, incidents, incident } = await setup("incidents: streak");
    await finish("acme/web-shop/feature%2Flogin", 7, "UNSTABLE");
    await finish("acme/web-shop/feature%2Flogin", 8, "FAILURE");

    const [open] = await incidents();
    expect(open).toMatchObject({
      kind: "failure",
      state: "open",
      priority: "HIGH",
      job: "acme/web-shop/feature%2Flogin",
      job_path: "acme/web-shop/feature/login",
      source_name: "incidents: streak",
      provider: "jenkins",
      first_build: 7,
      last_build: 8,
      build_count: 2,
    });
    expect(open?.alert_ids).toHaveLength(2);
    expect(open?.latest_alert_id).toBe(open?.alert_ids[0]);

    await finish("acme/web-shop/feature%2Flogin", 9, "SUCCESS");
    const resolved = await incident(open?.id ?? 0);
    expect(resolved).toMatchObject({ state: "resolved", resolved_by: "build", resolved_by_build: 9 });
    expect(resolved.timeline.map((e) => [e.type, e.build_number])).toEqual([
      ["opened", 7],
      ["joined", 8],
      ["resolved", 9],
    ]);
    expect(await incidents()).toHaveLength(1);
  });

  it("opens a new incident when the job fails again after green", async () => {
    const { finish, incidents } = await setup("incidents: again");
    await finish("api", 1, "FAILURE");
    await finish("api", 2, "SUCCESS");
    await finish("api", 3, "ABORTED");
    const listed = await incidents();
    expect(listed.map((i) => [i.first_build, i.state, i.priority])).toEqual([
      [3, "open", "MEDIUM"],
      [1, "resolved", "HIGH"],
    ]);
  });

  it("never pages for queued, running or green builds, nor a FINALIZED without a result", async () => {
    const { send, finish, incidents } = await setup("incidents: quiet");
    await send("api", 1, "QUEUED");
    await send("api", 1, "STARTED");
    await finish("api", 1, "SUCCESS");
    await send("api", 2, "FINALIZED");
    await send("api", 3, "COMPLETED", "SUCCESS");
    expect(await incidents()).toEqual([]);
  });

  it("pages from COMPLETED alone, and the same delivery again changes nothing", async () => {
    const { send, incidents, incident } = await setup("incidents: duplicates");
    await send("api", 5, "COMPLETED", "FAILURE");
    await send("api", 5, "COMPLETED", "FAILURE");
    await send("api", 5, "FINALIZED", "FAILURE");
    const [only] = await incidents();
    expect(only).toMatchObject({ first_build: 5, last_build: 5, build_count: 1 });
    expect((await incident(only?.id ?? 0)).timeline.map((e) => e.type)).toEqual(["opened"]);
  });

  it("resolves the streak whatever order its deliveries arrive in", async () => {
    const { finish, incidents } = await setup("incidents: late");
    await finish("api", 3, "FAILURE");
    await finish("api", 4, "SUCCESS");
    await finish("api", 2, "FAILURE"); // late: its streak is already over
    const [only, ...rest] = await incidents();
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ state: "resolved", first_build: 2, last_build: 3, resolved_by_build: 4 });
  });

  it("keeps the first build a green that arrives late leaves above it", async () => {
    const { finish, incidents } = await setup("incidents: split");
    await finish("api", 5, "FAILURE");
    await finish("api", 7, "FAILURE");
    await finish("api", 6, "SUCCESS"); // arrives last, between the two failures
    const listed = await incidents();
    expect(listed.map((i) => [i.first_build, i.last_build, i.state, i.resolved_by_build])).toEqual([
      [7, 7, "open", null],
      [5, 5, "resolved", 6],
    ]);
  });
});

describe("acting on incidents", () => {
  it("acknowledges once, with the verified caller (not the typed name) and why, in the timeline", async () => {
    const { finish, incidents } = await setup("incidents: ack");
    await finish("api", 1, "FAILURE");
    const [open] = await incidents();
    const ada = await tokenFor("responder", "Ada's CLI");
    const first = await post(
      `/api/incidents/${open?.id}/acknowledge`,
      { by: "Mallory", note: "looking" },
      bearer(ada.value),
    );
    expect(first.status).toBe(200);
    const verified = "Ada's CLI (admin token)"; // the token's name, and who created it
    expect(await first.json()).toMatchObject({ state: "acknowledged", acknowledged_by: verified });
    const again = (await (
      await post(`/api/incidents/${open?.id}/acknowledge`, { by: "Bob" })
    ).json()) as ApiIncident;
    expect(again.acknowledged_by).toBe(verified);
    expect(again.timeline.map((e) => [e.type, e.by, e.note])).toEqual([
      ["opened", "build", null],
      ["acknowledged", verified, "looking"],
    ]);
    // An acknowledged incident still takes the job's later failures, and a green build resolves it.
    await finish("api", 2, "FAILURE");
    await finish("api", 3, "SUCCESS");
    const [done] = await incidents();
    expect(done).toMatchObject({ state: "resolved", build_count: 2, resolved_by_build: 3 });
  });

  it("keeps an incident resolved by hand resolved; the next failure opens a new one", async () => {
    const { finish, incidents } = await setup("incidents: manual");
    await finish("api", 1, "FAILURE");
    const [open] = await incidents();
    const res = await post(`/api/incidents/${open?.id}/resolve`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: "resolved",
      resolved_by: "manual",
      resolved_by_name: "admin token",
    });
    expect((await post(`/api/incidents/${open?.id}/resolve`, { by: "late" })).status).toBe(200);

    await finish("api", 2, "FAILURE");
    await finish("api", 1, "FAILURE"); // the same build again changes nothing
    const listed = await incidents();
    expect(listed.map((i) => [i.first_build, i.state, i.resolved_by, i.resolved_by_name])).toEqual([
      [2, "open", null, null],
      [1, "resolved", "manual", "admin token"],
    ]);
    await finish("api", 3, "SUCCESS");
    expect((await incidents("&state=open")).length).toBe(0);
  });

  it("refuses what it cannot act on with a problem", async () => {
    expect((await post("/api/incidents/999999/acknowledge")).status).toBe(404);
    const bad = await post("/api/incidents/1/resolve", { by: "" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("by");
    expect((await api("/api/incidents?state=closed")).status).toBe(400);
    expect((await api("/api/incidents/abc")).status).toBe(400);
  });
});

describe("the source's noise policy", () => {
  const patchPolicy = (sourceId: string, policy: unknown) =>
    api(`/api/sources/${sourceId}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ policy }),
    });

  it("pages only for kept branches and jobs, after enough failures in a row, with its priorities", async () => {
    const { source, incidents } = await setup("incidents: policy");
    const policy = {
      branches: { include: ["main", "release/*"], exclude: ["PR-*"] },
      jobs: { include: ["acme/**"], exclude: ["acme/sandbox/**"] },
      min_consecutive_failures: 2,
      priorities: { FAILURE: "MEDIUM", UNSTABLE: "LOW" },
    };
    expect((await patchPolicy(source.id, policy)).status).toBe(200);
    const send = async (job: string, number: number, status: string, branch: string | null) => {
      const extra = { scm: { ...(branch ? { branch } : {}), changes: [], culprits: [] } };
      for (const phase of ["COMPLETED", "FINALIZED"]) {
        const res = await deliver(buildPayload({ job, number, phase, status, extra }), {
          token: source.token,
        });
        expect(res.status).toBe(200);
      }
    };
    await send("acme/api", 1, "FAILURE", "origin/main");
    expect(await incidents()).toEqual([]); // one failure: not yet
    await send("acme/api", 2, "UNSTABLE", "origin/main");
    await send("acme/sandbox/try", 1, "FAILURE", "main"); // excluded job
    await send("acme/sandbox/try", 2, "FAILURE", "main");
    await send("acme/feature", 1, "FAILURE", "feature/x"); // branch not included
    await send("acme/feature", 2, "FAILURE", "feature/x");
    await send("acme/rel", 1, "FAILURE", null); // no branch: matches only without branches.include
    await send("acme/rel", 2, "FAILURE", null);
    await send("other/api", 1, "FAILURE", "main"); // job not included
    await send("other/api", 2, "FAILURE", "main");

    const listed = await incidents();
    expect(listed.map((i) => [i.job, i.first_build, i.build_count, i.priority])).toEqual([
      ["acme/api", 1, 2, "MEDIUM"],
    ]);
    // Per-build alerts keep the seed's priorities.
    const alerts = (await (await api(`/api/alerts?source_id=${source.id}&job=acme/api`)).json()) as {
      alerts: { priority: string }[];
    };
    expect(alerts.alerts.map((a) => a.priority)).toEqual(["MEDIUM", "HIGH"]);
  });
});

describe("silences and incidents", () => {
  it("opens an incident silenced during a matching silence, and un-silences it when the silence ends", async () => {
    const { source, finish, incidents, incident } = await setup("incidents: silenced");
    const now = nowMs();
    const created = await post("/api/silences", {
      match: { source_id: source.id, job: "acme/**" },
      starts_at: new Date(now - 60_000).toISOString(),
      ends_at: new Date(now + 3_600_000).toISOString(),
      comment: "database migration",
    });
    expect(created.status).toBe(201);
    const { id: silenceId } = (await created.json()) as { id: number };

    await finish("acme/api", 1, "FAILURE");
    await finish("other/api", 1, "FAILURE"); // not matched: not silenced
    const listed = await incidents();
    expect(listed.map((i) => [i.job, i.silenced])).toEqual([
      ["other/api", false],
      ["acme/api", true],
    ]);
    const silencedId = listed[1]?.id ?? 0;
    expect((await incident(silencedId)).timeline.map((e) => e.type)).toEqual(["opened", "silenced"]);

    expect((await api(`/api/silences/${silenceId}`, { method: "DELETE" })).status).toBe(200);
    const after = await incident(silencedId);
    expect(after.silenced).toBe(false);
    expect(after.timeline.map((e) => e.type)).toEqual(["opened", "silenced", "unsilenced"]);
  });
});

describe("who acts", () => {
  it("refuses the names the timeline gives the system", async () => {
    const res = await post("/api/incidents/1/acknowledge", { by: "Heartbeat" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("by");
  });
});

describe("request bodies", () => {
  it("refuses a body not labelled JSON (415) and changes nothing; no body at all is fine", async () => {
    const { source, finish, incidents } = await setup("incidents: media type");
    await finish("api", 1, "FAILURE");
    const [open] = await incidents();
    const unlabelled = await api(`/api/incidents/${open?.id}/acknowledge`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: JSON.stringify({ by: "Ada" }),
    });
    expect(unlabelled.status).toBe(415);
    expect(unlabelled.headers.get("Content-Type")).toContain("application/problem+json");
    const renamed = await api(`/api/sources/${source.id}`, {
      method: "PATCH",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ name: "renamed" }),
    });
    expect(renamed.status).toBe(415);
    expect((await incidents())[0]?.state).toBe("open");
    expect((await post(`/api/incidents/${open?.id}/acknowledge`)).status).toBe(200);
  });

  it("refuses keys it does not know, so a misspelt field is not silently ignored", async () => {
    const { source } = await setup("incidents: unknown keys");
    const renamed = await api(`/api/sources/${source.id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ nme: "renamed" }),
    });
    expect(renamed.status).toBe(400);
    const problem = (await renamed.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors[0]?.message).toContain("unknown field");
    expect(JSON.stringify(problem)).not.toContain("nme"); // the input is never echoed
    const acknowledged = await post("/api/incidents/1/acknowledge", { by: "Ada", not: "typo" });
    expect(acknowledged.status).toBe(400);
  });
});
