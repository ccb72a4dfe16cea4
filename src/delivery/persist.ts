/**
 * Where an accepted delivery goes: D1, retried a few times with a short backoff (well under a
 * second in all), else the EVENTS_QUEUE for the consumer to write later. The webhook acknowledges
 * only what one of the two holds; if neither takes it, the caller answers 503.
 */
import { type Delivery, type IngestResult, recordDelivery } from "../db/ingest";
import { xmlToDocument } from "../domain/xml";

/** Waits between D1 attempts, in ms (jittered up to +50 %): four attempts within ~0.5 s. */
export const D1_RETRY_DELAYS_MS = [25, 75, 200];

/** Queue messages are limited to 128 KB; leave room for the envelope. */
const MAX_QUEUED_BODY_BYTES = 100 * 1024;

export type Persisted = ({ queued: false } & IngestResult) | { queued: true };

export class PersistError extends Error {}

export async function persistDelivery(
  env: Pick<Env, "DB" | "EVENTS_QUEUE">,
  delivery: Delivery,
  sleep: (ms: number) => Promise<unknown> = (ms) => scheduler.wait(ms),
): Promise<Persisted> {
  const errors: unknown[] = [];
  for (let attempt = 0; attempt <= D1_RETRY_DELAYS_MS.length; attempt++) {
    try {
      // Retries go alone: they must not lead (and pay for) another group.
      return { queued: false, ...(await recordDelivery(env.DB, delivery, { alone: attempt > 0 })) };
    } catch (err) {
      errors.push(err);
      const delay = D1_RETRY_DELAYS_MS[attempt];
      if (delay !== undefined) await sleep(delay * (1 + Math.random() / 2));
    }
  }
  log("D1 refused a delivery; queueing it", errors.at(-1));
  try {
    await env.EVENTS_QUEUE.send(fitForQueue(delivery));
    return { queued: true };
  } catch (err) {
    log("the queue refused a delivery too", err);
    throw new PersistError("neither D1 nor the queue took the delivery", { cause: err });
  }
}

/** The delivery, with its stored body cut to the envelope if it would not fit in a queue message. */
function fitForQueue(delivery: Delivery): Delivery {
  if (delivery.stored.body.length <= MAX_QUEUED_BODY_BYTES / 3) return delivery;
  if (new TextEncoder().encode(delivery.stored.body).byteLength <= MAX_QUEUED_BODY_BYTES) return delivery;
  const { body, format } = delivery.stored;
  const document = format === "xml" ? xmlToDocument(body) : JSON.parse(body);
  const { build, ...job } = document as { build: Record<string, unknown> };
  const { log: _log, artifacts: _artifacts, parameters: _parameters, ...kept } = build;
  return {
    ...delivery,
    stored: { body: JSON.stringify({ ...job, build: kept }), format: "json", truncated: true },
  };
}

function log(message: string, err: unknown): void {
  console.error(JSON.stringify({ message, error: String(err) }));
}
