/**
 * What a receiver's answer means for a notification, and when to try again (pure). Every answer but a
 * 2xx and 410 Gone is retried, as Standard Webhooks asks: a 401 while the receiver rotates its secret or
 * a 404 while it deploys is not the receiver's last word. The schedule is the specification's example
 * by default (after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: ten
 * attempts over about three days), set by the var NOTIFY_RETRY_SCHEDULE (tests use seconds). Each wait
 * takes up to ±10 % jitter, so a receiver that comes back is not hit by every retry at once.
 */

/** The longest a queue message can be delayed (Cloudflare Queues: 12 hours). */
export const MAX_DELAY_SECONDS = 12 * 60 * 60;
/**
 * The longest wait between two attempts. Past a queue message's 12 h the message comes back early and
 * finds its row not yet due; the outbox sweep ({@link sweepOutbox}) sends the row once it is.
 */
export const MAX_WAIT_SECONDS = 24 * 60 * 60;

export const DEFAULT_SCHEDULE = "5s,5m,30m,2h,5h,10h,14h,20h,24h";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** "5s,5m,2h" → [5, 300, 7200]; undefined when any entry is not `<n><s|m|h>` of at most 24 h. */
export function parseSchedule(text: string): number[] | undefined {
  const waits = text.split(",").map((entry) => {
    const match = /^\s*(\d{1,6})([smh])\s*$/.exec(entry);
    if (!match) return Number.NaN;
    return Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
  });
  return waits.length > 0 && waits.every((wait) => wait >= 0 && wait <= MAX_WAIT_SECONDS) ? waits : undefined;
}

/** The waits after each failed attempt (a bad var falls back to the default schedule). */
export const retrySchedule = (env: Pick<Env, "NOTIFY_RETRY_SCHEDULE">): number[] =>
  parseSchedule(env.NOTIFY_RETRY_SCHEDULE ?? "") ?? (parseSchedule(DEFAULT_SCHEDULE) as number[]);

export type Outcome =
  | { kind: "delivered" }
  /** Try again after `delaySeconds`. */
  | { kind: "retry"; delaySeconds: number }
  /** Give up on this notification (410 Gone, or the schedule spent); `disable`: 410, the destination is turned off. */
  | { kind: "failed"; disable: boolean };

/**
 * The outcome of an attempt: `status` null when no answer came (network error, timeout), `attempts`
 * counting this one, `retryAfterMs` the answer's Retry-After (./send.ts reads it).
 */
export function outcomeOf(
  status: number | null,
  attempts: number,
  schedule: number[],
  retryAfterMs: number | null = null,
  random: () => number = Math.random,
): Outcome {
  if (status !== null && status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 410) return { kind: "failed", disable: true };
  const wait = schedule[attempts - 1];
  if (wait === undefined) return { kind: "failed", disable: false };
  const jittered = Math.round(wait * (0.9 + random() * 0.2));
  const asked = Math.ceil((retryAfterMs ?? 0) / 1000);
  return { kind: "retry", delaySeconds: Math.min(MAX_WAIT_SECONDS, Math.max(jittered, asked)) };
}
