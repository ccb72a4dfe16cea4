/**
 * Bindings that wrap the real ones and misbehave on purpose, for fault tests run in workerd:
 * the Worker is called with `{ ...env, DB: failingD1(env.DB, 3) }` and so on.
 */
import { countQueries } from "../src/platform/db/query-count";

/** A D1 whose first `failures` batches throw as D1 does when its connection drops. */
export function failingD1(db: D1Database, failures: number) {
  const calls = { batch: 0 };
  const wrapped = {
    prepare: (query: string) => db.prepare(query),
    exec: (query: string) => db.exec(query),
    dump: () => db.dump(),
    withSession: (constraint?: string) => db.withSession(constraint),
    batch: async <T>(statements: D1PreparedStatement[]) => {
      calls.batch += 1;
      if (calls.batch <= failures) throw new Error("D1_ERROR: Network connection lost.");
      return db.batch<T>(statements);
    },
  };
  return { db: wrapped as unknown as D1Database, calls };
}

/** A KV whose reads throw; writes and lists pass through. */
export function throwingKV(kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get(target, property) {
      if (property === "get" || property === "getWithMetadata") {
        return () => Promise.reject(new Error("KV GET failed: 503 Service Unavailable"));
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A KV that counts its reads. */
export function countingKV(kv: KVNamespace) {
  const calls = { get: 0 };
  const wrapped = new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (property === "get") {
        return (...args: unknown[]) => {
          calls.get += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { kv: wrapped, calls };
}

/** A queue that keeps what it is sent (as the real one would, serialised), to drain by hand. */
export function capturingQueue() {
  const sent: unknown[] = [];
  const queue = {
    send: async (body: unknown) => {
      sent.push(structuredClone(body));
    },
    sendBatch: async (messages: Iterable<{ body: unknown }>) => {
      for (const message of messages) sent.push(structuredClone(message.body));
    },
  };
  return { queue: queue as unknown as Queue, sent };
}

/** A queue that refuses everything. */
export function refusingQueue(): Queue {
  const refuse = () => Promise.reject(new Error("Queue send failed: 500"));
  return { send: refuse, sendBatch: refuse } as unknown as Queue;
}

/**
 * A D1 that counts the statements it runs (what the plan's queries-per-invocation limit counts: the
 * Worker's own {@link countQueries}); `batches` holds each batch's size besides.
 */
export function countingD1(db: D1Database) {
  const counted = countQueries(db);
  const batches: number[] = [];
  const wrapped = new Proxy(counted.db, {
    get(target, property) {
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) => {
          batches.push(statements.length);
          return target.batch(statements);
        };
      }
      return Reflect.get(target, property);
    },
  });
  const calls = {
    get statements() {
      return counted.queries();
    },
    batches,
  };
  return { db: wrapped, calls };
}
