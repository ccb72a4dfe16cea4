/**
 * The production Worker with counters, for the benchmark's counting passes only: every KV read and
 * every D1 round trip (a statement run on its own, or one batch) is counted by wrapping the binding
 * prototypes, with SQLite's own time (D1's `meta.duration`) summed over batches, and the queue
 * consumer's share counted apart. `GET /__bench/counters` reports them. Timing runs use the plain
 * bundle.
 */

import type { QueueBatch } from "../scripts/lib/d1-counts";
import worker from "../src/index";
import { EVENTS_QUEUE_NAME } from "../src/platform/queue-names";
import { addTally, countingEnv, emptyTally } from "./counting-env";

// The Durable Object classes wrangler.toml binds must come from the entrypoint.
export { DestinationSender } from "../src/index";

/** `requests` counts webhook deliveries only; the admin calls that set the run up are not events. */
const counters = {
  requests: 0,
  answered_200: 0,
  answered_202: 0,
  kv_reads: 0,
  d1_round_trips: 0,
  sql_ms: 0,
  queue_invocations: 0,
  queue_messages: 0,
  queue_d1_round_trips: 0,
  /** The notification queue's share, counted apart: routing incidents' timeline entries is not ingest. */
  notify_messages: 0,
  notify_d1_round_trips: 0,
};
/**
 * Per path, counted per request or invocation ({@link countingEnv}): webhook deliveries written at once
 * (answered 200) and the events queue's invocations, each kept (the last 1,000).
 */
const paths = { sync: { deliveries: 0, ...emptyTally() }, queue_batches: [] as QueueBatch[] };
let patched = false;
let inQueue = 0;
let inNotify = 0;

function count<T extends object>(prototype: T, methods: string[], key: keyof typeof counters): void {
  for (const method of methods) {
    const original = Reflect.get(prototype, method) as ((...args: unknown[]) => unknown) | undefined;
    if (typeof original !== "function") continue;
    Reflect.set(prototype, method, function (this: unknown, ...args: unknown[]) {
      counters[key] += 1;
      // Benchmark only: a consumer invocation runs alone in this isolate's counting pass often enough
      // for the split to be indicative; the total is exact either way.
      if (key === "d1_round_trips" && inQueue > 0) counters.queue_d1_round_trips += 1;
      if (key === "d1_round_trips" && inNotify > 0) counters.notify_d1_round_trips += 1;
      const result = original.apply(this, args);
      if (method === "batch" && result instanceof Promise) {
        return result.then((outcomes: D1Result[]) => {
          for (const outcome of outcomes) counters.sql_ms += outcome.meta?.duration ?? 0;
          return outcomes;
        });
      }
      return result;
    });
  }
}

function instrument(env: Env): void {
  if (patched) return;
  patched = true;
  count(Object.getPrototypeOf(env.SOURCES), ["get", "getWithMetadata", "list"], "kv_reads");
  count(Object.getPrototypeOf(env.DB), ["batch", "exec"], "d1_round_trips");
  count(Object.getPrototypeOf(env.DB.prepare("SELECT 1")), ["first", "all", "run", "raw"], "d1_round_trips");
}

export default {
  async fetch(request, env, ctx) {
    instrument(env);
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/counters") return Response.json({ ...counters, ...paths });
    if (pathname === "/__bench/reset") {
      for (const key of Object.keys(counters) as (keyof typeof counters)[]) counters[key] = 0;
      paths.sync = { deliveries: 0, ...emptyTally() };
      paths.queue_batches = [];
      return Response.json({ ...counters, ...paths });
    }
    const webhook = request.method === "POST" && pathname.startsWith("/webhooks/");
    if (webhook) counters.requests += 1;
    const tally = emptyTally();
    const res = await worker.fetch(request, webhook ? countingEnv(env, tally) : env, ctx);
    if (webhook && res.status === 200) {
      paths.sync.deliveries += 1;
      addTally(paths.sync, tally);
    }
    if (webhook && res.status === 200) counters.answered_200 += 1;
    if (webhook && res.status === 202) counters.answered_202 += 1;
    return res;
  },
  async queue(batch, env) {
    instrument(env);
    if (batch.queue !== EVENTS_QUEUE_NAME) {
      counters.notify_messages += batch.messages.length;
      inNotify += 1;
      try {
        await worker.queue(batch, env);
      } finally {
        inNotify -= 1;
      }
      return;
    }
    counters.queue_invocations += 1;
    counters.queue_messages += batch.messages.length;
    const record: QueueBatch = { messages: batch.messages.length, acked: 0, retried: 0, ...emptyTally() };
    paths.queue_batches.push(record);
    if (paths.queue_batches.length > 1000) paths.queue_batches.shift();
    inQueue += 1;
    try {
      await worker.queue(countedBatch(batch, record), countingEnv(env, record));
    } finally {
      inQueue -= 1;
    }
  },
} satisfies ExportedHandler<Env, unknown>;

/** `batch` with each message's ack and retry counted into `record`. */
function countedBatch(batch: MessageBatch<unknown>, record: QueueBatch): MessageBatch<unknown> {
  const messages = batch.messages.map(
    (message) =>
      new Proxy(message, {
        get(target, key) {
          const value = Reflect.get(target, key, target);
          if (typeof value !== "function") return value;
          if (key !== "ack" && key !== "retry") return value.bind(target);
          return (...args: unknown[]) => {
            record[key === "ack" ? "acked" : "retried"] += 1;
            return value.apply(target, args);
          };
        },
      }),
  );
  const counted: MessageBatch<unknown> = {
    queue: batch.queue,
    metadata: batch.metadata,
    messages,
    ackAll: () => batch.ackAll(),
    retryAll: (options?: QueueRetryOptions) => batch.retryAll(options),
  };
  return counted;
}
