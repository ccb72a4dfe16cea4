/**
 * Retention, run by the cron trigger on a fake clock (the controller's scheduledTime): events past
 * RETENTION_DAYS are purged oldest first and their alerts stay readable, counting what went; alerts
 * past ALERT_RETENTION_DAYS go with their events; dead letters past RETENTION_DAYS go too; job health
 * is kept; every run stays within the plan's D1 queries per invocation, and a backlog is worked off
 * over several runs.
 */
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { PURGE_ROWS } from "../../src/operations/retention";
import { nowMs } from "../../src/platform/clock";
import { countingD1 } from "../fault-bindings";
import { api, buildPayload, createSource, dashboardPage, dashboardSession, getAlert } from "../helpers";

/** The fake clock: every run below happens at this time. */
const NOW = Date.parse("2031-06-01T00:00:00.000Z");
const DAY = 86_400_000;
const daysAgo = (days: number, minutes = 0) => new Date(NOW - days * DAY + minutes * 60_000).toISOString();

let source: { id: string; token: string };

beforeAll(async () => {
  source = await createSource("retention");
});

/** Stores a build's phases as the queue consumer does, each received at the time given. */
async function store(job: string, number: number, status: string, receivedAt: (phase: number) => string) {
  const phases = ["QUEUED", "STARTED", "COMPLETED", "FINALIZED"];
  const messages = phases.map((phase, i) => ({
    id: `${job}-${number}-${phase}`,
    timestamp: new Date(),
    attempts: 1,
    body: {
      v: 1,
      source_id: source.id,
      received_at: receivedAt(i),
      body: JSON.stringify(
        buildPayload({
          job,
          number,
          phase,
          ...(i >= 2 ? { status } : {}),
          timestamp: NOW - 400 * DAY + number * 1000 + i,
        }),
      ),
      format: "json",
      truncated: false,
    },
  }));
  const batch = createMessageBatch("itoc360-jenkins-events", messages);
  await worker.queue(batch as MessageBatch<never>, { ...env, D1_QUERIES_PER_INVOCATION: "1000" });
  const row = await env.DB.prepare("SELECT id FROM alerts WHERE job = ?1 AND build_number = ?2")
    .bind(job, number)
    .first<number>("id");
  if (row === null) throw new Error(`${job} #${number} was not stored`);
  return row;
}

