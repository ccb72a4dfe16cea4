/**
 * Where an accepted delivery goes. Written at once to D1 (one batch; retried a few times within about
 * half a second) unless it is deferred; deferred, or refused by D1, it goes to EVENTS_QUEUE and is
 * acknowledged once `send()` resolves. Only when neither holds it does the caller answer 503.
 */
import { type Delivery, type IngestResult, recordDelivery } from "../db/ingest";
import * as load from "./load";
import { type DeferReason, toMessage } from "./message";

/** Waits between D1 attempts, in ms (jittered up to +50 %): four attempts within ~0.5 s. */
export const D1_RETRY_DELAYS_MS = [25, 75, 200];

export type Persisted = ({ queued: false } & IngestResult) | { queued: true; reason: DeferReason };

export class PersistError extends Error {}

export interface PersistOptions {
  /** Why to go straight to the queue; null to write to D1 now. */
  defer: DeferReason | null;
  sleep?: (ms: number) => Promise<unknown>;
}

export async function persistDelivery(
  env: Pick<Env, "DB" | "EVENTS_QUEUE">,
  delivery: Omit<Delivery, "deferred">,
  { defer, sleep = (ms) => scheduler.wait(ms) }: PersistOptions,
): Promise<Persisted> {
  if (defer) return enqueue(env, delivery, defer);
  const ticket = load.start();
  const errors: unknown[] = [];
  try {
    for (let attempt = 0; attempt <= D1_RETRY_DELAYS_MS.length; attempt++) {
      try {
        const { alertId, duplicate } = await recordDelivery(env.DB, { ...delivery, deferred: false });
        return { queued: false, alertId, duplicate };
      } catch (err) {
        errors.push(err);
        const delay = D1_RETRY_DELAYS_MS[attempt];
        if (delay !== undefined) await sleep(delay * (1 + Math.random() / 2));
      }
    }
  } finally {
    load.finish(ticket);
  }
  log("D1 refused a delivery; queueing it", errors.at(-1));
  return enqueue(env, delivery, "storage-unavailable");
}

async function enqueue(
  env: Pick<Env, "EVENTS_QUEUE">,
  delivery: Omit<Delivery, "deferred">,
  reason: DeferReason,
): Promise<Persisted> {
  try {
    await env.EVENTS_QUEUE.send(toMessage(delivery, reason));
    return { queued: true, reason };
  } catch (err) {
    log("the queue refused a delivery", err);
    throw new PersistError("neither D1 nor the queue took the delivery", { cause: err });
  }
}

function log(message: string, err: unknown): void {
  console.error(JSON.stringify({ message, error: String(err) }));
}
