/**
 * The accept pipeline, the same for a delivery read from a request and one read from the queue: parse
 * (JSON or XML), validate, bound every field (./bounds.ts), classify, and decide what the timeline
 * stores. Pure. The body given here has already had the source's secrets redacted.
 */
import { boundNotification } from "./bounds";
import { type BuildEvent, type SourceSettings, toBuildEvent } from "./build-event";
import type { FieldProblem } from "./issues";
import { parseNotification } from "./parse";
import { type Received, type StoredBody, storedBody } from "./stored-body";

export type Acceptance =
  | { ok: true; event: BuildEvent; stored: StoredBody }
  | { ok: false; problems: FieldProblem[] };

export function acceptBody(received: Received, settings: SourceSettings): Acceptance {
  const parsed = parseNotification(received.text, received.format);
  if (!parsed.ok) return parsed;
  const bounded = boundNotification(parsed.notification);
  return {
    ok: true,
    event: toBuildEvent(bounded.notification, settings),
    stored: storedBody(received, bounded),
  };
}
