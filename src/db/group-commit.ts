/**
 * Group commit for D1. Deliveries that arrive while a batch is in flight wait for it, then go to D1
 * together in the next batch: one round trip and one transaction for all of them, instead of one
 * each. At low load a delivery finds nothing in flight and goes at once, alone.
 *
 * - Every request still answers only after the batch holding its own statements has committed.
 * - The batch is always issued by a request whose own statements are in it (the leader), so the I/O
 *   belongs to a request that waits for it, and a request leads at most one batch.
 * - If a group fails, each of its members runs again alone, so one bad delivery cannot fail the
 *   others; a member that fails alone gets its own error.
 * - D1 allows 50 queries per invocation on the Free plan, and the leader's invocation pays for the
 *   whole group. Worst case for one request: a failed group (25), its own run alone (5), three more
 *   lone attempts by the caller's retry loop (15) and a duplicate's lookup (1): 46.
 */

export const MAX_GROUP_STATEMENTS = 25;
const WAKE_MS = 1000;
/** Under load (a batch finished within LOAD_WINDOW_MS), a leader gathers for GATHER_MS first. */
const GATHER_MS = 2;
const LOAD_WINDOW_MS = 50;

interface Entry {
  db: D1Database;
  statements: D1PreparedStatement[];
  alone: boolean;
  done: boolean;
  results?: D1Result[];
  error?: unknown;
}

export class GroupCommit {
  #pending: Entry[] = [];
  #inFlight: Promise<void> | undefined;
  #lastFlushEnd = 0;

  /**
   * Runs `statements` as one transaction, alongside other callers' statements unless `alone` (for
   * retries, and for callers that must bound their own invocation's query count).
   */
  async batch<T = unknown>(
    db: D1Database,
    statements: D1PreparedStatement[],
    { alone = false } = {},
  ): Promise<D1Result<T>[]> {
    const entry: Entry = { db, statements, alone, done: false };
    this.#pending.push(entry);
    while (!entry.done) {
      if (this.#inFlight) {
        // The flight is another request's I/O. workerd cancels a request that waits only on
        // something it cannot see as its own pending work, so keep a timer of ours pending too.
        await Promise.race([this.#inFlight, scheduler.wait(WAKE_MS)]);
        continue;
      }
      const flight = this.#flush(entry);
      this.#inFlight = flight;
      await flight;
      this.#inFlight = undefined;
    }
    if ("error" in entry) throw entry.error;
    return entry.results as D1Result<T>[];
  }

  async #flush(leader: Entry): Promise<void> {
    // Under sustained load, a moment's wait lets deliveries being parsed right now join this batch:
    // bigger groups cost less per event. An isolated delivery never waits.
    const underLoad = Date.now() - this.#lastFlushEnd < LOAD_WINDOW_MS;
    const waiting = this.#pending.reduce((n, entry) => n + entry.statements.length, 0);
    if (underLoad && !leader.alone && waiting < MAX_GROUP_STATEMENTS) {
      await scheduler.wait(GATHER_MS);
    }
    try {
      await this.#commit(leader);
    } finally {
      this.#lastFlushEnd = Date.now();
    }
  }

  /** Commits the leader's statements plus as many waiting ones (same database) as fit. */
  async #commit(leader: Entry): Promise<void> {
    const group = [leader];
    let size = leader.statements.length;
    if (!leader.alone) {
      for (const entry of this.#pending) {
        if (entry === leader || entry.alone || entry.db !== leader.db) continue;
        if (size + entry.statements.length > MAX_GROUP_STATEMENTS) break;
        group.push(entry);
        size += entry.statements.length;
      }
    }
    this.#pending = this.#pending.filter((entry) => !group.includes(entry));
    try {
      const results = await leader.db.batch(group.flatMap((entry) => entry.statements));
      let offset = 0;
      for (const entry of group) {
        entry.results = results.slice(offset, offset + entry.statements.length);
        offset += entry.statements.length;
        entry.done = true;
      }
    } catch (error) {
      if (group.length === 1) {
        leader.error = error;
        leader.done = true;
        return;
      }
      // Isolate the failure: every member goes again, alone, ahead of newer arrivals.
      for (const entry of group) entry.alone = true;
      this.#pending.unshift(...group);
    }
  }
}
