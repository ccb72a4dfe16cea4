/**
 * The outbox sweep (the cron trigger, every minute): timeline entries left unrouted and pending
 * notifications whose queue message (or their sender's hold on them) was lost are put on NOTIFY_QUEUE
 * again, so an interrupted Worker or a refused send loses nothing. Index range scans on both (cost independent of history), bounded
 * per run; whatever is left waits for the next minute.
 */

import { now } from "../platform/clock";
import { enqueueEntries, enqueueSends } from "./outbox";
import { overdueNotifications } from "./store";

/** How long a fresh entry or row is left to its own message before the sweep steps in. */
export const SWEEP_GRACE_MS = 30_000;
/**
 * How long a row handed to its destination's sender ({@link DestinationSender}) is left to it: a hung
 * receiver's backlog (15 s an attempt) is not queued again every minute, which would cost queue
 * operations and crowd lost messages out of the sweep's LIMIT.
 */
export const SENDER_GRACE_MS = 15 * 60_000;
/** D1 queries a sweep costs (the cron trigger counts them against its budget). */
export const SWEEP_QUERIES = 2;
/** Rows re-queued per run (each kind). */
const SWEEP_LIMIT = 500;

/**
 * `graceMs`: 0 when the same invocation has just written timeline entries of its own (heartbeats,
 * silences), which no request will enqueue.
 */
export async function sweepOutbox(
  env: Env,
  now: Date,
  graceMs = SWEEP_GRACE_MS,
): Promise<{ entries: number; notifications: number }> {
  const before = new Date(now.getTime() - graceMs).toISOString();
  const { results: entries } = await env.DB.prepare(
    `SELECT id, type FROM incident_events INDEXED BY incident_events_unrouted
     WHERE routed_at IS NULL AND type IN ('opened', 'acknowledged', 'resolved', 'unsilenced') AND at <= ?1
     ORDER BY at LIMIT ?2`,
  )
    .bind(before, SWEEP_LIMIT)
    .all<{ id: number; type: string }>();
  const handedOverBefore = new Date(now.getTime() - SENDER_GRACE_MS).toISOString();
  const overdue = await overdueNotifications(env.DB, before, handedOverBefore, SWEEP_LIMIT);
  await enqueueEntries(env, entries);
  await enqueueSends(env, overdue);
  if (entries.length + overdue.length > 0) {
    console.log(
      JSON.stringify({ event: "notify_sweep", entries: entries.length, notifications: overdue.length }),
    );
  }
  return { entries: entries.length, notifications: overdue.length };
}

/**
 * For a request that wrote timeline entries without learning their ids (a silence created or ended
 * un-silences incidents in bulk): sweep right after answering, so they leave within seconds rather
 * than at the next minute.
 */
export function sweepSoon(env: Env, ctx: Pick<ExecutionContext, "waitUntil">): void {
  ctx.waitUntil(sweepOutbox(env, now(), 0));
}
