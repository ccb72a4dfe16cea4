/**
 * The consumer after an outage: a queue batch of redelivered messages (every message of a batch that
 * failed once, e.g. during a short D1 outage, comes back with attempts 2) is written as promptly as a
 * fresh one, within the plan's 50 queries, without spending the messages' attempts on waiting.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliveriesFor } from "../../fixtures/health-model";
import worker from "../../src/index";
import { EVENTS_QUEUE_NAME } from "../../src/platform/queue-names";
import { sourceWithPolicy } from "../alerts/generated-histories";
import { countingD1 } from "../fault-bindings";
import { queueMessages } from "./queued";

/** 25 failing builds of `job`, four deliveries each: 100 messages. */
function failingBuilds(job: string) {
  const at = 1_764_000_000_000;
  return Array.from({ length: 25 }, (_, i) =>
    deliveriesFor(job, { number: i + 1, status: "FAILURE", start: at + i * 120_000, duration: 60_000 }),
  ).flat();
}

describe("the queue consumer after an outage", () => {
  it("stores a batch of 100 redelivered messages in one invocation on the Free plan's budget", async () => {
    const source = await sourceWithPolicy("redelivered batch", { min_consecutive_failures: 1 });
    const bodies = failingBuilds("rv-outage/app");
    expect(bodies).toHaveLength(100);
    const batch = createMessageBatch(
      EVENTS_QUEUE_NAME,
      queueMessages(source.id, bodies).map((body, i) => ({
        id: `r${i}`,
        body,
        attempts: 2,
        timestamp: new Date(),
      })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<never>, { ...env, D1_QUERIES_PER_INVOCATION: "50" });
    const { explicitAcks, retryMessages } = await getQueueResult(batch, ctx);
    expect({ acked: explicitAcks.length, retried: retryMessages.length }).toEqual({ acked: 100, retried: 0 });
  });

  it("stays within the Free plan's 50 queries for a batch of 100 from 20 sources, reads included", async () => {
    const sources = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sourceWithPolicy(`budget ${i}`, { min_consecutive_failures: 1 })),
    );
    const at = 1_764_000_000_000;
    const messages = sources.flatMap((source, s) =>
      queueMessages(
        source.id,
        deliveriesFor(`rv-budget-${s}/app`, {
          number: 1,
          status: "FAILURE",
          start: at,
          duration: 60_000,
        }).concat(
          deliveriesFor(`rv-budget-${s}/app`, {
            number: 2,
            status: "FAILURE",
            start: at + 1,
            duration: 1,
          }).slice(0, 1),
        ),
      ),
    );
    expect(messages).toHaveLength(100);
    const batch = createMessageBatch(
      EVENTS_QUEUE_NAME,
      messages.map((body, i) => ({ id: `b${i}`, body, attempts: 1, timestamp: new Date() })),
    );
    const counting = countingD1(env.DB);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<never>, {
      ...env,
      DB: counting.db,
      D1_QUERIES_PER_INVOCATION: "50",
    });
    const { explicitAcks } = await getQueueResult(batch, ctx);
    expect(counting.calls.statements).toBeLessThanOrEqual(50);
  });

  it("after a failed write of a whole batch, stores every message before the queue's max_retries (12)", async () => {
    const source = await sourceWithPolicy("after an outage", { min_consecutive_failures: 1 });
    const bodies = failingBuilds("rv-outage-2/app");
    // Every message of the batch comes back once (the write failed: D1 was briefly unavailable).
    let pending = queueMessages(source.id, bodies).map((body, i) => ({ id: `o${i}`, body, attempts: 2 }));
    const past: number[] = [];
    let invocations = 0;
    while (pending.length > 0 && invocations < 100) {
      const batch = createMessageBatch(
        EVENTS_QUEUE_NAME,
        pending.map((message) => ({ ...message, timestamp: new Date() })),
      );
      const ctx = createExecutionContext();
      await worker.queue(batch as MessageBatch<never>, { ...env, D1_QUERIES_PER_INVOCATION: "50" });
      const { retryMessages } = await getQueueResult(batch, ctx);
      invocations += 1;
      const again = new Set(retryMessages.map((retry) => retry.msgId));
      pending = pending.filter((m) => again.has(m.id)).map((m) => ({ ...m, attempts: m.attempts + 1 }));
      // wrangler.toml: max_retries = 12 for itoc360-jenkins-events; past it the queue dead-letters itself.
      for (const m of pending) if (m.attempts > 13) past.push(m.attempts);
      pending = pending.filter((m) => m.attempts <= 13);
    }
    expect({ invocations, deadLetteredByTheQueue: past.length }).toEqual({
      invocations: 1,
      deadLetteredByTheQueue: 0,
    });
  });
});
