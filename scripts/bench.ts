/**
 * `npm run bench [-- --quick] [-- --rows 200000] [-- --concurrency 16 --seconds 10 --rounds 3]`
 *
 * Serves, with Miniflare on loopback and in the same way: the production bundle (`wrangler deploy
 * --dry-run`) on local D1/KV, a no-op Worker (the runtime's limit) and a floor Worker doing one bare
 * D1 INSERT per request (the cost of storing anything). Drives each with autocannon at a fixed
 * concurrency, alternating webhook / no-op / floor for several rounds so drift cancels, and reports
 * medians. A counting pass on an instrumented build counts KV reads and D1 round trips per event, and
 * D1 statements per delivery on each path (written at once, queued: {@link queueBatchCounts}). Then
 * one-source bursts ({@link burstRuns}): stored per second end to end against the floor, and the drain
 * time of 2,000 deliveries. Writes bench/results/latest.json. Nothing here asserts on timing.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { burstRuns } from "./lib/bench-burst.ts";
import { fill, rollUp } from "./lib/bench-fill.ts";
import { queueBatchCounts } from "./lib/bench-queue.ts";
import { parseCli } from "./lib/cli.ts";
import { perDelivery, type QueueBatch, queueFigures } from "./lib/d1-counts.ts";
import { type LoadResult, load, median } from "./lib/load.ts";
import {
  buildBundle,
  type LocalWorker,
  migrate,
  startReference,
  startWorker,
  tempDir,
} from "./lib/local-worker.ts";
import { PayloadMix } from "./lib/payload-mix.ts";
import { workerdPids } from "./lib/proc.ts";
import { startupCpuMs } from "./lib/startup.ts";
import { versions } from "./lib/versions.ts";

const { values } = parseCli(import.meta.url, {
  options: {
    quick: { type: "boolean", default: false },
    rows: { type: "string", default: "0" },
    concurrency: { type: "string", default: "16" },
    seconds: { type: "string" },
    rounds: { type: "string", default: "3" },
  },
});
const quick = values.quick;
const connections = Number(values.concurrency);
const seconds = Number(values.seconds ?? (quick ? 1 : 10));
const rounds = Math.max(Number(values.rounds), 3);
const rows = Number(values.rows);
const cleanup: string[] = [];
const temp = (prefix: string) => {
  const dir = tempDir(prefix);
  cleanup.push(dir);
  return dir;
};

/** Starts something Miniflare serves and returns the workerd processes it added. */
async function track<T>(start: () => Promise<T>): Promise<{ value: T; pids: Set<number> }> {
  const before = workerdPids();
  const value = await start();
  return { value, pids: new Set([...workerdPids()].filter((pid) => !before.has(pid))) };
}

async function webhookTarget(script: string, sources = 4) {
  const persistTo = temp("bench-state");
  migrate(persistTo);
  const { value: worker, pids } = await track(() => startWorker({ script, persistTo, unlimited: true }));
  const tokens: string[] = [];
  for (let i = 0; i < sources; i++) tokens.push((await worker.createSource(`bench ${i + 1}`)).token);
  return { worker, pids, tokens };
}

function deliveries(tokens: string[], mix = new PayloadMix()) {
  let i = 0;
  return () => ({ path: `/webhooks/jenkins?token=${tokens[i++ % tokens.length]}`, body: mix.next() });
}

