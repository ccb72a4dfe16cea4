/**
 * Slack's incoming webhooks take about one message a second per webhook. The NOTIFY_QUEUE consumer
 * runs one invocation at a time (wrangler.toml: max_concurrency = 1) and sends one message at a time,
 * so spacing this isolate's sends to each Slack destination by a second holds the rate; a 429 that
 * still comes back is retried after its Retry-After. Module scope holds plain numbers only (the last
 * send time per destination), never a promise shared between invocations.
 */
import type { DestinationKind } from "../domain/vocabulary";
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
