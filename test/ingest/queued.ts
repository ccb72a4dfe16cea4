/**
 * Plugin payloads as the queue carries them: the EVENTS_QUEUE messages the webhook sends
 * ({@link toMessage}), the deliveries the consumer reads back from them ({@link readQueuedDelivery}: the
 * accept pipeline, the source's noise policy and silences), and whole message lists run through the
 * real consumer batch by batch until every message is acknowledged.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../src/index";
import { type DeliveryMessage, toMessage } from "../../src/ingest/message";
import { readQueuedDelivery } from "../../src/ingest/queued-delivery";
import type { Delivery } from "../../src/ingest/store";
import { nowMs } from "../../src/platform/clock";
import { EVENTS_QUEUE_NAME } from "../../src/platform/queue-names";

/**
 * The messages for `bodies` of `sourceId`, received one millisecond apart in this order (a repeated
 * body is a redelivery, received again).
 */
export function queueMessages(sourceId: string, bodies: Record<string, unknown>[]): DeliveryMessage[] {
  const start = nowMs();
  return bodies.map((body, i) =>
    toMessage(
      {
        source: { id: sourceId },
        stored: { body: JSON.stringify(body), format: "json", truncated: false },
        receivedAt: new Date(start + i).toISOString(),
      },
      "busy",
    ),
  );
}

const batchOf = (messages: { id: string; body: unknown; attempts: number }[]) =>
  createMessageBatch(
    EVENTS_QUEUE_NAME,
    messages.map((message) => ({ ...message, timestamp: new Date() })),
  );

/** The deliveries the consumer reads from `messages`, in their order, built as it builds them. */
export async function readDeliveries(messages: DeliveryMessage[]): Promise<Delivery[]> {
  const batch = batchOf(messages.map((body, i) => ({ id: `m${i}`, body, attempts: 1 })));
  const deliveries: Delivery[] = [];
  for (const message of batch.messages) {
    const delivery = await readQueuedDelivery(message, env);
    if (!delivery) throw new Error(`message ${message.id} was not read: ${JSON.stringify(message.body)}`);
    deliveries.push(delivery);
  }
  return deliveries;
}

/**
 * Runs `messages` through the Worker's queue handler in batches of `batchSize`, in their order, as
 * the queue would: what the consumer asks to retry (over the plan's query budget) comes again in a
 * later batch with one more attempt, until all are acknowledged. Returns how many batches it took.
 */
export async function throughConsumer(
  messages: DeliveryMessage[],
  batchSize: number,
  overrides: Partial<Env> = {},
): Promise<number> {
  let pending = messages.map((body, i) => ({ id: `m${i}`, body, attempts: 1 }));
  let batches = 0;
  while (pending.length > 0) {
    const retried: typeof pending = [];
    for (let i = 0; i < pending.length; i += batchSize) {
      const chunk = pending.slice(i, i + batchSize);
      const ctx = createExecutionContext();
      const batch = batchOf(chunk);
      await worker.queue(batch as MessageBatch<never>, { ...env, ...overrides });
      const { explicitAcks, retryMessages } = await getQueueResult(batch, ctx);
      batches += 1;
      expect(explicitAcks.length + retryMessages.length).toBe(chunk.length);
      const again = new Set(retryMessages.map((retry) => retry.msgId));
      for (const message of chunk) {
        if (again.has(message.id)) retried.push({ ...message, attempts: message.attempts + 1 });
      }
    }
    // A message retried this often is failing, not waiting for budget: the test has found a bug.
    expect(retried.every((message) => message.attempts < 50)).toBe(true);
    pending = retried;
  }
  return batches;
}
