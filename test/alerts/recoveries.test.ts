/** Alert states: own resolves, recoveries by later green builds, staleness, quiet lifecycle. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { nowMs } from "../../src/platform/clock";
import { type AlertJson, api, buildPayload, createSource, deliver, getAlert } from "../helpers";
import { captureLogs } from "../logs";

let token: string;

beforeAll(async () => {
  ({ token } = await createSource("recoveries"));
});

const T0 = 1_764_000_000_000;
const minutes = (n: number) => T0 + n * 60_000;

async function send(spec: Parameters<typeof buildPayload>[0], as = token) {
  const res = await deliver(buildPayload(spec), { token: as });
  expect(res.status).toBe(200);
  return (await res.json()) as { alert_id: number; duplicate: boolean };
}

/** A build's four events, finishing at minute `end` (COMPLETED) with `status`. */
async function build(job: string, number: number, status: string, end: number, as = token) {
  const ids = [];
  ids.push(await send({ job, number, phase: "QUEUED", timestamp: minutes(end - 6) }, as));
  ids.push(await send({ job, number, phase: "STARTED", timestamp: minutes(end - 5) }, as));
  ids.push(await send({ job, number, phase: "COMPLETED", status, timestamp: minutes(end) }, as));
  ids.push(await send({ job, number, phase: "FINALIZED", status, timestamp: minutes(end) + 100 }, as));
  return ids[0]?.alert_id as number;
}

