/**
 * The EVENTS_QUEUE consumer: deliveries deferred by the webhook (a busy isolate, a source over its
 * budget, D1 unavailable) written to D1 many at a time. Each message is read back into a delivery
 * (./queued-delivery.ts: validated, its source looked up by id, the webhook's accept pipeline run
 * again); then new messages go to D1 in batches of as many deliveries as the plan's queries per
 * invocation allow (var D1_QUERIES_PER_INVOCATION: 50 on Free, 1,000 on Paid).
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
import { type Delivery, MAX_STATEMENTS_PER_DELIVERY, writeDeliveries } from "./store";

/** Attempts before a failing message is dead-lettered (wrangler.toml's max_retries is a safety net above it). */
export const MAX_ATTEMPTS = 10;

interface Pending {
  message: Message<unknown>;
  delivery: Delivery;
}

export async function consumeDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  let budget = queriesPerInvocation(env);
  const perBatch = Math.max(1, Math.floor(budget / MAX_STATEMENTS_PER_DELIVERY));
  const fresh: Pending[] = [];
  const retried: Pending[] = [];
  for (const message of batch.messages) {
    const delivery = await readQueuedDelivery(message, env);
    if (delivery) (message.attempts > 1 ? retried : fresh).push({ message, delivery });
  }
  const groups: Pending[][] = [];
  for (let i = 0; i < fresh.length; i += perBatch) groups.push(fresh.slice(i, i + perBatch));
  for (const pending of retried) groups.push([pending]);

  for (const group of groups) {
    const cost = group.length * MAX_STATEMENTS_PER_DELIVERY;
    if (cost > budget) {
      // Only when max_batch_size is set above what the query limit allows: these wait for the next batch.
      for (const { message } of group) message.retry({ delaySeconds: 1 });
      continue;
    }
    budget -= cost;
    try {
      const { results } = await writeDeliveries(
        env.DB,
        group.map((p) => p.delivery),
      );
      for (const [n, { message }] of group.entries()) stored(message, results[n]?.duplicate ?? false);
      await enqueueEntries(
        env,
        results.flatMap((result) => result.timeline),
      );
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
