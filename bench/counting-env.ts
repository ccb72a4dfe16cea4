/**
 * For the benchmark's counting passes only: an `env` whose D1 binding counts what one request or one
 * queue invocation sends to D1, so each path's statements are counted apart even when a webhook
 * request and a consumer invocation run at the same time (the prototype counters in the instrumented
 * build cannot tell them apart). Statements handed to `batch()` are unwrapped first: D1 gets its own
 * objects.
 */

import type { D1Tally } from "../scripts/lib/d1-counts";

export const emptyTally = (): D1Tally => ({ statements: 0, round_trips: 0, sql_ms: 0 });

/** Adds `from` into `into`. */
export function addTally(into: D1Tally, from: D1Tally): void {
  into.statements += from.statements;
  into.round_trips += from.round_trips;
  into.sql_ms += from.sql_ms;
}

const RUNS = new Set<PropertyKey>(["first", "all", "run", "raw"]);

/** `env` with its DB counting into `tally`. */
export function countingEnv(env: Env, tally: D1Tally): Env {
  return { ...env, DB: countingDb(env.DB, tally) };
}

function countingDb(db: D1Database, tally: D1Tally): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const duration = (outcome: unknown) =>
    (outcome as { meta?: { duration?: number } } | null)?.meta?.duration ?? 0;
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, key) {
        if (key === "bind") return (...values: unknown[]) => wrap(target.bind(...values));
        const value = Reflect.get(target, key, target);
        if (typeof value !== "function") return value;
        if (!RUNS.has(key)) return value.bind(target);
        return async (...args: unknown[]) => {
          tally.statements += 1;
          tally.round_trips += 1;
          const outcome = await value.apply(target, args);
          tally.sql_ms += duration(outcome);
          return outcome;
        };
      },
    });
    real.set(proxy, statement);
    return proxy;
  };
  const counting: Partial<D1Database> = {
    prepare: (query) => wrap(db.prepare(query)),
    async batch<T>(statements: D1PreparedStatement[]) {
      tally.statements += statements.length;
      tally.round_trips += 1;
      const outcomes = await db.batch<T>(statements.map((s) => real.get(s) ?? s));
      for (const outcome of outcomes) tally.sql_ms += duration(outcome);
      return outcomes;
    },
    exec(query) {
      tally.statements += 1;
      tally.round_trips += 1;
      return db.exec(query);
    },
  };
  return new Proxy(db, {
    get(target, key) {
      if (key in counting) return Reflect.get(counting, key);
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
