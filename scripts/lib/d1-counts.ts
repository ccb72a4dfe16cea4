/**
 * What the instrumented build counts (bench/instrumented.ts, `GET /__bench/counters`) per path, and the
 * per-delivery figures the benchmark derives from it. Pure.
 */

/** What one request or invocation sent to D1. */
export interface D1Tally {
  /** Statements run, each statement of a batch counted (what D1's per-invocation query limit counts). */
  statements: number;
  /** Calls to D1: one per batch or statement run on its own. */
  round_trips: number;
  /** SQLite's own time (`meta.duration`) of the batches and of `run`/`all`; `first`/`raw` report none. */
  sql_ms: number;
}

/** One events-queue invocation: its messages, what became of them, and what it sent to D1. */
export interface QueueBatch extends D1Tally {
  messages: number;
  acked: number;
  retried: number;
}

/** Per delivery on one path: statements, round trips and SQLite time. */
export interface PathFigures {
  deliveries: number;
  statements_per_delivery: number;
  round_trips_per_delivery: number;
  sql_ms_per_delivery: number;
}

/** Queue invocations of one size, summed: per delivery (stored, i.e. acknowledged) and per invocation. */
export interface QueueFigures extends PathFigures {
  batches: number;
  /** The most statements one invocation sent: what D1's query limit (50 on Free) is measured against. */
  max_statements_per_batch: number;
  round_trips_per_batch: number;
  /** Messages put back on the queue instead of stored (over the plan's query budget, or failing). */
  retried: number;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** `tally` over `deliveries`. */
export function perDelivery(tally: D1Tally, deliveries: number): PathFigures {
  const n = Math.max(1, deliveries);
  return {
    deliveries,
    statements_per_delivery: round(tally.statements / n),
    round_trips_per_delivery: round(tally.round_trips / n),
    sql_ms_per_delivery: round(tally.sql_ms / n),
  };
}

/** The invocations that held exactly `size` messages (all of them without `size`), summed. */
export function queueFigures(batches: QueueBatch[], size?: number): QueueFigures {
  const chosen = batches.filter((batch) => size === undefined || batch.messages === size);
  const sum = (key: keyof QueueBatch) => chosen.reduce((total, batch) => total + batch[key], 0);
  const total = { statements: sum("statements"), round_trips: sum("round_trips"), sql_ms: sum("sql_ms") };
  return {
    ...perDelivery(total, sum("acked")),
    batches: chosen.length,
    max_statements_per_batch: Math.max(0, ...chosen.map((batch) => batch.statements)),
    round_trips_per_batch: round(total.round_trips / Math.max(1, chosen.length)),
    retried: sum("retried"),
  };
}
