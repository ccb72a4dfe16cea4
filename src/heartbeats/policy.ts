/**
 * What a source's noise policy says about heartbeats: the priority a missed build opens with, and how
 * long the source may send nothing before "Jenkins stopped talking". Read through the policy's isolate
 * cache (../sources/policy-cache.ts): at most one D1 query per source, counted against the cron
 * trigger's budget by ./cron.ts.
 */

import type { Priority } from "../core/vocabulary";
import { silentAfterMs as silentAfterOf } from "../sources/policy";
import { policyFor } from "../sources/policy-cache";

/** D1 queries one policy lookup below costs (at most: the cache may have it). */
export const POLICY_QUERIES: number = 1;

/** The priority a missed build of this source's jobs opens with (`priorities.MISSED_BUILD`). */
export async function missedBuildPriority(db: D1Database, sourceId: string): Promise<Priority> {
  return (await policyFor({ DB: db }, sourceId)).priorities.MISSED_BUILD;
}

/** How long the source may send no event before it is silent (`silent_after`); null: never. */
export async function silentAfterMs(db: D1Database, sourceId: string): Promise<number | null> {
  return silentAfterOf(await policyFor({ DB: db }, sourceId));
}