describe("recoveries", () => {
  it("resolves a build's alert by its own FINALIZED SUCCESS", async () => {
    const id = await build("rec/own", 1, "SUCCESS", 10);
    expect(await getAlert(id)).toMatchObject({
      state: "resolved",
      resolved_by_build: 1,
      resolved_at: expect.any(String),
    });
  });

  it("resolves earlier finished failures of the job when a later build goes green", async () => {
    const job = "rec/green";
    const failed = await build(job, 5, "FAILURE", 10);
    const aborted = await build(job, 6, "ABORTED", 20);
    expect(await getAlert(failed)).toMatchObject({ state: "open", resolved_by_build: null });
    await build(job, 7, "SUCCESS", 30);
    expect(await getAlert(failed)).toMatchObject({ state: "resolved", resolved_by_build: 7 });
    expect(await getAlert(aborted)).toMatchObject({ state: "resolved", resolved_by_build: 7 });
  });

  it("leaves running builds, other jobs and other sources alone", async () => {
    const job = "rec/scope";
    const running = (await send({ job, number: 1, phase: "STARTED", timestamp: minutes(1) })).alert_id;
    const otherJob = await build("rec/scope-other", 1, "FAILURE", 5);
    const other = await createSource("another jenkins");
    const otherSource = await build(job, 1, "FAILURE", 5, other.token);
    await build(job, 2, "SUCCESS", 10);
    expect(await getAlert(running)).toMatchObject({ state: "open" });
    expect(await getAlert(otherJob)).toMatchObject({ state: "open" });
    expect(await getAlert(otherSource)).toMatchObject({ state: "open" });
  });

  it("resolves the red build when the green FINALIZED arrives before the red COMPLETED", async () => {
    const job = "rec/out-of-order";
    const red = (await send({ job, number: 3, phase: "STARTED", timestamp: minutes(0) })).alert_id;
    await send({ job, number: 4, phase: "FINALIZED", status: "SUCCESS", timestamp: minutes(20) });
    expect(await getAlert(red)).toMatchObject({ state: "open" }); // still running, as far as we know
    // The red build had finished at minute 10, before the green one; its COMPLETED arrives late.
    await send({ job, number: 3, phase: "COMPLETED", status: "FAILURE", timestamp: minutes(10) });
    expect(await getAlert(red)).toMatchObject({ state: "resolved", resolved_by_build: 4, status: "FAILURE" });
  });

  it("keeps a failure that finished after the green build open (concurrent builds)", async () => {
    const job = "rec/concurrent";
    await build(job, 8, "SUCCESS", 10);
    const later = await build(job, 7, "FAILURE", 15); // lower number, finished later
    expect(await getAlert(later)).toMatchObject({ state: "open" });
  });

  it("compares the green build's COMPLETED time even when its FINALIZED arrives first", async () => {
    const job = "rec/finalized-first";
    // Builds 3 and 4 run at once: 4 completes at minute 20, 3 ten seconds later, 4 finalizes at 21.
    await send({ job, number: 4, phase: "FINALIZED", status: "SUCCESS", timestamp: minutes(21) });
    const red = (
      await send({ job, number: 3, phase: "COMPLETED", status: "FAILURE", timestamp: minutes(20) + 10_000 })
    ).alert_id;
    // Only the FINALIZED's time is known so far: the recovery stands until the COMPLETED says otherwise.
    expect(await getAlert(red)).toMatchObject({ state: "resolved", resolved_by_build: 4 });
    await send({ job, number: 4, phase: "COMPLETED", status: "SUCCESS", timestamp: minutes(20) });
    expect(await getAlert(red)).toMatchObject({ state: "open", resolved_by_build: null, resolved_at: null });
    await build(job, 5, "SUCCESS", 30);
    expect(await getAlert(red)).toMatchObject({ state: "resolved", resolved_by_build: 5 });
  });

  it("hands a recovery to the next green build that finished later, whichever COMPLETED comes last", async () => {
    const job = "rec/handed-over";
    await send({ job, number: 4, phase: "FINALIZED", status: "SUCCESS", timestamp: minutes(21) });
    await build(job, 5, "SUCCESS", 30);
    const red = await build(job, 3, "FAILURE", 20.5); // after 4 completed, before it finalized
    expect(await getAlert(red)).toMatchObject({ state: "resolved", resolved_by_build: 4 });
    await send({ job, number: 4, phase: "COMPLETED", status: "SUCCESS", timestamp: minutes(20) });
    expect(await getAlert(red)).toMatchObject({ state: "resolved", resolved_by_build: 5 });
  });

  it("leaves a recovery with the later green build when a lower one, arriving late, completed first", async () => {
    const job = "rec/late-lower-green";
    await build(job, 5, "SUCCESS", 30);
    const red = await build(job, 3, "FAILURE", 20.5);
    await send({ job, number: 4, phase: "COMPLETED", status: "SUCCESS", timestamp: minutes(20) });
    await send({ job, number: 4, phase: "FINALIZED", status: "SUCCESS", timestamp: minutes(21) });
    expect(await getAlert(red)).toMatchObject({ state: "resolved", resolved_by_build: 5 });
  });

  it("names the lower green build once the red build's COMPLETED shows it finished before it", async () => {
    const job = "rec/red-finalized-first";
    await build(job, 4, "SUCCESS", 20);
    await build(job, 5, "SUCCESS", 40);
    // Build 3 completed at minute 19 but finalized at minute 21; its FINALIZED comes first.
    await send({ job, number: 3, phase: "FINALIZED", status: "FAILURE", timestamp: minutes(21) });
    const red = (
      await send({ job, number: 3, phase: "COMPLETED", status: "FAILURE", timestamp: minutes(19) })
    ).alert_id;
    expect(await getAlert(red)).toMatchObject({ state: "resolved", resolved_by_build: 4 });
  });

  it("opens a new alert for a failure after a recovery", async () => {
    const job = "rec/again";
    const first = await build(job, 1, "FAILURE", 10);
    await build(job, 2, "SUCCESS", 20);
    const second = await build(job, 3, "FAILURE", 30);
    expect(await getAlert(first)).toMatchObject({ state: "resolved", resolved_by_build: 2 });
    expect(await getAlert(second)).toMatchObject({ state: "open" });
  });

  it("is not moved by duplicates or late events", async () => {
    const job = "rec/settled";
    const red = await build(job, 1, "FAILURE", 10);
    await build(job, 2, "SUCCESS", 20);
    const settled = await getAlert(red);
    // The green build again, the red build's phases again, and a manual NONE send.
    await send({ job, number: 2, phase: "FINALIZED", status: "SUCCESS", timestamp: minutes(20) + 100 });
    await send({ job, number: 1, phase: "COMPLETED", status: "FAILURE", timestamp: minutes(10) });
    await send({ job, number: 1, phase: "NONE", status: "FAILURE", timestamp: minutes(40) });
    const after = await getAlert(red);
    expect(after).toMatchObject({
      state: "resolved",
      resolved_by_build: 2,
      resolved_at: settled.resolved_at,
    });
  });
});

