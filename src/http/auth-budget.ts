/**
 * The per-address budget for admin-token attempts (AUTH_RATE_LIMITER, shared with the webhook's
 * failed source tokens under other keys). The binding counts every call, so each caller decides what
 * to spend it on: the sign-in form spends it on every attempt, the admin API on failures only.
 * If the limiter itself fails the attempt goes ahead: a ≥ 32-character token is out of reach of
 * guessing anyway, and admins should not be locked out by a limiter outage.
 */

/** Spends one attempt of `key`'s budget; false once it is gone for this window. */
export async function spendAuthAttempt(limiter: RateLimit, key: string): Promise<boolean> {
  try {
    return (await limiter.limit({ key })).success;
  } catch (err) {
    console.error(JSON.stringify({ message: "auth rate limiter failed", error: String(err) }));
    return true;
  }
}
