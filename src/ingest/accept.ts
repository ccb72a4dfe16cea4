/**
 * The accept pipeline, the same for a delivery read from a request and one read from the queue: parse
 * (JSON or XML), validate, bound every field (../core/bounds.ts), classify, and decide what the timeline
 * stores. Pure. The body given here has already had the source's secrets redacted.
 */
import { boundPayload } from "../core/bounds";
import { type BuildEvent, type SourceSettings, toBuildEvent } from "../core/build-event";
import { JOB_KEY_MAX, jobIdentity } from "../core/job";
import { parseJenkinsPayload } from "../core/parse";
import { type Received, type StoredBody, type StoredNotes, storedBody } from "../core/stored-body";
import type { FieldProblem } from "../platform/issues";

export type Acceptance =
  | { ok: true; event: BuildEvent; stored: StoredBody }
  | { ok: false; problems: FieldProblem[] };

/**
 * @param options.stored the body is one this Worker stored (a queue message): the counts its cut
 *   lists no longer show, and the job key its cut `url` no longer gives, are read from it; a sender's
 *   own `itoc360_counts` or `itoc360_job` is never trusted.
 */
export function acceptBody(
  received: Received,
  settings: SourceSettings,
  options: { stored?: boolean } = {},
): Acceptance {
  const parsed = parseJenkinsPayload(received.text, received.format);
  if (!parsed.ok) return parsed;
  const storedJob = options.stored ? storedJobKey(parsed.document) : undefined;
  const identity = storedJob ?? jobIdentity(parsed.payload.url);
  if (!identity.ok) return { ok: false, problems: [{ path: "url", message: identity.reason }] };
  const bounded = boundPayload(parsed.payload);
  const counted = options.stored ? storedChangesCount(parsed.document) : undefined;
  const changesCount = counted ?? bounded.changesCount;
  const job = identity.key;
  return {
    ok: true,
    event: toBuildEvent(bounded.payload, settings, { changesCount, job }),
    // A sender's own `itoc360_…` keys are dropped by the schema; a body holding them is never stored (or
    // queued) as received, where the consumer would read them as this Worker's notes.
    stored: storedBody(received, {
      ...bounded,
      changesCount,
      job,
      rewrite: !options.stored && hasNotes(parsed.document),
    }),
  };
}

const hasNotes = (document: Record<string, unknown>) =>
  Object.keys(document).some((key) => key.startsWith("itoc360_"));

function storedJobKey(document: Record<string, unknown>): { ok: true; key: string } | undefined {
  const key = (document as Partial<StoredNotes>).itoc360_job;
  return typeof key === "string" && key !== "" && key.length <= JOB_KEY_MAX ? { ok: true, key } : undefined;
}

function storedChangesCount(document: Record<string, unknown>): number | undefined {
  const counts = (document as Partial<StoredNotes>).itoc360_counts;
  const changes = counts?.changes;
  return typeof changes === "number" && Number.isSafeInteger(changes) && changes >= 0 ? changes : undefined;
}
