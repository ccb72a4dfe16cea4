/**
 * Isolate-local caches of lookups: resolved values only, never a promise. workerd ties I/O to
 * the request that started it, so a pending KV read shared with another request could fail or never
 * settle there; concurrent misses each read KV instead (cheap at the edge, where KV serves hot keys
 * from the location's cache). Entries live at most 30 s and the maps are bounded, so guessing cannot
 * grow them. A failed read is not cached.
 */

import { nowMs } from "./clock";

const CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

export class IsolateCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();

  /** The cached value, or undefined when there is none (or it expired). */
  get(key: string, now = nowMs()): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires > now) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Keeps `value` for 30 s, or until `until` (epoch ms) when that comes first. */
  set(key: string, value: V, now = nowMs(), until = Number.POSITIVE_INFINITY): void {
    this.#entries.delete(key);
    if (this.#entries.size >= MAX_ENTRIES) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expires: Math.min(now + CACHE_TTL_MS, until) });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every entry (after a change that any of them may be about). */
  clear(): void {
    this.#entries.clear();
  }
}
