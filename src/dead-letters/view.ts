/** A dead delivery message, for people. */
import { acceptBody } from "../ingest/accept";
import { readDeliveryMessage } from "../ingest/message";

/** For people: the build a dead delivery message was about (`acme/api #41 FAILURE`), or null. */
export function deliveryTitle(body: unknown): { source_id: string; title: string } | null {
  const message = readDeliveryMessage(body);
  if (!message) return null;
  const bytes = new TextEncoder().encode(message.body).byteLength;
  const accepted = acceptBody({ text: message.body, bytes, format: message.format }, {}, { stored: true });
  return accepted.ok ? { source_id: message.source_id, title: accepted.event.title } : null;
}
