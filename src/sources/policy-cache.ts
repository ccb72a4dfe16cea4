/**
 * Each source's noise policy as ingest reads it: from D1 once per source per isolate per 30 s
 * (../platform/isolate-cache.ts `IsolateCache`: resolved values only, never a promise shared between
 * requests). A change made through this isolate applies here at once and everywhere else within 30 s, when
 * the other isolates' entries expire (D1 itself has no edge cache to add to that).
 */

import type { Actor } from "../audit/actor";
import { changedFields } from "../audit/diff";
import { nowMs } from "../platform/clock";
import { IsolateCache } from "../platform/isolate-cache";
import type { Policy } from "./policy";
import { readPolicy, writePolicy } from "./policy-store";

const policies = new IsolateCache<Policy>();

/**
 * Counts changes made in this isolate. A read that started before a change may finish after it with
 * the old policy; it is then answered but not cached, so the change is not hidden for 30 s.
 */
let changes = 0;

/** The source's policy (the defaults when it has none). */
export async function policyFor(env: Pick<Env, "DB">, sourceId: string): Promise<Policy> {
  const cached = policies.get(sourceId);
  if (cached) return cached;
  const changesBefore = changes;
  const policy = await readPolicy(env.DB, sourceId);
  if (changes === changesBefore) policies.set(sourceId, policy);
  return policy;
}

/**
 * Stores a source's new policy (validated and normalised) and drops this isolate's cached one
 * afterwards, so no read here keeps the old policy past the write. The API and the dashboard change
 * policies only through this.
 */
export async function changePolicy(
  env: Pick<Env, "DB">,
  sourceId: string,
  policy: Policy,
  actor: Actor,
  now = new Date(nowMs()),
): Promise<void> {
  // The audit entry's before/after names only the fields that changed.
  const before = await readPolicy(env.DB, sourceId);
  const details = changedFields(before, policy);
  const audit = { actor, action: "policy.changed", target: `source:${sourceId}`, details } as const;
  await writePolicy(env.DB, sourceId, policy, now, audit);
  changes += 1;
  policies.delete(sourceId);
}
