/**
 * Serving the production bundle locally with Miniflare, for the soak and the benchmark: the code
 * `wrangler deploy` would upload (built with `--dry-run --outdir`), the bindings wrangler.toml
 * declares (read through wrangler's own config → Miniflare mapping), local D1 migrated by
 * `wrangler d1 migrations apply`, and a source created through the admin API.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Miniflare, V4WorkerOptions } from "miniflare";
import { migrateLocal, WRANGLER } from "./local-state.ts";

export interface Bundle {
  script: string;
  /** The multipart upload `wrangler deploy` would send (what `wrangler check startup` profiles). */
  upload: string;
  bytes: number;
  gzipBytes: number;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `itoc360-${prefix}-`));
}

/** Builds exactly what `wrangler deploy` would upload (or the same with another entry point). */
export function buildBundle(entry?: string, outdir = tempDir("bundle")): Bundle {
  const upload = path.join(outdir, "worker.bundle");
  execFileSync(
    WRANGLER,
    ["deploy", "--dry-run", "--outdir", outdir, "--outfile", upload, ...(entry ? [entry] : [])],
    { stdio: "ignore" },
  );
  const script = path.join(outdir, entry ? `${path.basename(entry, path.extname(entry))}.js` : "index.js");
  const code = readFileSync(script);
  return { script, upload, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength };
}

/** Applies migrations/ to a fresh local D1 under `persistTo`. */
export const migrate = (persistTo: string) => migrateLocal(persistTo);

export interface LocalWorker {
  mf: Miniflare;
  url: URL;
  adminToken: string;
  /** POSTs to the admin API and returns the new source's id and token. */
  createSource(name: string): Promise<{ id: string; token: string }>;
  api(pathAndQuery: string): Promise<Response>;
}

export interface StartOptions {
  script: string;
  persistTo: string;
  /** Lift the Rate Limiting budgets: a load test is not a runaway Jenkins. */
  unlimited?: boolean;
  /** Vars set over wrangler.toml's (the benchmark's counting of queue batches). */
  vars?: Record<string, string>;
  /**
   * Queue consumers' settings changed over wrangler.toml's (Miniflare's option names), keyed by the
   * producer binding of their queue (`EVENTS_QUEUE`): the benchmark's queue batches of a chosen size.
   */
  consumers?: Record<string, { maxBatchSize?: number; maxBatchTimeout?: number }>;
}

export async function startWorker(options: StartOptions): Promise<LocalWorker> {
  // Loaded here, not at the top: wrangler and Miniflare take seconds to import, and `--help` of the
  // scripts that use this (bench, soak) should answer at once.
  const [{ convertV4MiniflareOptions, Miniflare }, { unstable_getMiniflareWorkerOptions }] =
    await Promise.all([import("miniflare"), import("wrangler")]);
  const workerOptions = unstable_getMiniflareWorkerOptions("wrangler.toml").workerOptions as V4WorkerOptions;
  const adminToken = randomBytes(24).toString("base64url");
  const ratelimits = Object.fromEntries(
    Object.entries(workerOptions.ratelimits ?? {}).map(([name, limiter]) => [
      name,
      options.unlimited ? { ...limiter, simple: { limit: 1_000_000_000, period: 60 } } : limiter,
    ]),
  );
  // wrangler still describes bindings in Miniflare's v4 option shape; Miniflare converts it. The
  // bundle is one ES module, so wrangler's module rules (for imports of .txt, .wasm…) do not apply.
  const { modulesRules: _rules, queueConsumers = {}, ...bindingOptions } = workerOptions;
  const changes = Object.fromEntries(
    Object.entries(options.consumers ?? {}).map(([binding, change]) => [
      (workerOptions.queueProducers as Record<string, { queueName: string }> | undefined)?.[binding]
        ?.queueName,
      change,
    ]),
  );
  const consumers = Object.fromEntries(
    Object.entries(queueConsumers).map(([queue, consumer]) => [queue, { ...consumer, ...changes[queue] }]),
  );
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      // Where `wrangler d1 migrations apply --persist-to` put the database (its `<dir>/v3`).
      resourcePersistencePath: path.join(options.persistTo, "v3"),
      workers: [
        {
          ...bindingOptions,
          name: "itoc360-jenkins",
          modules: true,
          scriptPath: options.script,
          modulesRoot: path.dirname(options.script),
          bindings: { ...workerOptions.bindings, ...options.vars, ADMIN_TOKEN: adminToken },
          queueConsumers: consumers,
          ratelimits,
        } as V4WorkerOptions,
      ],
    }),
  );
  const url = await mf.ready;
  const api = (pathAndQuery: string, init: RequestInit = {}) =>
    fetch(new URL(pathAndQuery, url), {
      ...init,
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json", ...init.headers },
    });
  return {
    mf,
    url,
    adminToken,
    api,
    async createSource(name) {
      const res = await api("/api/sources", { method: "POST", body: JSON.stringify({ name }) });
      if (res.status !== 201) throw new Error(`POST /api/sources answered ${res.status}`);
      return (await res.json()) as { id: string; token: string };
    },
  };
}

/** A reference Worker (bench/workers/*.js) served the same way, with the given bindings. */
export async function startReference(
  script: string,
  persistTo: string,
  bindings: Pick<V4WorkerOptions, "d1Databases" | "ratelimits" | "queueProducers"> = {},
): Promise<Miniflare> {
  const { convertV4MiniflareOptions, Miniflare } = await import("miniflare");
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      resourcePersistencePath: path.join(persistTo, "v3"),
      workers: [
        {
          name: path.basename(script, ".js"),
          compatibilityDate: "2026-11-01",
          modules: true,
          scriptPath: script,
          modulesRoot: path.dirname(script),
          ...bindings,
        } as V4WorkerOptions,
      ],
    }),
  );
  await mf.ready;
  return mf;
}