async function main() {
  const bundle = buildBundle();
  cleanup.push(path.dirname(bundle.script));
  const webhook = await webhookTarget(bundle.script);
  const noop = await track(() => startReference(path.resolve("bench/workers/noop.js"), temp("noop")));
  const floor = await track(() =>
    startReference(path.resolve("bench/workers/floor.js"), temp("floor"), { d1Databases: { DB: "floor" } }),
  );
  const limiter = await track(() =>
    startReference(path.resolve("bench/workers/ratelimit.js"), temp("ratelimit"), {
      ratelimits: { LIMITER: { namespace_id: "9001", simple: { limit: 1_000_000_000, period: 60 } } },
    }),
  );
  const queue = await track(() =>
    startReference(path.resolve("bench/workers/queue.js"), temp("queue"), {
      queueProducers: { QUEUE: { queueName: "bench-reference" } },
    }),
  );
  const floorDb = await floor.value.getD1Database("DB");
  await floorDb.exec(
    "CREATE TABLE floor (id INTEGER PRIMARY KEY, received_at TEXT NOT NULL, body TEXT NOT NULL)",
  );
  const noopUrl = await noop.value.ready;
  const floorUrl = await floor.value.ready;
  const limiterUrl = await limiter.value.ready;
  const queueUrl = await queue.value.ready;

  const mix = new PayloadMix();
  const targets = {
    webhook: { url: webhook.worker.url, pids: webhook.pids, next: deliveries(webhook.tokens, mix) },
    noop: { url: noopUrl, pids: noop.pids, next: () => ({ path: "/", body: mix.next() }) },
    floor: { url: floorUrl, pids: floor.pids, next: () => ({ path: "/", body: mix.next() }) },
    ratelimit: { url: limiterUrl, pids: limiter.pids, next: () => ({ path: "/", body: mix.next() }) },
    queue: { url: queueUrl, pids: queue.pids, next: () => ({ path: "/", body: mix.next() }) },
  };
  for (const target of Object.values(targets)) await load({ ...target, connections, seconds: 1 }); // warm-up
  const rowsAtStart = await countAlerts(webhook.worker);

  const runs: Record<keyof typeof targets, LoadResult[]> = {
    webhook: [],
    noop: [],
    floor: [],
    ratelimit: [],
    queue: [],
  };
  for (let round = 1; round <= rounds; round++) {
    for (const [name, target] of Object.entries(targets) as [
      keyof typeof targets,
      (typeof targets)["noop"],
    ][]) {
      const result = await load({ ...target, connections, seconds });
      runs[name].push(result);
      console.log(
        `round ${round} ${name.padEnd(7)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50_ms} ms  ` +
          `p99 ${result.p99_ms} ms  cpu ${result.cpu_us_per_request.toFixed(0)} µs/req  non-2xx ${result.non2xx}`,
      );
    }
  }
  const med = (name: keyof typeof runs, key: keyof LoadResult) => median(runs[name].map((r) => r[key]));

  const instrumented = buildBundle("bench/instrumented.ts");
  cleanup.push(path.dirname(instrumented.script));
  const counts = await countingPass(instrumented.script);
  const issue21Started = performance.now();
  const queued = await queueBatchCounts({
    script: instrumented.script,
    persistTo: temp("bench-queued"),
    sizes: [10, 100],
    times: quick ? 1 : 3,
    concurrency: connections,
    mix: new PayloadMix(7),
  });
  const bursts = await burstRuns({
    script: bundle.script,
    persistTo: temp("bench-burst"),
    concurrency: connections,
    // Quick (CI): smaller, to keep its run short; the issue's figure is the full run's 2,000.
    deliveries: quick ? 300 : 4_000,
    builds: quick ? 100 : 500,
    mix: new PayloadMix(11),
    floorRps: async () => (await load({ ...targets.floor, connections, seconds })).rps,
  });
  const startupMs = startupCpuMs(bundle.upload, path.join(path.dirname(bundle.script), "startup.cpuprofile"));
  const storedPerS = bursts.end_to_end.stored_per_s ?? 0;
  console.log(
    `queued counts, bursts and startup: ${((performance.now() - issue21Started) / 1000).toFixed(0)} s`,
  );
  const scaling = rows > 0 ? await scalingRun(webhook.worker, webhook.pids, webhook.tokens) : undefined;

  const results = {
    date: new Date().toISOString(),
    quick,
    connections,
    seconds_per_run: seconds,
    rounds,
    webhook_rps: round(med("webhook", "rps")),
    noop_rps: round(med("noop", "rps")),
    floor_rps: round(med("floor", "rps")),
    ratio_vs_noop: round(med("webhook", "rps") / med("noop", "rps"), 3),
    ratio_vs_floor: round(med("webhook", "rps") / med("floor", "rps"), 3),
    p50_ms: med("webhook", "p50_ms"),
    p99_ms: med("webhook", "p99_ms"),
    cpu_us_per_request: {
      webhook: round(med("webhook", "cpu_us_per_request")),
      noop: round(med("noop", "cpu_us_per_request")),
      floor: round(med("floor", "cpu_us_per_request")),
      ratelimit: round(med("ratelimit", "cpu_us_per_request")),
      queue: round(med("queue", "cpu_us_per_request")),
    },
    added_cpu_us_per_event: round(med("webhook", "cpu_us_per_request") - med("floor", "cpu_us_per_request")),
    // The webhook calls the Rate Limiting binding once per delivery; Miniflare emulates it with a
    // SQLite write, far dearer than the binding at the edge. Reported so the two can be told apart.
    local_ratelimit_cpu_us_per_call: round(
      med("ratelimit", "cpu_us_per_request") - med("noop", "cpu_us_per_request"),
    ),
    // Likewise a queue send (every deferred delivery pays one, and the consumer's receive another):
    // a Durable Object's SQLite write in Miniflare.
    local_queue_send_cpu_us_per_call: round(
      med("queue", "cpu_us_per_request") - med("noop", "cpu_us_per_request"),
    ),
    webhook_non2xx: runs.webhook.reduce((n, r) => n + r.non2xx + r.errors, 0),
    bundle_bytes: bundle.bytes,
    bundle_gzip_bytes: bundle.gzipBytes,
    kv_reads_per_event: round(counts.load.kv_reads / counts.load.requests, 4),
    // One delivery at a time: every delivery is written at once, in exactly one round trip.
    d1_round_trips_per_delivery_at_concurrency_1: round(
      counts.sequential.d1_round_trips / counts.sequential.requests,
      3,
    ),
    // Under load (the counting pass, same concurrency): the share deferred to the queue, and the queue
    // consumer's round trips per deferred delivery (it writes a queue batch per D1 batch, at most
    // D1_QUERIES_PER_INVOCATION ÷ 15 deliveries: 3 on the Free plan's 50).
    d1_round_trips_per_event: round(
      (counts.load.d1_round_trips - counts.load.notify_d1_round_trips) / counts.load.requests,
      3,
    ),
    deferred_share: round(counts.load.answered_202 / counts.load.requests, 3),
    d1_round_trips_per_deferred_delivery: round(
      counts.load.queue_d1_round_trips / Math.max(1, counts.load.queue_messages),
      3,
    ),
    // The notification queue (routing each incident's timeline entries; no destinations in the bench),
    // apart from ingest: per delivery under load.
    notify_d1_round_trips_per_event: round(counts.load.notify_d1_round_trips / counts.load.requests, 3),
    // SQLite's own time per stored delivery (D1's meta.duration summed over its statements): batching
    // saves round trips, not database time. D1 has one writer per database, so this bounds the
    // deliveries one database can take per second, whatever the Workers in front of it do.
    sql_ms_per_delivery: round(counts.sequential.sql_ms / counts.sequential.requests, 3),
    db_ceiling_deliveries_per_s: round(
      1000 / Math.max(0.001, counts.sequential.sql_ms / counts.sequential.requests),
    ),
    // Issue 21. End to end: one source's burst of the payload mix (wrangler.toml's limits: past its
    // budget a source is deferred to the queue), events stored (counted by the API) per second from the
    // first request to the moment all are stored, against the floor's requests per second measured
    // just before and after it (end_to_end.floor_rps_beside).
    stored_per_s_end_to_end: storedPerS,
    stored_ratio_vs_floor: round(storedPerS / Math.max(1, bursts.end_to_end.floor_rps_beside), 3),
    end_to_end: bursts.end_to_end,
    // D1 statements, round trips and SQLite time per delivery: written at once (one delivery a request,
    // the counting pass's first part), queued under the timing runs' load (wrangler.toml's batch size),
    // and queued in invocations of exactly 10 and 100 messages (see queueBatchCounts).
    d1_per_delivery: {
      sync: perDelivery(counts.sequential.sync, counts.sequential.sync.deliveries),
      queued_under_load: queueFigures(counts.load.queue_batches),
      ...queued,
    },
    // 500 builds × 4 phases from one source (100 in a quick run), as fast as `connections` allow: from
    // the last answer until all are stored (drain_s) and their incidents' notifications routed
    // (routed_drain_s).
    burst: bursts.burst,
    startup_cpu_ms: round(startupMs, 1),
    rows_at_start: rowsAtStart,
    ...(scaling ? { scaling } : {}),
    machine: { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? "unknown" },
    versions: versions(),
  };

  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/latest.json", `${JSON.stringify(results, null, 2)}\n`);
  const {
    cpu_us_per_request: cpu,
    scaling: _scaling,
    machine: _machine,
    versions: _versions,
    end_to_end: endToEnd,
    d1_per_delivery: perPath,
    burst: burstRun,
    ...flat
  } = results;
  console.table({
    ...flat,
    webhook_cpu_us: cpu.webhook,
    noop_cpu_us: cpu.noop,
    floor_cpu_us: cpu.floor,
    ratelimit_ref_cpu_us: cpu.ratelimit,
    queue_ref_cpu_us: cpu.queue,
  });
  console.log("D1 per delivery, by path (issue 21):");
  console.table(
    Object.fromEntries(
      Object.entries(perPath).map(([name, all]) => {
        const { sizes_seen: _sizes, ...figures } = all as typeof all & { sizes_seen?: number[] };
        return [name, figures];
      }),
    ),
  );
  console.log(`one-source bursts (issue 21): end to end (payload mix) and ${burstRun.sent} deliveries`);
  console.table({ end_to_end: endToEnd, burst: burstRun });
  if (scaling) console.table(scaling);
  console.log("wrote bench/results/latest.json");

  await Promise.all([
    webhook.worker.mf.dispose(),
    noop.value.dispose(),
    floor.value.dispose(),
    limiter.value.dispose(),
    queue.value.dispose(),
  ]);
}

