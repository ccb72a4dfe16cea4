/**
 * Counting rejected deliveries, so a user can see why Jenkins' alerts are not arriving (Jenkins
 * ignores our answers).
 *
 * - Authenticated rejections (a valid token with a bad body, or a source past its ceiling) are added to
 *   the source's counters in D1, at most one write per source per second per isolate: counts gather
 *   here as plain numbers and one request's `waitUntil` writes them (its own I/O, after its answer).
 * - Unattributed rejections (no token, unknown or revoked tokens) never become D1 writes, since
 *   anyone can send them: they are counted in this isolate only (`GET /api/stats`).
 */

import { nowIso, nowMs } from "../platform/clock";
import { addRejections, type LastRejection } from "../sources/stats";

const FLUSH_EVERY_MS = 1_000;
/** A scheduled write not done after this long is taken as lost (its request was cancelled). */
const LOST_AFTER_MS = 30_000;

interface PendingCounts {
  counts: Record<string, number>;
  last: LastRejection;
  scheduledAt: number | null;
}

const pending = new Map<string, PendingCounts>();
const lastWrite = new Map<string, number>();

/**
 * Counts a rejection against `sourceId`; writes it (with any others gathered) now, or schedules the
 * write for when this source's last one is a second old.
 */
export function countSourceRejection(
  db: D1Database,
  waitUntil: (promise: Promise<unknown>) => void,
  sourceId: string,
  rejection: LastRejection,
  now = nowMs(),
): void {
  const entry = pending.get(sourceId) ?? { counts: {}, last: rejection, scheduledAt: null };
  entry.counts[rejection.problem] = (entry.counts[rejection.problem] ?? 0) + 1;
  entry.last = rejection;
  pending.set(sourceId, entry);
  if (entry.scheduledAt !== null && now - entry.scheduledAt < LOST_AFTER_MS) return;
  entry.scheduledAt = now;
  const wait = Math.max(0, (lastWrite.get(sourceId) ?? 0) + FLUSH_EVERY_MS - now);
  waitUntil(write(db, sourceId, wait));
}

async function write(db: D1Database, sourceId: string, wait: number): Promise<void> {
  if (wait > 0) await scheduler.wait(wait);
  const entry = pending.get(sourceId);
  if (!entry) return;
  pending.delete(sourceId);
  lastWrite.set(sourceId, nowMs());
  try {
    await addRejections(db, sourceId, entry.counts, entry.last);
  } catch (err) {
    // The log lines of these rejections remain; the counters miss them.
    console.error(
      JSON.stringify({ event: "rejection_count_failed", source_id: sourceId, error: String(err) }),
    );
  }
}

interface IsolateCounts {
  since: string;
  total: number;
  by_problem: Record<string, number>;
}

let isolate: IsolateCounts | undefined;

/** This isolate's counts, started on first use: not at module load, where workerd's clock reads 0. */
const isolateCounts = (): IsolateCounts => (isolate ??= { since: nowIso(), total: 0, by_problem: {} });

/** Counts a rejection nobody can be attributed to, in this isolate. */
export function countUnattributed(problem: string): void {
  const counts = isolateCounts();
  counts.total += 1;
  counts.by_problem[problem] = (counts.by_problem[problem] ?? 0) + 1;
}

/** What this isolate has counted since it started (or since it was first asked). */
export function unattributedCounts(): IsolateCounts {
  const counts = isolateCounts();
  return { ...counts, by_problem: { ...counts.by_problem } };
}
