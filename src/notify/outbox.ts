/**
 * After the batch that wrote timeline entries commits, the same request (or invocation) puts them on
 * NOTIFY_QUEUE. No transaction spans D1 and a queue: if this never happens (the Worker stopped in
 * between, the queue refused), the sweep (./sweep.ts, every minute) finds the entries still unrouted
 * and enqueues them then. Nothing is lost; in the normal case a notification leaves within seconds.
 */
import { routeMessage, sendMessage } from "./queue-message";

/** Timeline entries that may owe notifications (the rest are routed by nobody). */
export const NOTIFYING_TYPES: readonly string[] = ["opened", "acknowledged", "resolved", "unsilenced"];

/** Queues the routing of `entries`; a refusal is logged and left to the sweep. */
export async function enqueueEntries(
  env: Pick<Env, "NOTIFY_QUEUE">,
  entries: { id: number; type: string }[],
): Promise<void> {
  const ids = entries.filter((entry) => NOTIFYING_TYPES.includes(entry.type)).map((entry) => entry.id);
  await sendAll(env, ids.map(routeMessage));
}

/** Queues sends of notification rows (after routing, a release, or "send again"). */
export async function enqueueSends(
  env: Pick<Env, "NOTIFY_QUEUE">,
  ids: number[],
  delaySeconds = 0,
): Promise<void> {
  await sendAll(env, ids.map(sendMessage), delaySeconds);
}

async function sendAll(env: Pick<Env, "NOTIFY_QUEUE">, bodies: unknown[], delaySeconds = 0): Promise<void> {
  if (bodies.length === 0) return;
  try {
    // sendBatch takes at most 100 messages.
    for (let i = 0; i < bodies.length; i += 100) {
      await env.NOTIFY_QUEUE.sendBatch(bodies.slice(i, i + 100).map((body) => ({ body, delaySeconds })));
    }
  } catch (err) {
    console.error(
      JSON.stringify({ event: "notify_enqueue_failed", count: bodies.length, error: String(err) }),
    );
  }
}
