/**
 * Numeric vars from wrangler.toml `[vars]`, each read with its default in one place. A value that is
 * not a whole number of at least `min` (unset, empty, a typo) falls back to the default.
 */

function wholeNumber(value: string | undefined, fallback: number, min = 1): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min ? n : fallback;
}

/** The largest webhook body accepted, in bytes (413 above it). */
export const maxBodyBytes = (env: Pick<Env, "MAX_BODY_BYTES">) =>
  wholeNumber(env.MAX_BODY_BYTES, 1024 * 1024);

/** Deliveries one isolate writes to D1 at once before deferring the rest to the queue (0: defer all). */
export const maxDeliveriesInFlight = (env: Pick<Env, "MAX_DELIVERIES_IN_FLIGHT">) =>
  wholeNumber(env.MAX_DELIVERIES_IN_FLIGHT, 8, 0);

/** Open alerts with no event for this many hours become `stale`. */
export const staleAfterHours = (env: Pick<Env, "STALE_AFTER_HOURS">) =>
  wholeNumber(env.STALE_AFTER_HOURS, 24);

/** D1 queries one invocation may run: 50 on the Free plan, 1,000 on Paid. */
export const queriesPerInvocation = (env: Pick<Env, "D1_QUERIES_PER_INVOCATION">) =>
  wholeNumber(env.D1_QUERIES_PER_INVOCATION, 50);

/** Events received longer ago than this many days are purged. */
export const retentionDays = (env: Pick<Env, "RETENTION_DAYS">) => wholeNumber(env.RETENTION_DAYS, 90);

/** Alerts whose last event is older than this many days are purged, with their events. */
export const alertRetentionDays = (env: Pick<Env, "ALERT_RETENTION_DAYS">) =>
  wholeNumber(env.ALERT_RETENTION_DAYS, 365);

/** Dead letters kept in D1, newest first. */
export const deadLettersKept = (env: Pick<Env, "DEAD_LETTERS_KEPT">) =>
  wholeNumber(env.DEAD_LETTERS_KEPT, 1000);

/**
 * ALLOW_PRIVATE_DESTINATIONS = "true" (local development and tests only): notifications may go to
 * plain http and to private, loopback and link-local hosts (src/notify/destinations/url.ts).
 */
export const allowsPrivateDestinations = (env: Pick<Env, "ALLOW_PRIVATE_DESTINATIONS">) =>
  env.ALLOW_PRIVATE_DESTINATIONS === "true";