interface Counters {
  requests: number;
  answered_200: number;
  answered_202: number;
  kv_reads: number;
  d1_round_trips: number;
  sql_ms: number;
  queue_invocations: number;
  queue_messages: number;
  queue_d1_round_trips: number;
  notify_messages: number;
  notify_d1_round_trips: number;
  sync: { deliveries: number; statements: number; round_trips: number; sql_ms: number };
  queue_batches: QueueBatch[];
}

/**
 * KV reads, D1 round trips and SQLite time, counted on an instrumented build: first one delivery at a
 * time, then under the timing runs' load, waiting for the queue to drain before reading the counters.
 */
async function countingPass(script: string): Promise<{ sequential: Counters; load: Counters }> {
  const { worker, pids, tokens } = await webhookTarget(script);
  const counters = async (action = "counters") =>
    (await (await fetch(new URL(`/__bench/${action}`, worker.url))).json()) as Counters;
  const next = deliveries(tokens);
  await counters("reset");
  for (let i = 0; i < (quick ? 50 : 300); i++) {
    const { path: target, body } = next();
    const res = await fetch(new URL(target, worker.url), {
      method: "POST",
      headers: { "Content-Type": "application/json;charset=UTF-8" },
      body,
    });
    await res.body?.cancel();
  }
  const sequential = await counters();
  await counters("reset");
  await load({ url: worker.url, pids, connections, seconds: Math.max(2, seconds / 2), next });
  let underLoad = await counters();
  for (let i = 0; i < 200 && underLoad.queue_messages < underLoad.answered_202; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    underLoad = await counters();
  }
  await worker.mf.dispose();
  return { sequential, load: underLoad };
}