describe("stale alerts", () => {
  async function runCron(at: Date) {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/30 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
  }

  it("marks open alerts silent for STALE_AFTER_HOURS stale, and a new event reopens them", async () => {
    const job = "rec/stale";
    const stuck = (await send({ job, number: 1, phase: "STARTED", timestamp: minutes(0) })).alert_id;
    const fresh = (await send({ job: "rec/fresh", number: 1, phase: "STARTED", timestamp: minutes(0) }))
      .alert_id;
    // Silent for two days: past STALE_AFTER_HOURS, well within ALERT_RETENTION_DAYS.
    const twoDaysAgo = new Date(nowMs() - 2 * 86_400_000).toISOString();
    await env.DB.prepare("UPDATE alerts SET last_seen_at = ?2 WHERE id = ?1").bind(stuck, twoDaysAgo).run();

    const logs = captureLogs();
    const now = new Date(nowMs());
    await runCron(now);
    const cutoff = new Date(now.getTime() - Number(env.STALE_AFTER_HOURS) * 3_600_000).toISOString();
    expect(logs.lines).toEqual([
      { level: "log", message: "marked stale alerts", stale: 1, cutoff },
      expect.objectContaining({ level: "log", event: "heartbeats_checked" }),
      // The builds above opened incidents: the outbox sweep puts their timeline on the queue.
      expect.objectContaining({ level: "log", event: "notify_sweep" }),
      expect.objectContaining({ level: "log", event: "retention_purged" }),
    ]);
    expect(await getAlert(stuck)).toMatchObject({ state: "stale" });
    expect(await getAlert(fresh)).toMatchObject({ state: "open" });
    const listed = (await (await api("/api/alerts?state=stale")).json()) as { alerts: AlertJson[] };
    expect(listed.alerts.map((a) => a.id)).toContain(stuck);

    await send({ job, number: 1, phase: "COMPLETED", status: "FAILURE", timestamp: minutes(90) });
    expect(await getAlert(stuck)).toMatchObject({ state: "open", status: "FAILURE" });
  });

  it("lets a green build resolve a stale alert", async () => {
    const job = "rec/stale-green";
    const red = await build(job, 1, "FAILURE", 10);
    await env.DB.prepare("UPDATE alerts SET state = 'stale' WHERE id = ?1").bind(red).run();
    await build(job, 2, "SUCCESS", 20);
    expect(await getAlert(red)).toMatchObject({ state: "resolved", resolved_by_build: 2 });
  });
});

describe("quiet lifecycle", () => {
  it("records successful builds without opening alerts, opens on failure, and still resolves", async () => {
    const quiet = await createQuietSource();
    const job = "rec/quiet";
    const green = await build(job, 1, "SUCCESS", 10, quiet.token);
    const running = (await send({ job, number: 2, phase: "STARTED", timestamp: minutes(12) }, quiet.token))
      .alert_id;
    expect(await getAlert(green)).toMatchObject({ state: "quiet", event_count: 4 });
    expect(await getAlert(running)).toMatchObject({ state: "quiet" });

    await send(
      { job, number: 2, phase: "COMPLETED", status: "UNSTABLE", timestamp: minutes(15) },
      quiet.token,
    );
    expect(await getAlert(running)).toMatchObject({ state: "open", status: "UNSTABLE", event_count: 2 });

    const listed = (await (await api(`/api/alerts?source_id=${quiet.id}`)).json()) as { alerts: AlertJson[] };
    expect(listed.alerts.map((a) => a.build_number)).toEqual([2]); // quiet builds are not alerts
    const all = (await (await api(`/api/alerts?source_id=${quiet.id}&state=quiet`)).json()) as {
      alerts: AlertJson[];
    };
    expect(all.alerts.map((a) => a.build_number)).toEqual([1]);

    await build(job, 3, "SUCCESS", 30, quiet.token);
    expect(await getAlert(running)).toMatchObject({ state: "resolved", resolved_by_build: 3 });
  });

  it.each([["FAILURE"], ["ABORTED"]])("opens an alert for %s", async (status) => {
    const quiet = await createQuietSource();
    const id = (await send({ job: "rec/quiet-fail", number: 1, phase: "COMPLETED", status }, quiet.token))
      .alert_id;
    expect(await getAlert(id)).toMatchObject({ state: "open" });
  });

  it("can be switched on and off with PATCH /api/sources/:id", async () => {
    const { id, token: t } = await createSource("switchable");
    const patch = (body: unknown) =>
      api(`/api/sources/${id}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const res = await patch({ quiet_lifecycle: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, quiet_lifecycle: true });
    const quietAlert = (await send({ job: "rec/switch", number: 1, phase: "STARTED" }, t)).alert_id;
    expect(await getAlert(quietAlert)).toMatchObject({ state: "quiet" });

    await patch({ quiet_lifecycle: false });
    const loudAlert = (await send({ job: "rec/switch", number: 2, phase: "STARTED" }, t)).alert_id;
    expect(await getAlert(loudAlert)).toMatchObject({ state: "open" });
    expect((await patch({ quiet_lifecycle: "yes" })).status).toBe(400);
    expect(
      (
        await api("/api/sources/nope", {
          method: "PATCH",
          body: "{}",
          headers: { "Content-Type": "application/json" },
        })
      ).status,
    ).toBe(404);
  });
});

async function createQuietSource() {
  const res = await api("/api/sources", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "quiet jenkins", quiet_lifecycle: true }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string; quiet_lifecycle: boolean };
}
