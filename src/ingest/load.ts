/**
 * How busy this isolate is, as plain numbers in module scope (never a promise or a client: workerd
 * ties I/O to the request that started it). A delivery that finds the isolate busy goes to the queue,
 * whose consumer writes many deliveries per D1 batch; quiet traffic is written at once and answered
 * with its alert id.
 *
 * - Busy: `limit` of this isolate's deliveries are in flight already. A slow D1 shows here too (slow
 *   answers keep more deliveries in flight), without a latency threshold that a loaded machine or a
 *   cold start would trip.
 * - A request that is cancelled mid-flight (its client went away) may never run its `finally`: each
 *   in-flight entry therefore expires on its own after STALE_MS, so a leak cannot keep the isolate
 *   "busy" for good.
 */
import { nowMs } from "../platform/clock";
import { wholeNumber } from "../platform/vars";

/** An in-flight entry older than this no longer counts (its request was cancelled or is stuck). */
const STALE_MS = 10_000;

const inFlight = new Map<number, number>();
let nextTicket = 0;

/** Registers a delivery as in flight; pass the ticket to `finish`. */
export function start(now = nowMs()): number {
  nextTicket += 1;
  inFlight.set(nextTicket, now);
  return nextTicket;
}

export function finish(ticket: number): void {
  inFlight.delete(ticket);
}

/** Whether a delivery starting now should go to the queue; `limit` counts the others in flight. */
export function isBusy(limit: number, now = nowMs()): boolean {
  let live = 0;
  for (const [ticket, startedAt] of inFlight) {
    if (now - startedAt > STALE_MS) inFlight.delete(ticket);
    else live += 1;
  }
  return live >= limit;
}

/** Deliveries one isolate writes to D1 at once before deferring the rest to the queue (0: defer all). */
export const maxDeliveriesInFlight = (env: Pick<Env, "MAX_DELIVERIES_IN_FLIGHT">) =>
  wholeNumber(env.MAX_DELIVERIES_IN_FLIGHT, 8, 0);
