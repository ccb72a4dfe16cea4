/**
 * The EVENTS_QUEUE consumer: the message is a validated contract, a queue batch is written in as few
 * D1 batches as the plan's query limit allows, and what cannot be stored is retried or dead-lettered,
 * each with the log line an operator would look for.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { MAX_ATTEMPTS } from "../../src/ingest/consumer";
import { BATCH_STATEMENTS } from "../../src/ingest/store";
import { nowIso } from "../../src/platform/clock";
import { capturingQueue, failingD1, throwingKV } from "../fault-bindings";
import { api, buildPayload, createSource, queuedDelivery } from "../helpers";
import { logsOfEachTest } from "../logs";

const logs = logsOfEachTest();
const D1_DOWN = "Error: D1_ERROR: Network connection lost.";
let source: { id: string; token: string };

beforeAll(async () => {
  source = await createSource("queued");
});

const message = (job: string, number: number, extra: Record<string, unknown> = {}) =>
  queuedDelivery(source.id, job, number, extra);

async function drain(bodies: unknown[], overrides: Partial<Env> = {}, attempts = 1) {
  const ctx = createExecutionContext();
  const batch = createMessageBatch(
    "itoc360-jenkins-events",
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
  );
  // The delay each retry asked for (getQueueResult reports which messages, not their delays).
  const delays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      delays.push(options?.delaySeconds);
      retry(options);
    };
  }
  await worker.queue(batch as MessageBatch<never>, { ...env, ...overrides });
  return { ...(await getQueueResult(batch, ctx)), delays };
}

/** env.DB with its batches' sizes recorded. */
function countedD1() {
  const sizes: number[] = [];
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) => {
          sizes.push(statements.length);
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, sizes };
}

const storedCount = (job: string) =>
  env.DB.prepare("SELECT count(*) AS n FROM events WHERE job LIKE ?1").bind(`${job}%`).first<number>("n");

