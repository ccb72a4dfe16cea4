/**
 * Isolate-local cache of token lookups, so a burst of deliveries costs one KV read: concurrent
 * misses share one in-flight read. Entries live at most 30 s; unknown tokens are cached too (as
 * null) so guessing cannot hammer KV, and the map is bounded so guessing cannot grow it either.
 * A failed read is not cached.
 */
import type { SourceRecord } from "./record";

export const CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  lookup: Promise<SourceRecord | null>;
  expires: number;
}

const entries = new Map<string, Entry>();

export function cachedLookup(
  hash: string,
  load: () => Promise<SourceRecord | null>,
  now = Date.now(),
): Promise<SourceRecord | null> {
  const entry = entries.get(hash);
  if (entry && entry.expires > now) return entry.lookup;
  entries.delete(hash);
  if (entries.size >= MAX_ENTRIES) {
    // Maps iterate in insertion order: drop the oldest entry.
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  const lookup = load();
  entries.set(hash, { lookup, expires: now + CACHE_TTL_MS });
  lookup.catch(() => {
    if (entries.get(hash)?.lookup === lookup) entries.delete(hash);
  });
  return lookup;
}

/** Drops `hash` from this isolate's cache (after a revocation, say). */
export function forgetSource(hash: string): void {
  entries.delete(hash);
}