async function runCron(overrides: Partial<Env> = {}, at = NOW) {
  const ctx = createExecutionContext();
  const controller = createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" });
  await worker.scheduled(controller, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
}

const jobHealth = async (job: string) => {
  const { jobs } = (await (await api(`/api/jobs?source_id=${source.id}`)).json()) as {
    jobs: { job: string }[];
  };
  return jobs.find((j) => j.job === job);
};

const eventsOf = (job: string) =>
  env.DB.prepare("SELECT count(*) AS n FROM events WHERE job = ?1").bind(job).first<number>("n");

describe("the cron trigger's retention", () => {
  it("purges events past RETENTION_DAYS and leaves their alerts readable, counting what went", async () => {
    const red = await store("ret/api", 1, "FAILURE", (i) => daysAgo(100, i));
    // Half its timeline past retention, half within.
    const green = await store("ret/api", 2, "SUCCESS", (i) => (i < 2 ? daysAgo(95, i) : daysAgo(10, i)));
    const recent = await store("ret/recent", 1, "FAILURE", (i) => daysAgo(0.5, i));
    const before = await Promise.all([getAlert(red), getAlert(green), getAlert(recent)]);
    const healthBefore = await jobHealth("ret/api");

    await runCron();

    const [oldRed, oldGreen, fresh] = await Promise.all([getAlert(red), getAlert(green), getAlert(recent)]);
    const { events: _, ...redBefore } = before[0];
    expect(oldRed).toEqual({ ...redBefore, purged_events: 4, events: [] });
    expect(oldGreen).toMatchObject({ state: "resolved", event_count: 4, purged_events: 2 });
    expect(oldGreen.events.map((e) => e.phase)).toEqual(["COMPLETED", "FINALIZED"]);
    expect(fresh).toEqual(before[2]);
    expect(fresh).toMatchObject({ purged_events: 0, event_count: 4 });
    expect(await jobHealth("ret/api")).toEqual(healthBefore);
  });

  it("says on the alert's page how many of its events were purged", async () => {
    const alert = await store("ret/page", 1, "FAILURE", (i) => daysAgo(200, i));
    await runCron();
    const res = await dashboardPage(`/alerts/${alert}`, await dashboardSession());
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/id="purged-events">4 earlier events were purged/);
  });

  it("purges alerts past ALERT_RETENTION_DAYS with their events, and keeps job health", async () => {
    const ancient = await store("ret/ancient", 1, "FAILURE", (i) => daysAgo(400, i));
    const kept = await store("ret/ancient", 2, "FAILURE", (i) => daysAgo(300, i));
    const health = await jobHealth("ret/ancient");

    await runCron();

    expect((await api(`/api/alerts/${ancient}`)).status).toBe(404);
    expect(await getAlert(kept)).toMatchObject({ purged_events: 4, events: [] });
    expect(await eventsOf("ret/ancient")).toBe(0);
    expect(await jobHealth("ret/ancient")).toEqual(health);
  });

  it("honours RETENTION_DAYS and ALERT_RETENTION_DAYS from wrangler.toml's vars", async () => {
    const alert = await store("ret/vars", 1, "FAILURE", (i) => daysAgo(40, i));
    await runCron({ RETENTION_DAYS: "30" });
    expect(await getAlert(alert)).toMatchObject({ purged_events: 4 });
    await runCron({ ALERT_RETENTION_DAYS: "35" });
    expect((await api(`/api/alerts/${alert}`)).status).toBe(404);
  });

  it("stays within D1_QUERIES_PER_INVOCATION, oldest first, and works a backlog off over later runs", async () => {
    const alert = await store("ret/backlog", 1, "FAILURE", (i) => daysAgo(150, i));
    // 1,000 more events of the build, the oldest in the database: received one second apart.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
       INSERT INTO events (event_uid, source_id, job, build_number, phase, build_timestamp, kind, priority,
                           received_at, body)
       SELECT 'backlog-' || i, ?1, 'ret/backlog', 1, 'NONE', i, 'ALERT', 'LOW',
              strftime('%Y-%m-%dT%H:%M:%fZ', ?2 + i, 'unixepoch'), '{}'
       FROM n`,
    )
      .bind(source.id, (NOW - 250 * DAY) / 1000)
      .run();
    await env.DB.prepare("UPDATE alerts SET event_count = event_count + 1000 WHERE id = ?1")
      .bind(alert)
      .run();

    // 24 queries: marking stale alerts (1), the heartbeat checks (3: nothing due, one quiet source
    // whose policy is read unless cached), silences (3: the silences, where the last run stopped, the
    // incidents; nothing to change), the outbox sweep (2), the insights' rollup (5: where it stands, the
    // new events, one batch counting their build's day again), one round of alerts (4: none to purge,
    // with their events, test failures and the rollup's emptied days), three of events (6).
    const tight = countingD1(env.DB);
    await runCron({ DB: tight.db, D1_QUERIES_PER_INVOCATION: "24" });
    expect(tight.calls.statements).toBeGreaterThanOrEqual(23);
    expect(tight.calls.statements).toBeLessThanOrEqual(24);
    expect(tight.calls.batches.every((size) => size <= 4)).toBe(true);
    expect(await eventsOf("ret/backlog")).toBe(1004 - 3 * PURGE_ROWS);
    // The oldest went first.
    const oldestLeft = await env.DB.prepare(
      "SELECT min(build_timestamp) AS n FROM events WHERE job = 'ret/backlog' AND phase = 'NONE'",
    ).first<number>("n");
    expect(oldestLeft).toBe(3 * PURGE_ROWS + 1);

    // The Free plan's 50 queries finish it (404 events: three rounds) and stop when nothing is left:
    // one round of dead letters (none to purge) after them; stale alerts, heartbeats, silences, the
    // sweep and the rollup (2: nothing new) before.
    const free = countingD1(env.DB);
    await runCron({ DB: free.db, D1_QUERIES_PER_INVOCATION: "50" });
    expect(free.calls.statements).toBeGreaterThanOrEqual(1 + 2 + 3 + 2 + 2 + 4 + 3 * 2 + 1);
    expect(free.calls.statements).toBeLessThanOrEqual(1 + 3 + 3 + 2 + 2 + 4 + 3 * 2 + 1);
    expect(await eventsOf("ret/backlog")).toBe(0);
    expect(await getAlert(alert)).toMatchObject({ event_count: 1004, purged_events: 1004, events: [] });
  });

  it("purges dead letters past RETENTION_DAYS: they hold bodies too", async () => {
    const batch = createMessageBatch("itoc360-jenkins-events-dlq", [
      { id: "old-letter", timestamp: new Date(), attempts: 1, body: { hello: "world" } },
    ]);
    await worker.queue(batch as MessageBatch<never>, env);
    const letters = async () =>
      ((await (await api("/api/dead-letters")).json()) as { dead_letters: unknown[] }).dead_letters.length;
    expect(await letters()).toBe(1);
    await runCron({}, nowMs() + 89 * DAY);
    expect(await letters()).toBe(1);
    await runCron({}, nowMs() + 91 * DAY);
    expect(await letters()).toBe(0);
  });

  it("keeps marking silent open alerts stale", async () => {
    const stuck = await store("ret/stuck", 1, "FAILURE", (i) => daysAgo(2, i));
    await runCron();
    expect(await getAlert(stuck)).toMatchObject({ state: "stale", purged_events: 0 });
  });
});
