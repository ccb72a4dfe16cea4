/**
 * A notification whose destination DESTINATIONS_KEY cannot read (a wrong key under the right id, a key
 * dropped before re-encryption finished, the secret unset) waits for the key instead of failing: the
 * receiver was never tried, so the attempt is not counted and the receiver's retry schedule is left
 * whole for when the key is back. Pure.
 */

/**
 * The longest wait between two looks at an unreadable destination: once the key is put right, what was
 * waiting goes out within this (each look is one queue message and a few D1 queries).
 */
export const KEY_WAIT_MAX_SECONDS = 300;

/** How a waiting notification's `last_error` begins (the incident page words it "waiting for its key"). */
export const KEY_WAIT_ERROR = "destination unreadable";

/** The `last_error` of a notification waiting for its key: why, naming the key id, never a secret. */
export const keyWaitError = (reason: string) => `${KEY_WAIT_ERROR}: ${reason}`;

/** Whether a notification is pending because its destination could not be read at its last look. */
export const waitsForKey = (n: { state: string; last_error: string | null }) =>
  n.state === "pending" && (n.last_error?.startsWith(`${KEY_WAIT_ERROR}:`) ?? false);

/**
 * The wait before the next look, after `waitedMs` since the notification was owed: the retry schedule
 * (seconds) walked by time rather than by attempts, staying on its last entry once past its end, and
 * never longer than {@link KEY_WAIT_MAX_SECONDS}. A key that stays wrong never gives a notification up.
 */
export function keyWaitSeconds(schedule: readonly number[], waitedMs: number): number {
  let elapsed = 0;
  let wait = KEY_WAIT_MAX_SECONDS;
  for (const entry of schedule) {
    wait = entry;
    elapsed += entry;
    if (elapsed * 1000 > waitedMs) break;
  }
  // At least a second: a "0s" schedule entry must not become a loop of looks.
  return Math.max(1, Math.min(wait, KEY_WAIT_MAX_SECONDS));
}
