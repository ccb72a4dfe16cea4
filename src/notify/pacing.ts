/**
 * Slack's incoming webhooks take about one message a second per webhook. A destination's notifications
 * are sent by its own {@link DestinationSender}, one at a time, and that object is the only sender to
 * it anywhere, so spacing its sends by a second holds the rate across all isolates; a 429 that still
 * comes back is retried after its Retry-After. Module scope holds plain numbers only (the last send
 * time per destination, in the isolate that hosts its sender), never a promise shared between
 * invocations. A sender started afresh (evicted when idle, or a deploy) has none: at worst one message
 * follows the previous one by less than a second, and Slack's 429 covers that.
 */
import type { DestinationKind } from "../core/vocabulary";
import { nowMs } from "../platform/clock";

export const SLACK_SPACING_MS = 1000;

const lastSentAt = new Map<number, number>();

/** Waits until this destination may be sent to again, then notes the send. */
export async function pace(destination: { id: number; kind: DestinationKind }): Promise<void> {
  if (destination.kind !== "slack") return;
  const wait = (lastSentAt.get(destination.id) ?? 0) + SLACK_SPACING_MS - nowMs();
  if (wait > 0) await scheduler.wait(wait);
  lastSentAt.set(destination.id, nowMs());
}
