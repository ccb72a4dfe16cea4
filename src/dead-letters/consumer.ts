/**
 * A dead-letter queue's consumer: each message is stored in D1 (./store.ts) with why it
 * died, so it can be read, replayed or discarded (GET /api/dead-letters, the dashboard), and the table
 * is trimmed to the newest DEAD_LETTERS_KEPT. One D1 batch per queue batch, within the plan's queries
 * per invocation; stored once even when redelivered. If D1 refuses, the batch is retried with backoff
 * (5 s doubling, at most 5 min) up to wrangler.toml's max_retries, with a log line each time.
 */

import { backoffSeconds } from "../platform/backoff";
import { nowIso } from "../platform/clock";
import { readDeadLetter } from "../platform/dead-letter-envelope";
import { queriesPerInvocation } from "../platform/vars";
import { deadLettersKept, storeDeadLetters } from "./store";

/** Stores the dead letters of `queue` (the queue they died on) that `batch` carries. */
export async function consumeDeadLetters(
  batch: MessageBatch<unknown>,
  env: Env,
  queue: string,
): Promise<void> {
  // One statement per message, and one to trim.
  const room = Math.max(1, queriesPerInvocation(env) - 1);
  const now = nowIso();
  const taken = batch.messages.slice(0, room);
  for (const message of batch.messages.slice(room)) message.retry({ delaySeconds: 1 });
  const letters = taken.map((message) => ({
    message,
    letter: { messageId: message.id, queue, deadAt: now, ...readDeadLetter(message.body) },
  }));
  try {
    await storeDeadLetters(
      env.DB,
      letters.map(({ letter }) => letter),
      deadLettersKept(env),
    );
  } catch (err) {
    for (const { message } of letters) {
      console.error(
        JSON.stringify({ event: "dead_letter_store_retry", attempts: message.attempts, error: String(err) }),
      );
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
    return;
  }
  for (const { message, letter } of letters) {
    console.log(
      JSON.stringify({
        event: "dead_letter_stored",
        queue,
        reason: letter.reason,
        attempts: letter.attempts,
      }),
    );
    message.ack();
  }
}
