/**
 * The webhook's token lookup: a token hash → its enabled source, obeying the one-way keys of
 * ./store.ts. Two rounds of KV reads, each in parallel: the record and its `revoked:` key (all an
 * unknown or revoked token costs), then, for a token with a record, its `expires:` key and its
 * source's `revoked-id:` key (only the record names the source).
 */

import { nowMs } from "../platform/clock";
import type { SourceRecord } from "./model";
import { KEYS } from "./store";

export interface TokenMatch {
  source: SourceRecord;
  /** When the token stops working (epoch ms), for a token a rotation moved out. */
  until?: number;
}

/** The enabled source a token hash belongs to at `now`, or null (unknown, expired or revoked). */
export async function findSourceByHash(
  kv: KVNamespace,
  hash: string,
  now = nowMs(),
): Promise<TokenMatch | null> {
  const [record, revoked] = await Promise.all([
    kv.get<SourceRecord>(KEYS.byHash + hash, "json"),
    kv.get(KEYS.revoked + hash),
  ]);
  if (!record || revoked !== null || record.disabled) return null;
  const [expires, revokedId] = await Promise.all([
    kv.get(KEYS.expires + hash),
    kv.get(KEYS.revokedId + record.id),
  ]);
  if (revokedId !== null) return null;
  if (expires === null) return { source: record };
  const until = Date.parse(expires);
  // An unreadable time is refused: a rotation wrote this key, so the token was meant to stop.
  return until > now ? { source: record, until } : null;
}