/** With `--rows N`: ingest and the API's filtered reads after filling D1 with N alerts. */
async function scalingRun(worker: LocalWorker, pids: Set<number>, tokens: string[]) {
  const start = await settledFootprint(worker.mf);
  const before = median(
    await sequence(rounds, () =>
      load({ url: worker.url, pids, connections, seconds, next: deliveries(tokens) }),
    ),
  );
  // What the realistic traffic just stored cost on disk (the filler below is not realistic).
  const stored = await settledFootprint(worker.mf);
  await fill(worker.mf, rows);
  // The insights read closed days from the daily rollup the cron keeps: what a few runs leave.
  const insightsRollup = await rollUp(worker.mf);
  const after = median(
    await sequence(rounds, () =>
      load({ url: worker.url, pids, connections, seconds, next: deliveries(tokens) }),
    ),
  );
  const api: Record<string, { p50_ms: number; p99_ms: number; rps: number }> = {};
  const queries = {
    "GET /api/alerts": "/api/alerts?limit=50",
    "GET /api/alerts?priority=HIGH": "/api/alerts?priority=HIGH&limit=50",
    "GET /api/alerts?job=…&kind=ALERT": "/api/alerts?job=filler%2Fjob-17&kind=ALERT&limit=50",
    "GET /api/alerts (page 50)": `/api/alerts?limit=50&cursor=${btoa(`v1:${Math.floor(rows / 2)}`).replaceAll("=", "")}`,
    "GET /api/jobs": "/api/jobs?limit=50",
    "GET /api/jobs/:id/history": `/api/jobs/${await busiestJob(worker)}/history`,
    // 90 days around the filler's day (2026-01-01): every filler build is in the window.
    "GET /api/insights (90 days)": "/api/insights?from=2025-12-01&to=2026-02-28",
    "GET /api/insights?source_id=… (90 days)":
      "/api/insights?source_id=filler-3&from=2025-12-01&to=2026-02-28",
  };
  for (const [name, query] of Object.entries(queries)) {
    const probe = await worker.api(query);
    await probe.body?.cancel();
    if (probe.status !== 200) throw new Error(`${name} answered ${probe.status}`);
    const result = await loadApi(worker, pids, query);
    api[name] = { p50_ms: result.p50_ms, p99_ms: result.p99_ms, rps: round(result.rps) };
  }
  const added = {
    bytes: stored.bytes - start.bytes,
    events: stored.events - start.events,
    alerts: stored.alerts - start.alerts,
  };
  return {
    rows,
    sizing: {
      events_added: added.events,
      alerts_added: added.alerts,
      bytes_per_event: round(added.bytes / Math.max(1, added.events)),
      bytes_per_build: round(added.bytes / Math.max(1, added.alerts)),
    },
    ingest_rps_at_0_rows: round(before),
    ingest_rps_at_rows: round(after),
    ingest_ratio: round(after / before, 3),
    api_at_rows: api,
    insights_rollup: insightsRollup,
  };
}

