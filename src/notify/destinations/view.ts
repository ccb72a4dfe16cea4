/** A destination as the API shows it: never its URL beyond scheme and host, never its signing secret. */
import { formatDuration } from "./schema";
import type { Destination } from "./store";

/**
 * A destination as the API shows it; `unreadable`: why DESTINATIONS_KEY cannot decrypt its URL or
 * secret ({@link unreadableReason}), null when it can.
 */
export const toApiDestination = (destination: Destination, unreadable: string | null) => ({
  id: destination.id,
  name: destination.name,
  kind: destination.kind,
  url_display: destination.url_display,
  /** A Slack app destination's channel ID; null for an incoming webhook and every other kind. */
  channel: destination.slack_channel,
  match: destination.match,
  on: destination.on,
  escalate_after:
    destination.escalate_after_ms === null ? null : formatDuration(destination.escalate_after_ms),
  disabled: destination.disabled_at !== null,
  disabled_at: destination.disabled_at,
  disabled_reason: destination.disabled_reason,
  unreadable: unreadable !== null,
  unreadable_reason: unreadable,
  created_at: destination.created_at,
  updated_at: destination.updated_at,
});