describe("the queue consumer", () => {
  it("writes a whole queue batch of 100 in one round trip within the Free plan's 50 queries", async () => {
    const { db, sizes } = countedD1();
    const bodies = Array.from({ length: 100 }, (_, i) => message(`queued/free-${i % 7}`, i + 1));
    const result = await drain(bodies, { DB: db, D1_QUERIES_PER_INVOCATION: "50" });
    expect(sizes).toHaveLength(1);
    expect(sizes[0]).toBeLessThanOrEqual(BATCH_STATEMENTS + 1);
    expect(sizes[0]).toBeLessThanOrEqual(50);
    expect(result.explicitAcks).toHaveLength(100);
    expect(result.retryMessages).toEqual([]);
    expect(await storedCount("queued/free-")).toBe(100);
    expect(logs.named("queued_delivery_stored")).toEqual(
      Array(100).fill({ event: "queued_delivery_stored", duplicate: false, attempts: 1 }),
    );
  });

  it("puts a batch back, unwritten, when D1_QUERIES_PER_INVOCATION is below what one write takes", async () => {
    const { db, sizes } = countedD1();
    const bodies = Array.from({ length: 5 }, (_, i) => message("queued/tight", i + 1));
    const result = await drain(bodies, { DB: db, D1_QUERIES_PER_INVOCATION: String(BATCH_STATEMENTS) });
    expect(sizes).toEqual([]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(5);
    expect(result.delays).toEqual(Array(5).fill(1));
    expect(await storedCount("queued/tight")).toBe(0);
  });

  it("counts what it stores as accepted and deferred, and a redelivery as nothing", async () => {
    const before = await sourceStats();
    const body = message("queued/counted", 1);
    await drain([body]);
    await drain([body]);
    const after = await sourceStats();
    expect(after.accepted - before.accepted).toBe(1);
    expect(after.deferred - before.deferred).toBe(1);
    expect(logs.named("queued_delivery_stored").map((line) => line.duplicate)).toEqual([false, true]);
  });

  it("stores messages in the previous release's shape, re-derived from their stored body", async () => {
    const body = JSON.stringify(
      buildPayload({ job: "queued/legacy", number: 3, phase: "FINALIZED", status: "SUCCESS" }),
    );
    const legacy = {
      source: { id: source.id, name: "queued" },
      event: { job: "queued/legacy", buildNumber: 3 },
      stored: { body, format: "json", truncated: false },
      receivedAt: nowIso(),
    };
    const result = await drain([legacy]);
    expect(result.explicitAcks).toEqual(["m0"]);
    const row = await env.DB.prepare("SELECT kind, state FROM alerts WHERE job = 'queued/legacy'").first();
    expect(row).toEqual({ kind: "RESOLVE", state: "resolved" });
    expect(logs.names()).toEqual(["queued_delivery_stored"]);
  });

  it.each([
    ["not a delivery message", () => ({ hello: "world" }), "not a delivery message", false],
    [
      "a message of an unknown version",
      () => ({ ...message("queued/v2", 1), v: 2 }),
      "not a delivery message",
      false,
    ],
    [
      "a body that fails validation",
      () => message("queued/invalid", 1, { body: '{"name":"x"}' }),
      "invalid payload",
      true,
    ],
  ])("sends %s to the dead-letter queue and stores nothing", async (_, build, why, attributed) => {
    const body = build();
    const { queue, sent } = capturingQueue();
    const result = await drain([body], { EVENTS_DLQ: queue });
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(sent).toEqual([{ dead_letter: 1, reason: why, attempts: 1, body }]);
    expect(logs.lines).toEqual([
      {
        level: "error",
        event: "queued_delivery_dead_lettered",
        why,
        source_id: attributed ? source.id : null,
        message_id: "m0",
      },
    ]);
  });

  it("writes the halves of a failed write again at once, so a transient D1 error costs one more write", async () => {
    const bodies = Array.from({ length: 3 }, (_, i) => message("queued/split", i + 1));
    const { db, calls } = failingD1(env.DB, 1);
    const result = await drain(bodies, { DB: db });
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2"]);
    expect(result.retryMessages).toEqual([]);
    expect(calls.batch).toBe(3);
    expect(await storedCount("queued/split")).toBe(3);
    expect(logs.named("queued_delivery_stored")).toEqual(
      Array(3).fill({ event: "queued_delivery_stored", duplicate: false, attempts: 1 }),
    );
  });

  it("holds back only the half of a batch that a failing delivery is in, and retries it with backoff", async () => {
    const bodies = [
      message("queued/poison", 1),
      message("queued/beside", 1),
      message("queued/beside", 2),
      message("queued/beside", 3),
    ];
    // D1 refuses every write holding the poisoned delivery (its staged values name its job).
    const poisoned = new Proxy(env.DB, {
      get(target, property) {
        if (property === "batch") {
          return (statements: D1PreparedStatement[]) =>
            JSON.stringify(statements).includes("queued/poison")
              ? Promise.reject(new Error("D1_ERROR: poisoned"))
              : target.batch(statements);
        }
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const result = await drain(bodies, { DB: poisoned });
    // 100 % of the batch failed, then half of it: the other half is stored.
    expect(result.explicitAcks.sort()).toEqual(["m2", "m3"]);
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["m0", "m1"]);
    expect(result.delays).toEqual([5, 5]);
    expect(await storedCount("queued/beside")).toBe(2);
  });

  it("backs off exponentially, up to five minutes", async () => {
    const { db } = failingD1(env.DB, Number.POSITIVE_INFINITY);
    const delays = [];
    for (const attempts of [1, 2, 3, 6, 9]) {
      const result = await drain([message("queued/down", 1)], { DB: db }, attempts);
      delays.push(result.delays[0]);
    }
    expect(delays).toEqual([5, 10, 20, 160, 300]);
    expect(logs.named("queued_delivery_retry").map((line) => line.attempts)).toEqual([1, 2, 3, 6, 9]);
    expect(logs.names()).toEqual(Array(5).fill("queued_delivery_retry"));
  });

  it(`dead-letters a message still failing after ${MAX_ATTEMPTS} attempts, and counts it against its source`, async () => {
    const { db } = failingD1(env.DB, Number.POSITIVE_INFINITY);
    const { queue, sent } = capturingQueue();
    const body = message("queued/lost", 1);
    const result = await drain([body], { DB: db, EVENTS_DLQ: queue }, MAX_ATTEMPTS);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(sent).toEqual([
      {
        dead_letter: 1,
        reason: "not stored after 10 attempts: Error: D1_ERROR: Network connection lost.",
        attempts: MAX_ATTEMPTS,
        body,
      },
    ]);
    const stats = (await (await api(`/api/sources/${source.id}`)).json()) as {
      stats: { rejected: Record<string, number> };
    };
    expect(stats.stats.rejected["dead-lettered"]).toBe(1);
    expect(logs.lines).toEqual([
      {
        level: "error",
        event: "queued_delivery_dead_lettered",
        why: `not stored after ${MAX_ATTEMPTS} attempts: ${D1_DOWN}`,
        source_id: source.id,
        message_id: "m0",
      },
      // Counting needs D1 too: with D1 still down, the count fails, and says so.
      { level: "error", event: "dead_letter_count_failed", error: D1_DOWN },
    ]);
  });

  it("waits for a source KV does not show yet, then dead-letters the message", async () => {
    const orphan = message("queued/orphan", 1, { source_id: "no-such-source" });
    const early = await drain([orphan]);
    expect(early.retryMessages).toHaveLength(1);
    const { queue, sent } = capturingQueue();
    const late = await drain([orphan], { EVENTS_DLQ: queue }, 5);
    expect(late.explicitAcks).toEqual(["m0"]);
    expect(sent).toEqual([{ dead_letter: 1, reason: "unknown source", attempts: 5, body: orphan }]);
    expect(logs.lines).toEqual([
      { level: "error", event: "queued_delivery_retry", attempts: 1, error: "unknown source (yet)" },
      {
        level: "error",
        event: "queued_delivery_dead_lettered",
        why: "unknown source",
        source_id: "no-such-source",
        message_id: "m0",
      },
    ]);
  });

  it("retries, rather than throws, when KV cannot be read", async () => {
    const unknown = message("queued/kv-down", 1, { source_id: crypto.randomUUID() });
    const result = await drain([unknown], { SOURCES: throwingKV(env.SOURCES) });
    expect(result.retryMessages).toHaveLength(1);
    expect(logs.lines).toEqual([
      {
        level: "error",
        event: "queued_delivery_retry",
        attempts: 1,
        error: "Error: KV GET failed: 503 Service Unavailable",
      },
    ]);
  });

  it("stores a delivery accepted before its source was revoked", async () => {
    const revoked = await createSource("revoked after accepting");
    const body = { ...message("queued/revoked", 1), source_id: revoked.id };
    expect((await api(`/api/sources/${revoked.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await drain([body])).explicitAcks).toEqual(["m0"]);
    expect(await storedCount("queued/revoked")).toBe(1);
    expect(logs.names()).toEqual(["queued_delivery_stored"]);
  });
});

async function sourceStats(): Promise<{ accepted: number; deferred: number }> {
  const res = await api(`/api/sources/${source.id}`);
  return ((await res.json()) as { stats: { accepted: number; deferred: number } }).stats;
}
