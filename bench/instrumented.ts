/**
 * The production Worker with counters, for the benchmark's counting pass only: every KV read and
 * every D1 round trip (a statement run on its own, or one batch) is counted by wrapping the binding
 * prototypes, and `GET /__bench/counters` reports them. Timing runs use the plain bundle.
 */
import type { Delivery } from "../src/db/ingest";
import worker from "../src/index";

/** `requests` counts webhook deliveries only; the admin calls that set the run up are not events. */
const counters = { requests: 0, kv_reads: 0, d1_round_trips: 0 };
let patched = false;

function count<T extends object>(prototype: T, methods: string[], key: keyof typeof counters): void {
  for (const method of methods) {
    const original = Reflect.get(prototype, method) as ((...args: unknown[]) => unknown) | undefined;
    if (typeof original !== "function") continue;
    Reflect.set(prototype, method, function (this: unknown, ...args: unknown[]) {
      counters[key] += 1;
      return original.apply(this, args);
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
  fetch(request, env, ctx) {
    instrument(env);
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/counters") return Response.json(counters);
    if (request.method === "POST" && pathname.startsWith("/webhooks/")) counters.requests += 1;
    return worker.fetch(request, env, ctx);
  },
  queue: worker.queue,
} satisfies ExportedHandler<Env, Delivery>;
