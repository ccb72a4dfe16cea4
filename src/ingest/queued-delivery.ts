/**
 * A queue message read back into a delivery: validated against the message contract (./message.ts),
 * its source looked up by id (a delivery accepted before a revocation is still stored), and run
 * through the webhook's accept pipeline again. What cannot be read is retried or dead-lettered here.
 */

import { type IncidentRules, rulesFor } from "../incidents/paging";
import { backoffSeconds } from "../platform/backoff";
import { nowIso } from "../platform/clock";
import { toDeadLetter } from "../platform/dead-letter-envelope";
import { sourcesById } from "../sources/cache";
import type { SourceRecord } from "../sources/model";
import { addRejections } from "../sources/stats";
import { findSourceById } from "../sources/store";
import { acceptBody } from "./accept";
import { readDeliveryMessage } from "./message";
import type { Delivery } from "./store";

/**
 * Attempts to wait for a source KV does not show yet (a source created moments ago elsewhere: KV
 * takes up to ~60 s to reach every location) before its message is dead-lettered.
 */
const SOURCE_WAIT_ATTEMPTS = 5;

/** The delivery a message carries, or null once the message has been retried or dead-lettered. */
export async function readQueuedDelivery(message: Message<unknown>, env: Env): Promise<Delivery | null> {
  const body = readDeliveryMessage(message.body);
  if (!body) return deadLetter(message, env, "not a delivery message");
  let source: SourceRecord | null;
  try {
    source = await sourceById(env, body.source_id);
  } catch (err) {
    retryLater(message, err);
    return null;
  }
  if (!source) {
    if (message.attempts < SOURCE_WAIT_ATTEMPTS) retryLater(message, "unknown source (yet)");
    else await deadLetter(message, env, "unknown source", body.source_id);
    return null;
  }
  const bytes = new TextEncoder().encode(body.body).byteLength;
  const accepted = acceptBody(
    { text: body.body, bytes, format: body.format },
    { quietLifecycle: source.quiet_lifecycle },
    { stored: true },
  );
  if (!accepted.ok) return deadLetter(message, env, "invalid payload", source.id);
  let incident: IncidentRules;
  try {
    incident = await rulesFor(env, source.id, accepted.event);
  } catch (err) {
    retryLater(message, err);
    return null;
  }
  return {
    source,
    event: accepted.event,
    stored: { ...accepted.stored, truncated: accepted.stored.truncated || body.truncated },
    receivedAt: body.received_at,
    deferred: true,
    incident,
  };
}

async function sourceById(env: Env, id: string): Promise<SourceRecord | null> {
  const known = sourcesById.get(id);
  if (known) return known;
  const source = await findSourceById(env.SOURCES, id);
  if (source) sourcesById.set(id, source);
  return source;
}

/**
 * Sends a message to the dead-letter queue, wrapped with why and after how many attempts (the
 * dead-letter consumer keeps both), and acknowledges it, with a log line and, when its source is
 * known, a `dead-lettered` count on that source. If the dead-letter queue refuses it too, the
 * message is retried instead (the queue moves it there itself after max_retries).
 */
export async function deadLetter(
  message: Message<unknown>,
  env: Env,
  why: string,
  sourceId?: string,
): Promise<null> {
  console.error(
    JSON.stringify({
      event: "queued_delivery_dead_lettered",
      why,
      source_id: sourceId ?? null,
      message_id: message.id,
    }),
  );
  try {
    await env.EVENTS_DLQ.send(toDeadLetter(message.body, why, message.attempts));
    message.ack();
  } catch (err) {
    console.error(JSON.stringify({ event: "dead_letter_send_failed", error: String(err) }));
    message.retry({ delaySeconds: 60 });
    return null;
  }
  if (sourceId) {
    const at = nowIso();
    await addRejections(
      env.DB,
      sourceId,
      { "dead-lettered": 1 },
      { at, status: 202, problem: "dead-lettered" },
    ).catch((err: unknown) =>
      console.error(JSON.stringify({ event: "dead_letter_count_failed", error: String(err) })),
    );
  }
  return null;
}

/** Retries with exponential backoff ({@link backoffSeconds}). */
export function retryLater(message: Message<unknown>, err: unknown): void {
  console.error(
    JSON.stringify({ event: "queued_delivery_retry", attempts: message.attempts, error: String(err) }),
  );
  message.retry({ delaySeconds: backoffSeconds(message.attempts) });
}
