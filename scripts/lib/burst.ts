/**
 * A burst through a local Worker, for the soak and the benchmark: deliveries sent at a fixed concurrency
 * ({@link sendAll}), then timed until they are all stored and their notifications routed
 * ({@link waitForDrain}). Its figures are counted from the answers and the API, never assumed.
 */
import { type SoakCounts, type SoakDelivery, sendAll } from "../../fixtures/soak.ts";
import { type Drained, type DrainState, drainProbe, waitForDrain } from "./drain.ts";
import { postEach } from "./load.ts";
import type { LocalWorker } from "./local-worker.ts";

export interface BurstFigures extends SoakCounts {
  /** Deliveries that differ (a duplicate is accepted but stored once): what must be stored. */
  distinct: number;
  drained: boolean;
  /** From the first request to the last answer. */
  send_s: number;
  /** From the last answer until every event is stored: the burst's drain time. */
  drain_s: number | null;
  /** From the last answer until every notifying timeline entry is routed as well. */
  routed_drain_s: number | null;
  /** Events stored per second, from the first request to the moment all are stored. */
  stored_per_s: number | null;
  stored: number;
  incidents: number;
  /** Timeline entries that owe notifications, each put on the notification queue. */
  notifying: number;
}

/**
 * Sends `deliveries` (`source` indexes `sources`) and waits for them to drain. What the sources held
 * before is subtracted; a delivery one of them already stored must not be sent again (it would be
 * counted as still to store).
 */
export async function burst(
  worker: LocalWorker,
  sources: { id: string; token: string }[],
  deliveries: SoakDelivery[],
  options: {
    concurrency: number;
    timeoutMs?: number;
    /** Send with autocannon (the benchmark's client, to compare with its floor) rather than fetch. */
    autocannon?: boolean;
    /**
     * Other traffic, started with the burst and awaited before the drain is polled (the soak's aborting
     * clients): the API is never read while it runs.
     */
    alongside?: () => Promise<unknown>;
  },
): Promise<BurstFigures> {
  const path = (source: number) => `/webhooks/jenkins?token=${sources[source]?.token}`;
  const read = drainProbe(
    worker,
    sources.map((s) => s.id),
  );
  const base = await read();
  const started = performance.now();
  const alongside = options.alongside?.();
  const counts = options.autocannon
    ? await postEach(
        worker.url,
        deliveries.map((d) => ({ path: path(d.source), body: d.body })),
        options.concurrency,
      )
    : await sendAll(
        deliveries,
        (source, body, contentType) =>
          fetch(new URL(path(source), worker.url), {
            method: "POST",
            headers: { "Content-Type": contentType },
            body,
          }),
        options.concurrency,
      );
  const answered = performance.now();
  await alongside;
  const distinct = new Set(deliveries.map((d) => `${d.source} ${d.body}`)).size;
  const drained = await waitForDrain({
    read,
    expected: base.stored + distinct,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  return burstFigures({ counts, distinct, started, answered, base, drained });
}

/** The figures of a burst from its counts, instants (ms on one clock) and what was stored before it. */
export function burstFigures(run: {
  counts: SoakCounts;
  distinct: number;
  started: number;
  answered: number;
  base: DrainState;
  drained: Drained;
}): BurstFigures {
  const { counts, distinct, started, answered, base, drained } = run;
  const stored = drained.state.stored - base.stored;
  const seconds = (from: number, to: number | null) =>
    to === null ? null : Math.round(Math.max(0, to - from)) / 1000;
  const storing = seconds(started, drained.storedAt);
  return {
    ...counts,
    distinct,
    drained: drained.drained,
    send_s: seconds(started, answered) as number,
    drain_s: seconds(answered, drained.storedAt),
    routed_drain_s: seconds(answered, drained.routedAt),
    stored_per_s: storing ? Math.round(stored / storing) : null,
    stored,
    incidents: drained.state.incidents - base.incidents,
    notifying: drained.state.notifying - base.notifying,
  };
}
