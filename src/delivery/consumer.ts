/**
 * The EVENTS_QUEUE consumer: deliveries deferred by the webhook (a busy isolate, a source over its
 * budget, D1 unavailable) written to D1 many at a time. Each message is validated (./message.ts), its
 * source looked up by id (a delivery accepted before a revocation is still stored), and run through
 * the same accept pipeline as the webhook. Then as many as the plan's queries per invocation allow
 * (var D1_QUERIES_PER_INVOCATION: 50 on Free, 1,000 on Paid) go to D1 in one batch.
 *
 * - Acknowledged per message, once D1 holds it; writing is idempotent, so a redelivered message or one
 *   whose earlier write landed before an error is stored once.
 * - A batch that fails is retried message by message (within the query budget), so one bad message
 *   cannot hold the others back; what fails alone is retried with backoff, and after max_retries
 *   (wrangler.toml) the queue moves it to the dead-letter queue.
 * - A message that is not a valid delivery goes straight to the dead-letter queue, with a log line.
 */
import { type Delivery, MAX_STATEMENTS_PER_DELIVERY, recordDeliveries } from "../db/ingest";
import { acceptBody } from "../domain/accept";
import type { SourceRecord } from "../sources/record";
import { findSourceById } from "../sources/store";
import { readDeliveryMessage } from "./message";

const DEFAULT_QUERIES_PER_INVOCATION = 50;
/** Sources by id, as plain values, for this long: most queue batches come from a few sources. */
const SOURCE_TTL_MS = 30_000;
const knownSources = new Map<string, { source: SourceRecord; expires: number }>();

interface Pending {
  message: Message<unknown>;
  delivery: Delivery;
}

export async function consumeDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  let budget = Number(env.D1_QUERIES_PER_INVOCATION) || DEFAULT_QUERIES_PER_INVOCATION;
  const perBatch = Math.max(1, Math.floor(budget / MAX_STATEMENTS_PER_DELIVERY));
  const sources = new Map<string, Promise<SourceRecord | null>>();
  const pending: Pending[] = [];
  for (const message of batch.messages) {
    const delivery = await decode(message, env, sources);
    if (delivery) pending.push({ message, delivery });
  }

  for (let i = 0; i < pending.length; i += perBatch) {
    const chunk = pending.slice(i, i + perBatch);
    if (budget < chunk.length * MAX_STATEMENTS_PER_DELIVERY) {
      for (const { message } of pending.slice(i)) message.retry({ delaySeconds: 1 });
      return;
    }
    budget -= chunk.length * MAX_STATEMENTS_PER_DELIVERY;
    try {
      const { results } = await recordDeliveries(
        env.DB,
        chunk.map((p) => p.delivery),
      );
      for (const [n, { message }] of chunk.entries()) stored(message, results[n]?.duplicate ?? false);
    } catch (err) {
      if (chunk.length === 1) {
        retryLater(chunk[0] as Pending, err);
        continue;
      }
      // One at a time, so one bad delivery cannot fail the others; what is over budget waits.
      for (const entry of chunk) {
        if (budget < MAX_STATEMENTS_PER_DELIVERY) {
          entry.message.retry({ delaySeconds: 1 });
          continue;
        }
        budget -= MAX_STATEMENTS_PER_DELIVERY;
        try {
          const { results } = await recordDeliveries(env.DB, [entry.delivery]);
          stored(entry.message, results[0]?.duplicate ?? false);
        } catch (alone) {
          retryLater(entry, alone);
        }
      }
    }
  }
}

/** The message as a delivery to store, or null after sending it to the dead-letter queue. */
async function decode(
  message: Message<unknown>,
  env: Env,
  sources: Map<string, Promise<SourceRecord | null>>,
): Promise<Delivery | null> {
  const body = readDeliveryMessage(message.body);
  if (!body) return deadLetter(message, env, "not a delivery message");
  const source = await sourceById(env, body.source_id, sources);
  if (!source) return deadLetter(message, env, "unknown source");
  const bytes = new TextEncoder().encode(body.body).byteLength;
  const accepted = acceptBody(
    { text: body.body, bytes, format: body.format },
    { quietLifecycle: source.quiet_lifecycle },
  );
  if (!accepted.ok) return deadLetter(message, env, "invalid payload");
  return {
    source,
    event: accepted.event,
    stored: { ...accepted.stored, truncated: accepted.stored.truncated || body.truncated },
    receivedAt: body.received_at,
    deferred: true,
  };
}

async function sourceById(
  env: Env,
  id: string,
  lookups: Map<string, Promise<SourceRecord | null>>,
): Promise<SourceRecord | null> {
  const known = knownSources.get(id);
  if (known && known.expires > Date.now()) return known.source;
  let lookup = lookups.get(id);
  if (!lookup) {
    // The pending read is shared within this invocation only (one queue batch); across invocations
    // only the resolved record is kept.
    lookup = findSourceById(env.SOURCES, id);
    lookups.set(id, lookup);
  }
  const source = await lookup;
  if (source) {
    if (knownSources.size >= 1_000) knownSources.clear();
    knownSources.set(id, { source, expires: Date.now() + SOURCE_TTL_MS });
  }
  return source;
}

function stored(message: Message<unknown>, duplicate: boolean): void {
  console.log(JSON.stringify({ event: "queued_delivery_stored", duplicate, attempts: message.attempts }));
  message.ack();
}

function retryLater({ message }: Pending, err: unknown): void {
  console.error(
    JSON.stringify({ event: "queued_delivery_retry", attempts: message.attempts, error: String(err) }),
  );
  message.retry({ delaySeconds: Math.min(300, 5 * 2 ** message.attempts) });
}

async function deadLetter(message: Message<unknown>, env: Env, why: string): Promise<null> {
  console.error(JSON.stringify({ event: "queued_delivery_dead_lettered", why, message_id: message.id }));
  try {
    await env.EVENTS_DLQ.send(message.body);
    message.ack();
  } catch (err) {
    // Not acknowledged: the queue retries it, and after max_retries moves it to the DLQ itself.
    console.error(JSON.stringify({ event: "dead_letter_send_failed", error: String(err) }));
    message.retry({ delaySeconds: 60 });
  }
  return null;
}
