/**
 * Vars from wrangler.toml `[vars]`: how a number is read (each feature reads its own vars with its
 * default, beside the code that uses them), and the few every feature needs. A value that is not a
 * whole number of at least `min` (unset, empty, a typo) falls back to the default.
 */

export function wholeNumber(value: string | undefined, fallback: number, min = 1): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min ? n : fallback;
}

/** The largest webhook body accepted, in bytes (413 above it). */
export const maxBodyBytes = (env: Pick<Env, "MAX_BODY_BYTES">) =>
  wholeNumber(env.MAX_BODY_BYTES, 1024 * 1024);

/** D1 queries one invocation may run: 50 on the Free plan, 1,000 on Paid. */
export const queriesPerInvocation = (env: Pick<Env, "D1_QUERIES_PER_INVOCATION">) =>
  wholeNumber(env.D1_QUERIES_PER_INVOCATION, 50);

/**
 * `path` on the Worker's public address (var PUBLIC_URL), for links that leave the Worker (notifications,
 * Slack answers); null while it is not set or not a URL.
 */
export function publicUrl(env: Pick<Env, "PUBLIC_URL">, path: string): string | null {
  const base = env.PUBLIC_URL?.trim();
  if (!base) return null;
  try {
    return new URL(path, base).toString();
  } catch {
    return null;
  }
}
