/**
 * Slack's incoming webhooks take about one message a second per webhook (the Web API's chat.postMessage
 * one a second per channel). A destination's notifications are sent by its own {@link DestinationSender},
 * one at a time, and that object is the only sender to it anywhere, so spacing its sends by a second
 * holds the rate across all isolates; a 429 that still comes back is retried after its Retry-After. The
 * second is counted from the END of the previous send: Slack counts arrivals, and a send slowed on its
 * way (a congested network, a busy isolate) would otherwise arrive less than a second before the next. Module scope holds plain numbers only (the last send
 * time per destination, in the isolate that hosts its sender), never a promise shared between
 * invocations. A sender started afresh (evicted when idle, or a deploy) has none: at worst one message
 * follows the previous one by less than a second, and Slack's 429 covers that.
 */
import type { DestinationKind } from "../core/vocabulary";
import { nowMs } from "../platform/clock";

export const SLACK_SPACING_MS = 1000;

const lastSentAt = new Map<number, number>();

/** Runs `send` once this destination may be sent to again, and notes when it ended. */
export async function paced<T>(
  destination: { id: number; kind: DestinationKind },
  send: () => Promise<T>,
): Promise<T> {
  if (destination.kind !== "slack") return send();
  const wait = (lastSentAt.get(destination.id) ?? 0) + SLACK_SPACING_MS - nowMs();
  if (wait > 0) await scheduler.wait(wait);
  try {
    return await send();
  } finally {
    lastSentAt.set(destination.id, nowMs());
  }
}
