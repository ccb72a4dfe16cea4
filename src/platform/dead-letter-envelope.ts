/**
 * What a dead-letter queue message says. A consumer sends a message it gives up on wrapped with why
 * (`{dead_letter: 1, reason, attempts, body}`); a message the queue moved there itself, after
 * max_retries of invocations that failed as a whole, arrives bare, with no reason but that.
 */
import * as v from "valibot";

/** A reason is kept to this many characters (an error message can be long). */
const MAX_REASON_LENGTH = 1024;

const EnvelopeSchema = v.object({
  dead_letter: v.literal(1),
  reason: v.string(),
  attempts: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  body: v.unknown(),
});

export type DeadLetterEnvelope = v.InferOutput<typeof EnvelopeSchema>;

/** The message the dead-letter queue gets for `body`, which died after `attempts` because of `reason`. */
export function toDeadLetter(body: unknown, reason: string, attempts: number): DeadLetterEnvelope {
  return { dead_letter: 1, reason: reason.slice(0, MAX_REASON_LENGTH), attempts, body };
}

export const MOVED_BY_QUEUE =
  "moved to the dead-letter queue by Cloudflare Queues after max_retries (its invocation failed as a whole)";

/** A dead-letter queue message, read: the original body, why it died, after how many attempts (null: unknown). */
export function readDeadLetter(message: unknown): { body: unknown; reason: string; attempts: number | null } {
  const envelope = v.safeParse(EnvelopeSchema, message);
  if (!envelope.success) return { body: message, reason: MOVED_BY_QUEUE, attempts: null };
  const { body, reason, attempts } = envelope.output;
  return { body, reason: reason.slice(0, MAX_REASON_LENGTH), attempts };
}
