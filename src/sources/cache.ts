/**
 * Isolate-local cache of token lookups: resolved values only (a record, or null for an unknown or
 * revoked token), never a promise. workerd ties I/O to the request that started it, so a pending KV
 * read shared with another request could fail or never settle there; concurrent misses each read KV
 * instead (cheap at the edge, where KV serves hot keys from the location's cache).
 *
 * Entries live at most 30 s; unknown tokens are cached too (as null) so repeating a bad token costs
 * no KV read, and the map is bounded so guessing cannot grow it. A failed read is not cached.
 */
import type { SourceRecord } from "./record";

export const CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  source: SourceRecord | null;
  expires: number;
}

const entries = new Map<string, Entry>();

/** The cached lookup of `hash`: a record, null (known unknown), or undefined (not cached). */
export function cachedSource(hash: string, now = Date.now()): SourceRecord | null | undefined {
  const entry = entries.get(hash);
  if (entry === undefined) return undefined;
  if (entry.expires > now) return entry.source;
  entries.delete(hash);
  return undefined;
}

export function cacheSource(hash: string, source: SourceRecord | null, now = Date.now()): void {
  entries.delete(hash);
  if (entries.size >= MAX_ENTRIES) {
    // Maps iterate in insertion order: drop the oldest entry.
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  entries.set(hash, { source, expires: now + CACHE_TTL_MS });
}

/** Drops `hash` from this isolate's cache (after a change or a revocation). */
export function forgetSource(hash: string): void {
  entries.delete(hash);
}
