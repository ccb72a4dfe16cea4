/**
 * The EVENTS_QUEUE message: a contract between Worker versions, since messages outlive deploys. It
 * carries the accept pipeline's inputs after the stored-body rules ran (redacted, bounded: at most
 * 64 KiB of body, well within a queue message's 128 KB), never a token and never an internal type.
 * The consumer validates it and runs the same pipeline as the webhook (./accept.ts).
 *
 * Versions: 1 is current. Messages in the shape the previous release sent (`{source, event, stored,
 * receivedAt}`) are read too, for one release, by re-deriving from their stored body.
 */
import * as v from "valibot";
import type { StoredBody } from "../core/stored-body";

export const DEFER_REASONS = ["busy", "over-budget", "storage-unavailable"] as const;
export type DeferReason = (typeof DEFER_REASONS)[number];

/** A stored body: at most 64 KiB of UTF-8 (../core/stored-body.ts), so never this many characters. */
const BodyText = v.pipe(v.string(), v.maxLength(64 * 1024));

export const DeliveryMessageSchema = v.object({
  v: v.literal(1),
  source_id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  /** When the webhook received it (ISO 8601): the event's `received_at`. */
  received_at: v.pipe(v.string(), v.isoTimestamp()),
  /** The body to store and derive from; its source's secrets are already redacted. */
  body: BodyText,
  format: v.picklist(["json", "xml"]),
  /** The stored-body rules cut something. */
  truncated: v.boolean(),
  /** Why it was deferred (for logs); any string, so a newer release's reasons are read too. */
  reason: v.optional(v.string(), "busy"),
});

export type DeliveryMessage = v.InferOutput<typeof DeliveryMessageSchema>;

/** What the release before version 1 sent (only the fields still needed). */
const LegacyDeliverySchema = v.pipe(
  v.object({
    source: v.object({ id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) }),
    // The previous release cut a queued body to 100 KiB.
    stored: v.object({
      body: v.pipe(v.string(), v.maxLength(128 * 1024)),
      format: v.picklist(["json", "xml"]),
      truncated: v.boolean(),
    }),
    receivedAt: v.pipe(v.string(), v.isoTimestamp()),
  }),
  // The previous release queued only what D1 had refused.
  v.transform((legacy): DeliveryMessage => toMessage(legacy, "storage-unavailable")),
);

const AnyDeliveryMessageSchema = v.union([DeliveryMessageSchema, LegacyDeliverySchema]);

/** The message for a delivery the webhook accepted: what the consumer needs, no more. */
export function toMessage(
  { source, stored, receivedAt }: { source: { id: string }; stored: StoredBody; receivedAt: string },
  reason: DeferReason,
): DeliveryMessage {
  return {
    v: 1,
    source_id: source.id,
    received_at: receivedAt,
    body: stored.body,
    format: stored.format,
    truncated: stored.truncated,
    reason,
  };
}

/** A queue message's body as the current version, or null when it is neither shape. */
export function readDeliveryMessage(body: unknown): DeliveryMessage | null {
  const result = v.safeParse(AnyDeliveryMessageSchema, body);
  return result.success ? result.output : null;
}
