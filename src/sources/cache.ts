/** This isolate's caches of source lookups ({@link IsolateCache}: resolved values only, 30 s at most). */
import { IsolateCache } from "../platform/isolate-cache";
import type { SourceRecord } from "./model";

/**
 * Token hash → its enabled source, or null for a token that is unknown or revoked (so repeating a bad
 * token costs no KV read either). A rotated-out token's entry ends when the token does, not later.
 */
export const sourcesByTokenHash = new IsolateCache<SourceRecord | null>();

/** Source id → its record, for the queue consumer (most queue batches come from a few sources). */
export const sourcesById = new IsolateCache<SourceRecord>();

/** Drops a token's lookup from this isolate's cache (after a change or a revocation). */
export function forgetSource(hash: string): void {
  sourcesByTokenHash.delete(hash);
}
