/**
 * `npm run soak [-- --builds 2500 --sources 8 --concurrency 32 --seed 1 --burst 2500]`: three phases
 * through the production bundle in Miniflare with local D1/KV, each checked build by build through
 * the API once the queue has drained. Exits 1 unless every phase has 0 lost, 0 duplicated, 0 wrong
 * state and 0 5xx.
 *
 * 1. mixed: 2,500 builds × 4 phases, shuffled per build, 5 % duplicates, over 8 sources, with the
 *    Rate Limiting budgets lifted (a load test is not a runaway Jenkins);
 * 2. burst: one source sends `--burst` events (10× its 1,200-a-minute budget by default) at the same
 *    concurrency with the real limits: what is over the budget is deferred to the queue, never refused;
 * 3. aborts: as 1 on a smaller scale, while as many other clients abort mid-upload or mid-answer.
 */

import { rmSync } from "node:fs";
import path from "node:path";
import { checkAlerts, type SoakCheck, settledCheck, soakPlan } from "../fixtures/soak.ts";
import { abortWhileUploading, abortWhileWaiting } from "./lib/aborting-client.ts";
import { burst } from "./lib/burst.ts";
import { parseCli } from "./lib/cli.ts";
import { buildBundle, type LocalWorker, migrate, startWorker, tempDir } from "./lib/local-worker.ts";

const { values } = parseCli(import.meta.url, {
  options: {
    builds: { type: "string", default: "2500" },
    sources: { type: "string", default: "8" },
    concurrency: { type: "string", default: "32" },
    seed: { type: "string", default: "1" },
    burst: { type: "string", default: "2500" },
  },
});
const concurrency = Number(values.concurrency);
const seed = Number(values.seed);

interface PhaseResult extends SoakCheck {
  phase: string;
  events: number;
  deferred: number;
  server_errors: number;
  other_errors: number;
  seconds: number;
  events_per_second: number;
  /** From the last answer until every event is stored ({@link burst}); then until notifications are routed. */
  drain_seconds: number | null;
  routed_drain_seconds: number | null;
  incidents: number;
  notifying: number;
}

const bundle = buildBundle();
const results: PhaseResult[] = [];
try {
  results.push(
    await phase("mixed", { builds: Number(values.builds), sources: Number(values.sources), unlimited: true }),
  );
  results.push(
    await phase("burst", { builds: Math.ceil(Number(values.burst) / 4.2), sources: 1, unlimited: false }),
  );
  results.push(await phase("aborts", { builds: 500, sources: 4, unlimited: true, aborts: true }));
} finally {
  rmSync(path.dirname(bundle.script), { recursive: true, force: true });
}
console.table(results);
const ok = results.every(
  (r) => r.lost + r.duplicated + r.wrong_state + r.wrong_event_count + r.server_errors + r.other_errors === 0,
);
console.log(ok ? "soak: OK" : "soak: FAILED");
process.exitCode = ok ? 0 : 1;

async function phase(
  name: string,
  options: { builds: number; sources: number; unlimited: boolean; aborts?: boolean },
): Promise<PhaseResult> {
  const persistTo = tempDir(`soak-${name}`);
  migrate(persistTo);
  const worker = await startWorker({ script: bundle.script, persistTo, unlimited: options.unlimited });
  try {
    const sources: { id: string; token: string }[] = [];
    for (let i = 0; i < options.sources; i++) sources.push(await worker.createSource(`soak ${i + 1}`));
    const plan = soakPlan({ builds: options.builds, sources: sources.length, seed });
    console.log(
      `soak ${name}: ${plan.deliveries.length} events (${options.builds} builds × 4 phases, shuffled, ` +
        `5 % duplicates), ${sources.length} source(s), concurrency ${concurrency}` +
        `${options.unlimited ? ", limits lifted" : ", real limits"}${options.aborts ? ", with aborting clients" : ""}`,
    );
    // The aborting clients post with a source of their own: what they manage to store is not checked.
    const aborter = options.aborts ? await worker.createSource("soak aborting clients") : null;
    const run = await burst(worker, sources, plan.deliveries, {
      concurrency,
      alongside: aborter ? () => abortStorm(worker, aborter.token, plan.deliveries.length) : undefined,
    });
    const ids = sources.map((s) => s.id);
    const check = await settledCheck(() => checkAlerts(plan.expected, ids, (p) => worker.api(p)), 120_000);
    return {
      phase: name,
      events: run.sent,
      deferred: run.deferred,
      ...check,
      server_errors: run.server_errors,
      other_errors: run.other_errors,
      seconds: Number(run.send_s.toFixed(1)),
      events_per_second: Math.round(run.sent / run.send_s),
      drain_seconds: run.drain_s,
      routed_drain_seconds: run.routed_drain_s,
      incidents: run.incidents,
      notifying: run.notifying,
    };
  } finally {
    await worker.mf.dispose();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

/** `count` clients that drop their connection mid-upload or before the answer (their events may or may not be stored). */
async function abortStorm(worker: LocalWorker, token: string, count: number): Promise<void> {
  const url = new URL(`/webhooks/jenkins?token=${token}`, worker.url);
  const body = (n: number) =>
    JSON.stringify({ name: "gone", url: "job/soak-aborted/", build: { number: n, phase: "STARTED" } });
  const lanes = Array.from({ length: 8 }, async (_, lane) => {
    for (let n = lane + 1; n <= count; n += 8) {
      if (n % 2 === 0) await abortWhileUploading(url, body(n), "application/json");
      else await abortWhileWaiting(url, body(n), "application/json", n % 7);
    }
  });
  await Promise.all(lanes);
}
