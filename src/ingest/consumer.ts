/**
 * The EVENTS_QUEUE consumer: deliveries deferred by the webhook (a busy isolate, a source over its
 * budget, D1 unavailable) written to D1 many at a time. Each message is read back into a delivery
 * (./queued-delivery.ts: validated, its source looked up by id, the webhook's accept pipeline run
 * again); then the batch goes to D1 in one set-based write whose statements do not grow with its size
 * (./store.ts): a whole queue batch of 100 fits the Free plan's 50 queries per invocation (var
 * D1_QUERIES_PER_INVOCATION: 50 on Free, 1,000 on Paid), less the reads its messages took.
 *
 * - Acknowledged per message, once D1 holds it; writing is idempotent, so a redelivered message or one
 *   whose earlier write landed before an error is stored once.
 * - A write that fails is split in halves and each half written again while the budget lasts, so a
 *   transient error costs one more write and a delivery that keeps failing holds back half as many
 *   others at each attempt (after ten, one or two). What still fails is retried with exponential
 *   backoff (5 s doubling, at most 5 min: ~20 minutes of outage in all) and after MAX_ATTEMPTS it is
 *   dead-lettered: sent to the dead-letter queue, counted against its source (`dead-lettered`) and
 *   logged.
 */

import { enqueueEntries } from "../notify/outbox";
import { countQueries } from "../platform/db/query-count";
import { queriesPerInvocation } from "../platform/vars";
import { deadLetter, readQueuedDelivery, retryLater } from "./queued-delivery";
import { BATCH_STATEMENTS, type Delivery, planBatch, writeBatch } from "./store";

/** Attempts before a failing message is dead-lettered (wrangler.toml's max_retries is a safety net above it). */
export const MAX_ATTEMPTS = 10;

interface Pending {
  message: Message<unknown>;
  delivery: Delivery;
}

export async function consumeDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // Reading a message may query D1 (its source's policy and silences on a cache miss, the count of a
  // dead letter): counted, and the writes spend what is left of the plan's queries.
  const reads = countQueries(env.DB);
  const pending: Pending[] = [];
  for (const message of batch.messages) {
    const delivery = await readQueuedDelivery(message, { ...env, DB: reads.db });
    if (delivery) pending.push({ message, delivery });
  }
  let budget = queriesPerInvocation(env) - reads.queries();

  /** Writes `group`; on failure, its halves while the budget lasts. */
  async function write(group: Pending[]): Promise<void> {
    const plan = planBatch(group.map((p) => p.delivery));
    if (plan.statements > budget) {
      // Only when D1_QUERIES_PER_INVOCATION is set below what one write takes, or once the halves of
      // failed writes spent it: these wait for the next batch.
      for (const { message } of group) message.retry({ delaySeconds: 1 });
      return;
    }
    budget -= plan.statements;
    try {
      const { duplicates, timeline } = await writeBatch(env.DB, plan);
      for (const [n, { message }] of group.entries()) stored(message, duplicates[n] ?? false);
      await enqueueEntries(env, timeline);
    } catch (err) {
      const half = Math.ceil(group.length / 2);
      if (group.length > 1 && budget >= 2 * BATCH_STATEMENTS + 2) {
        await write(group.slice(0, half));
        await write(group.slice(half));
      } else {
        for (const pending of group) await retryOrGiveUp(pending, env, err);
      }
    }
  }
  if (pending.length > 0) await write(pending);
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
