/**
 * When a burst is fully stored: for the soak and the benchmark alike. The events stored are counted from
 * the API (the source's `stats.accepted`, counted by the ingest batch itself for new events only); the
 * incidents the burst opened and the timeline entries that owe notifications are read from D1 (the API
 * has no totals for them). Drained means every distinct delivery is stored and every entry that may
 * notify has been routed by the notification queue ({@link enqueueEntries} put it there).
 */
import type { LocalWorker } from "./local-worker.ts";

export interface DrainState {
  /** New events stored for the source. */
  stored: number;
  /** Incidents of the source (opened by the burst, resolved or not). */
  incidents: number;
  /** Timeline entries that may owe notifications (opened, resolved…). */
  notifying: number;
  /** Of those, the ones the notification queue has routed. */
  routed: number;
}

export interface Drained {
  /** False when `timeoutMs` passed first. */
  drained: boolean;
  /** When every event was stored, and when every notifying entry was routed too (`now()`'s clock). */
  storedAt: number | null;
  routedAt: number | null;
  state: DrainState;
}

export interface DrainOptions {
  read: () => Promise<DrainState>;
  /** Distinct deliveries sent (duplicates are accepted but stored once). */
  expected: number;
  timeoutMs: number;
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** Polls `read` until the burst is stored and routed, or `timeoutMs` passes. */
export async function waitForDrain(options: DrainOptions): Promise<Drained> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.timeoutMs;
  let storedAt: number | null = null;
  for (;;) {
    const state = await options.read();
    const at = now();
    if (storedAt === null && state.stored >= options.expected) storedAt = at;
    if (storedAt !== null && state.routed >= state.notifying) {
      return { drained: true, storedAt, routedAt: at, state };
    }
    if (at >= deadline) return { drained: false, storedAt, routedAt: null, state };
    await sleep(options.intervalMs ?? 100);
  }
}

/**
 * Reads the {@link DrainState} of `sourceIds` (summed) from a local Worker: the API for the events, D1
 * for the incidents. The notifying types are {@link NOTIFYING_TYPES}'s (src/ cannot be imported here).
 */
export function drainProbe(worker: LocalWorker, sourceIds: string[]): () => Promise<DrainState> {
  return async () => {
    const stored = await Promise.all(
      sourceIds.map(async (id) => {
        const res = await worker.api(`/api/sources/${id}`);
        if (res.status !== 200) throw new Error(`GET /api/sources/:id answered ${res.status}`);
        return ((await res.json()) as { stats: { accepted: number } }).stats.accepted;
      }),
    );
    const db = await worker.mf.getD1Database("DB");
    const row = await db
      .prepare(
        `SELECT (SELECT count(*) FROM incidents WHERE source_id IN (SELECT value FROM json_each(?1))) AS incidents,
           count(e.id) AS notifying, count(e.routed_at) AS routed
         FROM incident_events e JOIN incidents i ON i.id = e.incident_id
         WHERE i.source_id IN (SELECT value FROM json_each(?1))
           AND e.type IN ('opened', 'acknowledged', 'resolved', 'unsilenced')`,
      )
      .bind(JSON.stringify(sourceIds))
      .first<{ incidents: number; notifying: number; routed: number }>();
    return {
      stored: stored.reduce((sum, n) => sum + n, 0),
      incidents: row?.incidents ?? 0,
      notifying: row?.notifying ?? 0,
      routed: row?.routed ?? 0,
    };
  };
}
