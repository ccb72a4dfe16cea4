/**
 * Where an accepted delivery goes. Written at once to D1 (one batch; retried a few times within about
 * half a second) unless it is deferred; deferred, or refused by D1, it goes to EVENTS_QUEUE and is
 * acknowledged once `send()` resolves. A deferred delivery the queue refuses is written to D1 after
 * all. Only when neither holds it does the caller answer 503.
 */

import { rulesFor } from "../incidents/paging";
import * as load from "./load";
import { type DeferReason, toMessage } from "./message";
import { type Delivery, type IngestResult, writeDelivery } from "./store";

/** Waits between D1 attempts, in ms (jittered up to +50 %): four attempts within ~0.5 s. */
const D1_RETRY_DELAYS_MS = [25, 75, 200];

export type Persisted = ({ queued: false } & IngestResult) | { queued: true; reason: DeferReason };

export class StoreError extends Error {}

interface PersistOptions {
  /** Why to go straight to the queue; null to write to D1 now. */
  defer: DeferReason | null;
  sleep?: (ms: number) => Promise<unknown>;
}

type Accepted = Omit<Delivery, "deferred" | "incident">;
type Bindings = Pick<Env, "DB" | "EVENTS_QUEUE">;

export async function storeOrDefer(
  env: Bindings,
  delivery: Accepted,
  { defer, sleep = (ms) => scheduler.wait(ms) }: PersistOptions,
): Promise<Persisted> {
  if (defer) {
    try {
      return await enqueue(env, delivery, defer);
    } catch (err) {
      log("the queue refused a deferred delivery; writing it now", err);
      const stored = await writeNow(env, delivery, sleep);
      if (stored) return stored;
      throw new StoreError("neither the queue nor D1 took the delivery", { cause: err });
    }
  }
  const stored = await writeNow(env, delivery, sleep);
  if (stored) return stored;
  try {
    return await enqueue(env, delivery, "storage-unavailable");
  } catch (err) {
    log("the queue refused a delivery D1 had refused", err);
    throw new StoreError("neither D1 nor the queue took the delivery", { cause: err });
  }
}

/** D1, with a few quick retries; null when it refused every time. */
async function writeNow(
  env: Bindings,
  delivery: Accepted,
  sleep: (ms: number) => Promise<unknown>,
): Promise<Persisted | null> {
  const ticket = load.start();
  let last: unknown;
  try {
    for (let attempt = 0; attempt <= D1_RETRY_DELAYS_MS.length; attempt++) {
      try {
        // Read (through an isolate cache) when the build is written, so the policy in force applies.
        const incident = await rulesFor(env, delivery.source.id, delivery.event);
        const { alertId, duplicate, timeline } = await writeDelivery(env.DB, {
          ...delivery,
          deferred: false,
          incident,
        });
        return { queued: false, alertId, duplicate, timeline };
      } catch (err) {
        last = err;
        const delay = D1_RETRY_DELAYS_MS[attempt];
        if (delay !== undefined) await sleep(delay * (1 + Math.random() / 2));
      }
    }
  } finally {
    load.finish(ticket);
  }
  log("D1 refused a delivery", last);
  return null;
}

async function enqueue(env: Bindings, delivery: Accepted, reason: DeferReason): Promise<Persisted> {
  await env.EVENTS_QUEUE.send(toMessage(delivery, reason));
  return { queued: true, reason };
}

function log(message: string, err: unknown): void {
  console.error(JSON.stringify({ message, error: String(err) }));
}
