/**
 * The EVENTS_QUEUE consumer: deliveries deferred by the webhook (a busy isolate, a source over its
 * budget, D1 unavailable) written to D1 many at a time. Each message is read back into a delivery
 * (./queued-delivery.ts: validated, its source looked up by id, the webhook's accept pipeline run
 * again); then the new messages go to D1 together, in one set-based write whose statements do not
 * grow with their number (./store.ts): a whole queue batch of 100 fits the Free plan's 50 queries per
 * invocation (var D1_QUERIES_PER_INVOCATION: 50 on Free, 1,000 on Paid).
 *
 * - Acknowledged per message, once D1 holds it; writing is idempotent, so a redelivered message or one
 *   whose earlier write landed before an error is stored once.
 * - A message that failed before goes to D1 alone, so a delivery that keeps failing holds no other
 *   back more than once. Whatever fails is retried with exponential backoff (5 s doubling, at most
 *   5 min: ~20 minutes of outage in all) and after MAX_ATTEMPTS it is dead-lettered: sent to the
 *   dead-letter queue, counted against its source (`dead-lettered`) and logged.
 */

import { enqueueEntries } from "../notify/outbox";
import { queriesPerInvocation } from "../platform/vars";
import { deadLetter, readQueuedDelivery, retryLater } from "./queued-delivery";
import { type Delivery, planBatch, writeBatch } from "./store";

/** Attempts before a failing message is dead-lettered (wrangler.toml's max_retries is a safety net above it). */
export const MAX_ATTEMPTS = 10;

interface Pending {
  message: Message<unknown>;
  delivery: Delivery;
}

export async function consumeDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  let budget = queriesPerInvocation(env);
  const fresh: Pending[] = [];
  const retried: Pending[] = [];
  for (const message of batch.messages) {
    const delivery = await readQueuedDelivery(message, env);
    if (delivery) (message.attempts > 1 ? retried : fresh).push({ message, delivery });
  }
  const groups = [...(fresh.length > 0 ? [fresh] : []), ...retried.map((pending) => [pending])];

  for (const group of groups) {
    const plan = planBatch(group.map((p) => p.delivery));
    if (plan.statements > budget) {
      // Only when D1_QUERIES_PER_INVOCATION is set below what one write takes, or after retried
      // messages spent it: these wait for the next batch.
      for (const { message } of group) message.retry({ delaySeconds: 1 });
      continue;
    }
    budget -= plan.statements;
    try {
      const { duplicates, timeline } = await writeBatch(env.DB, plan);
      for (const [n, { message }] of group.entries()) stored(message, duplicates[n] ?? false);
      await enqueueEntries(env, timeline);
    } catch (err) {
      for (const pending of group) await retryOrGiveUp(pending, env, err);
    }
  }
}

function stored(message: Message<unknown>, duplicate: boolean): void {
  console.log(JSON.stringify({ event: "queued_delivery_stored", duplicate, attempts: message.attempts }));
  message.ack();
}

async function retryOrGiveUp({ message, delivery }: Pending, env: Env, err: unknown): Promise<void> {
  if (message.attempts >= MAX_ATTEMPTS) {
    await deadLetter(
      message,
      env,
      `not stored after ${message.attempts} attempts: ${String(err)}`,
      delivery.source.id,
    );
    return;
  }
  retryLater(message, err);
}
