/**
 * The cron trigger's work: open alerts with no event for STALE_AFTER_HOURS become `stale` (builds
 * that never finish, e.g. Jenkins restarted mid-build). Nothing is deleted; a later event reopens.
 */
import { wholeNumber } from "../platform/vars";

export async function markStaleAlerts(
  env: Pick<Env, "DB" | "STALE_AFTER_HOURS">,
  now: Date,
): Promise<number> {
  const cutoff = new Date(now.getTime() - staleAfterHours(env) * 3_600_000).toISOString();
  const result = await env.DB.prepare(
    "UPDATE alerts SET state = 'stale' WHERE state = 'open' AND last_seen_at < ?1",
  )
    .bind(cutoff)
    .run();
  const stale = result.meta.changes ?? 0;
  console.log(JSON.stringify({ message: "marked stale alerts", stale, cutoff }));
  return stale;
}

/** Open alerts with no event for this many hours become `stale`. */
export const staleAfterHours = (env: Pick<Env, "STALE_AFTER_HOURS">) =>
  wholeNumber(env.STALE_AFTER_HOURS, 24);
