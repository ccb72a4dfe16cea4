/**
 * Asking a Rate Limiting binding (wrangler.toml `[[ratelimits]]`). The binding counts every call, so
 * each caller decides what to spend it on: the sign-in form spends `login:<ip>` on every attempt, the
 * admin API `admin:<ip>` and the webhook `<ip>` on failures only, the webhook a source's budget and
 * ceiling on its deliveries. If the limiter itself fails the request goes ahead, with a log line:
 * losing an alert, or locking admins out, is worse than letting one window's excess in (and tokens
 * are out of reach of guessing anyway).
 */

/** Spends one unit of `key`'s budget; false once it is gone for this window. */
export async function withinLimit(limiter: RateLimit, key: string): Promise<boolean> {
  try {
    return (await limiter.limit({ key })).success;
  } catch (err) {
    console.error(JSON.stringify({ message: "rate limiter failed", error: String(err) }));
    return true;
  }
}
