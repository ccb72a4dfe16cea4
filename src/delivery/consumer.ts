/**
 * The EVENTS_QUEUE consumer: writes deliveries that D1 could not take at request time. Writing is
 * idempotent (the events table's delivery key), so a message delivered twice, or one whose first
 * write did land before an error, is stored once. Failures retry with backoff; after max_retries
 * (wrangler.toml) the queue moves the message to the dead-letter queue.
 */
import { type Delivery, recordDelivery } from "../db/ingest";

export async function consumeDeliveries(batch: MessageBatch<Delivery>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      // Alone: a consumer invocation handles a whole batch of messages, and must not also pay for
      // groups of live deliveries (D1's per-invocation query limit).
      const { duplicate } = await recordDelivery(env.DB, message.body, { alone: true });
      console.log(
        JSON.stringify({ message: "queued delivery stored", duplicate, attempts: message.attempts }),
      );
      message.ack();
    } catch (err) {
      console.error(
        JSON.stringify({
          message: "queued delivery not stored yet",
          attempts: message.attempts,
          error: String(err),
        }),
      );
      message.retry({ delaySeconds: Math.min(300, 5 * 2 ** message.attempts) });
    }
  }
}
