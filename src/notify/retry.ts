/**
 * What a receiver's answer means for a notification, and when to try again (pure). The schedule is
 * the Standard Webhooks one by default (after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h: eight attempts over about a day), set by the var NOTIFY_RETRY_SCHEDULE (tests use seconds).
 * Each wait takes up to ±10 % jitter, so a receiver that comes back is not hit by every retry at once.
 */

/** The longest a queue message can be delayed (Cloudflare Queues: 12 hours). */
export const MAX_DELAY_SECONDS = 12 * 60 * 60;

export const DEFAULT_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** "5s,5m,2h" → [5, 300, 7200]; undefined when any entry is not `<n><s|m|h>` within the queue's delay. */
export function parseSchedule(text: string): number[] | undefined {
  const waits = text.split(",").map((entry) => {
    const match = /^\s*(\d{1,6})([smh])\s*$/.exec(entry);
    if (!match) return Number.NaN;
    return Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
  });
  return waits.length > 0 && waits.every((wait) => wait >= 0 && wait <= MAX_DELAY_SECONDS)
    ? waits
    : undefined;
}

/** The waits after each failed attempt (a bad var falls back to the default schedule). */
export const retrySchedule = (env: Pick<Env, "NOTIFY_RETRY_SCHEDULE">): number[] =>
  parseSchedule(env.NOTIFY_RETRY_SCHEDULE ?? "") ?? (parseSchedule(DEFAULT_SCHEDULE) as number[]);

export type Outcome =
  | { kind: "delivered" }
  /** Try again after `delaySeconds`. */
  | { kind: "retry"; delaySeconds: number }
  /** Give up on this notification; `disable` also turns the destination off (410 Gone). */
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
  const transient = status === null || status === 408 || status === 429 || status >= 500;
  const wait = schedule[attempts - 1];
  if (!transient || wait === undefined) return { kind: "failed", disable: false };
  const jittered = Math.round(wait * (0.9 + random() * 0.2));
  const asked = Math.ceil((retryAfterMs ?? 0) / 1000);
  return { kind: "retry", delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(jittered, asked)) };
}
