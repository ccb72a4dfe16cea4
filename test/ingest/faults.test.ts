/**
 * Storage faults, injected with wrapping bindings: nothing acknowledged is lost, nothing is
 * acknowledged that neither D1 nor the queue holds, and no fault surfaces as a raw 500. Each fault's
 * log lines are captured and checked: they are what an operator sees.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { capturingQueue, countingKV, failingD1, refusingQueue, throwingKV } from "../fault-bindings";
import { buildPayload, createSource, deliver, eventually, getAlert, storageSnapshot } from "../helpers";
import { logsOfEachTest } from "../logs";

const logs = logsOfEachTest();
const D1_DOWN = "Error: D1_ERROR: Network connection lost.";
let token: string;

beforeAll(async () => {
  ({ token } = await createSource("faults"));
});

const deliverWith = (overrides: Partial<Env>, body: unknown) => deliver(body, { token, env: overrides });

async function drain(messages: unknown[], overrides: Partial<Env> = {}) {
  const ctx = createExecutionContext();
  const batch = createMessageBatch(
    "itoc360-jenkins-events",
    messages.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  await worker.queue(batch as MessageBatch<never>, { ...env, ...overrides });
  return getQueueResult(batch, ctx);
}

describe("when D1 fails", () => {
  it("retries and stores the event when D1 recovers within the retries", async () => {
    const { db, calls } = failingD1(env.DB, 2);
    const res = await deliverWith({ DB: db }, buildPayload({ job: "faults/flaky", number: 1 }));
    expect(res.status).toBe(200);
    const { alert_id } = (await res.json()) as { alert_id: number };
    expect(calls.batch).toBe(3);
    expect((await getAlert(alert_id)).event_count).toBe(1);
    expect(logs.lines).toEqual([]); // retries that succeed are not worth a line
  });

  it("hands the event to the queue, answers 202, and the consumer stores it once", async () => {
    const { db } = failingD1(env.DB, Number.POSITIVE_INFINITY);
    const { queue, sent } = capturingQueue();
    const phases = [
      { phase: "STARTED" },
      { phase: "FINALIZED", status: "FAILURE" },
      { phase: "FINALIZED", status: "FAILURE" }, // a plugin retry: the same delivery again
    ];
    for (const spec of phases) {
      const res = await deliverWith(
        { DB: db, EVENTS_QUEUE: queue },
        buildPayload({ job: "faults/down", number: 8, ...spec }),
      );
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ queued: true, kind: "ALERT", alert_id: null });
    }
    expect(sent).toHaveLength(3);
    const before = (await storageSnapshot()) as { alerts: { job: string }[] };
    expect(before.alerts.some((a) => a.job === "faults/down")).toBe(false);

    const result = await drain(sent);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2"]);
    // Redelivered by the queue: still stored once.
    await drain(sent);

    const row = await env.DB.prepare("SELECT id FROM alerts WHERE job = 'faults/down'").first<{
      id: number;
    }>();
    const alert = await getAlert(row?.id ?? 0);
    expect(alert).toMatchObject({ phase: "FINALIZED", status: "FAILURE", priority: "HIGH", event_count: 2 });

    const deferred = { event: "delivery_deferred", status: 202, problem: "storage-unavailable" };
    expect(logs.named("D1 refused a delivery")).toEqual(
      Array(3).fill({ message: "D1 refused a delivery", error: D1_DOWN }),
    );
    expect(logs.named("delivery_deferred")).toEqual(Array(3).fill(expect.objectContaining(deferred)));
    expect(logs.named("queued_delivery_stored").map((line) => line.duplicate)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
  });

  it("answers 503 problem+json with Retry-After, and stores nothing, when the queue refuses too", async () => {
    const { db } = failingD1(env.DB, Number.POSITIVE_INFINITY);
    const before = await storageSnapshot();
    const res = await deliverWith(
      { DB: db, EVENTS_QUEUE: refusingQueue() },
      buildPayload({ job: "faults/lost" }),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(res.headers.get("Retry-After")).toBe("5");
    expect(await res.text()).not.toMatch(/D1_ERROR|at .*\.ts/);
    expect(await storageSnapshot()).toEqual(before);
    expect(logs.lines).toEqual([
      { level: "error", message: "D1 refused a delivery", error: D1_DOWN },
      {
        level: "error",
        message: "the queue refused a delivery D1 had refused",
        error: "Error: Queue send failed: 500",
      },
      expect.objectContaining({
        level: "log",
        event: "delivery_rejected",
        status: 503,
        problem: "storage-unavailable",
      }),
      // Counting the rejection needs D1 too.
      expect.objectContaining({ level: "error", event: "rejection_count_failed", error: D1_DOWN }),
    ]);
  });

  it("lets the consumer retry a message D1 still refuses, then store it", async () => {
    const { db: down } = failingD1(env.DB, Number.POSITIVE_INFINITY);
    const { queue, sent } = capturingQueue();
    await deliverWith({ DB: down, EVENTS_QUEUE: queue }, buildPayload({ job: "faults/retry", number: 1 }));

    const refused = await drain(sent, { DB: down });
    expect(refused.explicitAcks).toEqual([]);
    expect(refused.retryMessages.map((m) => m.msgId)).toEqual(["m0"]);

    expect((await drain(sent)).explicitAcks).toEqual(["m0"]);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM events WHERE job = 'faults/retry'").first("n"),
    ).toBe(1);
    expect(logs.names()).toEqual([
      "D1 refused a delivery",
      "delivery_deferred",
      "queued_delivery_retry",
      "queued_delivery_stored",
    ]);
    expect(logs.named("queued_delivery_retry")).toEqual([
      { event: "queued_delivery_retry", attempts: 1, error: D1_DOWN },
    ]);
  });
});

describe("when the queue fails", () => {
  it("writes a deferred delivery to D1 after all, rather than answer 503", async () => {
    const res = await deliverWith(
      { MAX_DELIVERIES_IN_FLIGHT: "0", EVENTS_QUEUE: refusingQueue() },
      buildPayload({ job: "faults/queue-down", number: 1 }),
    );
    expect(res.status).toBe(200);
    const { alert_id } = (await res.json()) as { alert_id: number };
    expect((await getAlert(alert_id)).event_count).toBe(1);
    expect(logs.lines).toEqual([
      {
        level: "error",
        message: "the queue refused a deferred delivery; writing it now",
        error: "Error: Queue send failed: 500",
      },
    ]);
  });
});

describe("when KV fails", () => {
  it("fails closed with 503 and writes nothing", async () => {
    const before = await storageSnapshot();
    // A token this isolate has not cached yet, so the lookup reaches KV.
    const fresh = await createSource("kv-down");
    const mid = await storageSnapshot();
    const res = await deliver(buildPayload({ job: "faults/kv" }), {
      token: fresh.token,
      env: { SOURCES: throwingKV(env.SOURCES) },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(res.headers.get("Retry-After")).toBe("5");
    expect(await storageSnapshot()).toEqual(mid);
    expect(before).not.toEqual(mid); // the source itself was created before the fault
    expect(logs.lines).toEqual([
      {
        level: "error",
        message: "source lookup failed",
        error: "Error: KV GET failed: 503 Service Unavailable",
      },
      expect.objectContaining({
        event: "delivery_rejected",
        status: 503,
        problem: "source-lookup-unavailable",
      }),
    ]);
  });
});

describe("token checks", () => {
  it("refuses malformed tokens without reading KV", async () => {
    const { kv, calls } = countingKV(env.SOURCES);
    for (const bad of ["", "itoc_short", `xxxx_${"A".repeat(32)}`, `itoc_${"!".repeat(32)}`]) {
      const res = await deliver("{}", {
        token: bad,
        headers: { "CF-Connecting-IP": "198.51.100.7" },
        env: { SOURCES: kv },
      });
      expect(res.status).toBe(401);
    }
    expect(calls.get).toBe(0);
    expect(logs.named("delivery_rejected")).toEqual(
      Array(4).fill(expect.objectContaining({ status: 401, problem: "unauthorized", source_id: null })),
    );
  });

  it("reads KV once for a token, then serves a burst from the isolate's cache", async () => {
    const fresh = await createSource("burst");
    const { kv, calls } = countingKV(env.SOURCES);
    const send = (n: number) =>
      deliver(buildPayload({ job: "faults/burst", number: n }), { token: fresh.token, env: { SOURCES: kv } });
    expect((await send(1)).status).toBe(200);
    // One lookup: the record and its revocation key, then its expiry and its source's revocation key.
    expect(calls.get).toBe(4);
    const responses = await Promise.all(Array.from({ length: 25 }, (_, i) => send(i + 2)));
    expect(responses.every((r) => r.status === 200 || r.status === 202)).toBe(true);
    expect(calls.get).toBe(4);
    // What was deferred is stored by the queue consumer within seconds.
    const deferred = responses.filter((r) => r.status === 202).length;
    expect(logs.named("delivery_deferred")).toHaveLength(deferred);
    const stored = await eventually(
      async () => env.DB.prepare("SELECT count(*) AS n FROM events WHERE job = 'faults/burst'").first("n"),
      (n) => n === 26,
    );
    expect(stored).toBe(26);
    const taken = await eventually(
      async () => logs.named("queued_delivery_stored").length,
      (n) => n === deferred,
    );
    expect(taken).toBe(deferred);
    expect(new Set(logs.names())).toEqual(
      new Set(deferred > 0 ? ["delivery_deferred", "queued_delivery_stored"] : []),
    );
  });
});