/** The database's size and rows once the queue has drained (counts steady for half a second). */
async function settledFootprint(mf: LocalWorker["mf"]) {
  const db = await mf.getD1Database("DB");
  const read = async () => {
    const [events, alerts] = await db.batch<{ n: number }>([
      db.prepare("SELECT count(*) AS n FROM events"),
      db.prepare("SELECT count(*) AS n FROM alerts"),
    ]);
    return {
      bytes: Number(events?.meta.size_after ?? 0),
      events: events?.results[0]?.n ?? 0,
      alerts: alerts?.results[0]?.n ?? 0,
    };
  };
  let last = await read();
  for (let i = 0; i < 120; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await read();
    if (now.events === last.events) return now;
    last = now;
  }
  return last;
}

function loadApi(worker: LocalWorker, pids: Set<number>, query: string) {
  return load({
    url: worker.url,
    pids,
    connections: 4,
    seconds: Math.max(2, seconds / 2),
    next: () => ({ path: query }),
    headers: { authorization: `Bearer ${worker.adminToken}` },
  });
}

async function sequence(times: number, run: () => Promise<LoadResult>): Promise<number[]> {
  const rps: number[] = [];
  for (let i = 0; i < times; i++) rps.push((await run()).rps);
  return rps;
}

/** The job with the most builds (the realistic traffic's; filler alerts have no job row): its history costs most. */
async function busiestJob(worker: LocalWorker): Promise<number> {
  const db = await worker.mf.getD1Database("DB");
  const busiest = await db
    .prepare(
      `SELECT j.id FROM jobs AS j
       ORDER BY (SELECT count(*) FROM alerts AS a WHERE a.source_id = j.source_id AND a.job = j.job) DESC LIMIT 1`,
    )
    .first<number>("id");
  if (busiest === null) throw new Error("no job to probe");
  return busiest;
}

async function countAlerts(worker: LocalWorker): Promise<number> {
  const db = await worker.mf.getD1Database("DB");
  return (await db.prepare("SELECT count(*) AS n FROM alerts").first<number>("n")) ?? 0;
}

function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

try {
  await main();
} finally {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
}
