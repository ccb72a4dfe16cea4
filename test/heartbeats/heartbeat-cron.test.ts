/**
 * The cron trigger's heartbeat rules, on a fake clock (the controller's scheduledTime): a job past its
 * due time opens a `missed_build` incident once, with its timeline row, and the next build resolves
 * it; a miss resolved by hand stays resolved until the job builds again; a source with no event for
 * its silent_after opens `source_silent` once, and its next event resolves it; all within the D1
 * query budget.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { nowIso, nowMs } from "../../src/platform/clock";
import { countingD1 } from "../fault-bindings";
import { api, buildPayload, createSource, deliver } from "../helpers";
import { logsOfEachTest } from "../logs";
import {
  build,
  builds,
  HOUR,
  heartbeatOf,
  iso,
  type JobJson,
  jobNamed,
  MINUTE,
  putHeartbeat,
  runCron,
  type TestSource,
} from "./heartbeat-helpers";

const logs = logsOfEachTest();

/** Now, to the hour: the builds below start in the hours before it. */
const T0 = Math.floor(nowMs() / HOUR) * HOUR;

let source: TestSource;

beforeAll(async () => {
  source = await createSource("heartbeats");
  // Silent after a day: the source_silent rule is off unless the policy sets it.
  const patched = await api(`/api/sources/${source.id}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ policy: { silent_after: "1d" } }),
  });
  expect(patched.status).toBe(200);
});

/** What each cron run's heartbeat line said, in order. */
const heartbeatLines = () => logs.named("heartbeats_checked");
const checked = (missed_builds: number, silent_sources: number) => ({
  event: "heartbeats_checked",
  missed_builds,
  silent_sources,
});

interface IncidentRow {
  id: number;
  kind: string;
  source_id: string;
  source_name: string;
  job: string | null;
  job_display_name: string | null;
  branch: string | null;
  after_build: number;
  state: string;
  priority: string;
  last_build: number | null;
  opened_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolved_by_build: number | null;
  updated_at: string;
}

const incidentsOf = async (job: string) =>
  (await env.DB.prepare("SELECT * FROM incidents WHERE job = ?1 ORDER BY id").bind(job).all<IncidentRow>())
    .results;

const timelineOf = async (incidentId: number) =>
  (
    await env.DB.prepare(
      "SELECT type, at, build_number, by, note FROM incident_events WHERE incident_id = ?1",
    )
      .bind(incidentId)
      .all()
  ).results;

const resolveByHand = (id: number, at: string) =>
  env.DB.prepare(
    "UPDATE incidents SET state = 'resolved', resolved_by = 'manual', resolved_at = ?2, updated_at = ?2 WHERE id = ?1",
  )
    .bind(id, at)
    .run();

describe("the cron trigger's heartbeat rules", () => {
  // Each test's cron runs see only its own jobs: what an earlier test left due is cleared.
  afterEach(async () => {
    await env.DB.exec("UPDATE jobs SET heartbeat_due_at = NULL");
  });

  /** Builds 1…6 of `job`, hourly, the last one started 5 hours before T0: due 3.5 hours before T0. */
  async function hourly(job: string) {
    await builds(
      source,
      job,
      [10, 9, 8, 7, 6, 5].map((h) => T0 - h * HOUR),
    );
    const due = T0 - 5 * HOUR + 90 * MINUTE;
    expect(await heartbeatOf(source, job)).toMatchObject({ mode: "learned", due_at: iso(due) });
    return due;
  }

  it("opens a missed build once, with its timeline, and the next build resolves it", async () => {
    const due = await hourly("hb/hourly");
    await runCron(due - MINUTE);
    expect(await incidentsOf("hb/hourly")).toEqual([]);

    await runCron(due + MINUTE);
    const [missed, ...others] = await incidentsOf("hb/hourly");
    expect(others).toEqual([]);
    expect(missed).toMatchObject({
      kind: "missed_build",
      source_id: source.id,
      source_name: "heartbeats",
      job: "hb/hourly",
      job_display_name: "hourly",
      branch: "main",
      after_build: 6,
      state: "open",
      priority: "MEDIUM",
      last_build: 6,
      opened_at: iso(due + MINUTE),
      updated_at: iso(due + MINUTE),
      resolved_at: null,
    });
    expect(await timelineOf(missed?.id as number)).toEqual([
      {
        type: "opened",
        at: iso(due + MINUTE),
        build_number: null,
        by: "heartbeat",
        note: `No build started since #6; the next was due by ${iso(due)}`,
      },
    ]);
    expect((await heartbeatOf(source, "hb/hourly")).due_at).toBeNull();

    await runCron(due + 6 * MINUTE);
    expect(await incidentsOf("hb/hourly")).toHaveLength(1);
    expect(heartbeatLines()).toEqual([checked(0, 0), checked(1, 0), checked(0, 0)]);

    // Build #7 starts: the miss is resolved by the heartbeat, and the job is due again.
    const before = nowIso();
    await deliver(buildPayload({ job: "hb/hourly", number: 7, phase: "STARTED", timestamp: T0 - 3 * HOUR }), {
      token: source.token,
    });
    const [resolved] = await incidentsOf("hb/hourly");
    expect(resolved).toMatchObject({ state: "resolved", resolved_by: "heartbeat", resolved_by_build: 7 });
    expect(resolved?.resolved_at).toBe(resolved?.updated_at);
    expect((resolved?.resolved_at ?? "") >= before).toBe(true);
    expect(await heartbeatOf(source, "hb/hourly")).toMatchObject({
      due_at: iso(T0 - 3 * HOUR + 90 * MINUTE),
    });
  });

  it("does not reopen a miss resolved by hand until the job builds again", async () => {
    const due = await hourly("hb/by-hand");
    await runCron(due + MINUTE);
    const [missed] = await incidentsOf("hb/by-hand");
    await resolveByHand(missed?.id as number, iso(due + 2 * MINUTE));

    await runCron(due + HOUR);
    // A late event of a build already known does not re-arm the heartbeat.
    await deliver(
      buildPayload({
        job: "hb/by-hand",
        number: 6,
        phase: "COMPLETED",
        status: "SUCCESS",
        timestamp: T0 - 5 * HOUR,
      }),
      { token: source.token },
    );
    expect((await heartbeatOf(source, "hb/by-hand")).due_at).toBeNull();
    await runCron(due + 2 * HOUR);
    // Nor does a shorter interval set by hand: a miss after build #6 is already known.
    const shorter = await putHeartbeat((await jobNamed(source, "hb/by-hand")).id, { every: "30m" });
    expect(((await shorter.json()) as JobJson).heartbeat.due_at).toBe(iso(T0 - 5 * HOUR + HOUR));
    await runCron(due + 3 * HOUR);
    expect(await incidentsOf("hb/by-hand")).toHaveLength(1);

    // Build #7 re-arms it: 30 minutes and the default 30 minutes of grace after its start.
    const start = T0 - 30 * MINUTE;
    await deliver(buildPayload({ job: "hb/by-hand", number: 7, phase: "STARTED", timestamp: start }), {
      token: source.token,
    });
    await runCron(start + HOUR + MINUTE);
    const incidents = await incidentsOf("hb/by-hand");
    expect(incidents.map(({ state, after_build }) => ({ state, after_build }))).toEqual([
      { state: "resolved", after_build: 6 },
      { state: "open", after_build: 7 },
    ]);
    expect(heartbeatLines()).toEqual([
      checked(1, 0),
      checked(0, 0),
      checked(0, 0),
      checked(0, 0),
      checked(1, 0),
    ]);
  });

  it("stays within D1_QUERIES_PER_INVOCATION, the most overdue first, and opens the rest later", async () => {
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)
       INSERT INTO jobs (source_id, source_name, job, display_name, state, last_build, updated_at, heartbeat_due_at)
       SELECT ?1, 'heartbeats', 'hb/many-' || i, 'many-' || i, 'passing', 1, ?2,
              strftime('%Y-%m-%dT%H:%M:%fZ', ?3 + i, 'unixepoch')
       FROM n`,
    )
      .bind(source.id, iso(T0), (T0 - 2 * HOUR) / 1000)
      .run();
    // 8 queries: stale alerts (1), one round of due jobs (a read, the source's policy unless cached,
    // a batch of 3), then silences (2).
    const tight = countingD1(env.DB);
    await runCron(T0, { DB: tight.db, D1_QUERIES_PER_INVOCATION: "8" });
    expect(tight.calls.statements).toBeLessThanOrEqual(8);
    const opened = await env.DB.prepare(
      "SELECT job FROM incidents WHERE kind = 'missed_build' AND job LIKE 'hb/many-%' ORDER BY id",
    ).all<{ job: string }>();
    expect(opened.results.map((row) => row.job)).toEqual(
      Array.from({ length: 100 }, (_, i) => `hb/many-${i + 1}`),
    );

    await runCron(T0 + 5 * MINUTE);
    const all = await env.DB.prepare(
      "SELECT count(*) AS n FROM incidents WHERE kind = 'missed_build' AND job LIKE 'hb/many-%'",
    ).first<number>("n");
    expect(all).toBe(150);
    expect(heartbeatLines()).toEqual([checked(100, 0), checked(50, 0)]);
  });

  it("opens source_silent when Jenkins stops talking, once, and its next event resolves it", async () => {
    // A revoked source's silence is expected: it opens nothing.
    const gone = await createSource("heartbeats-gone");
    await build(gone, "gone/app", 1, T0);
    expect((await api(`/api/sources/${gone.id}`, { method: "DELETE" })).status).toBe(204);

    // The source's events, received at times of the test's choosing (as the queue consumer stores them).
    const F = nowMs() + 10 * 24 * HOUR;
    const receive = async (number: number, phase: string, receivedAt: number) => {
      const body = buildPayload({ job: "hb/talking", number, phase, timestamp: receivedAt });
      const message = {
        v: 1,
        source_id: source.id,
        received_at: iso(receivedAt),
        body: JSON.stringify(body),
        format: "json",
        truncated: false,
      };
      const batch = createMessageBatch("itoc360-jenkins-events", [
        { id: `talking-${number}-${phase}`, timestamp: new Date(), attempts: 1, body: message },
      ]);
      await worker.queue(batch as MessageBatch<never>, env);
    };
    const silences = async () =>
      (
        await env.DB.prepare(
          "SELECT * FROM incidents WHERE kind = 'source_silent' ORDER BY id",
        ).all<IncidentRow>()
      ).results;

    await receive(1, "STARTED", F);
    await runCron(F + 23 * HOUR);
    expect(await silences()).toEqual([]);

    await runCron(F + 24 * HOUR + MINUTE);
    const [silent, ...others] = await silences();
    expect(others).toEqual([]);
    expect(silent).toMatchObject({
      kind: "source_silent",
      source_id: source.id,
      source_name: "heartbeats",
      job: null,
      state: "open",
      priority: "MEDIUM",
      opened_at: iso(F + 24 * HOUR + MINUTE),
    });
    expect(await timelineOf(silent?.id as number)).toEqual([
      {
        type: "opened",
        at: iso(F + 24 * HOUR + MINUTE),
        build_number: null,
        by: "heartbeat",
        note: `Jenkins stopped talking: no event since ${iso(F)}`,
      },
    ]);
    await runCron(F + 24 * HOUR + 6 * MINUTE);
    expect(await silences()).toHaveLength(1);

    // The next event ends the silence.
    await receive(1, "FINALIZED", F + 25 * HOUR);
    expect((await silences())[0]).toMatchObject({
      state: "resolved",
      resolved_by: "heartbeat",
      resolved_by_build: 1,
      resolved_at: iso(F + 25 * HOUR),
    });
    await runCron(F + 25 * HOUR + 10 * MINUTE);

    // A new silence opens a new incident; resolved by hand, it stays resolved while the silence lasts.
    await runCron(F + 49 * HOUR + MINUTE);
    const [, second] = await silences();
    expect(second).toMatchObject({ state: "open", opened_at: iso(F + 49 * HOUR + MINUTE) });
    await resolveByHand(second?.id as number, iso(F + 49 * HOUR + 2 * MINUTE));
    await runCron(F + 50 * HOUR);
    expect((await silences()).map((row) => row.state)).toEqual(["resolved", "resolved"]);
    expect(heartbeatLines()).toEqual([
      checked(0, 0),
      checked(0, 1),
      checked(0, 0),
      checked(0, 0),
      checked(0, 1),
      checked(0, 0),
    ]);
  });
});
