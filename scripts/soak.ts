/**
 * `npm run soak [-- --builds 2500 --sources 8 --concurrency 32 --seed 1]`: 2,500 builds × 4 phases,
 * shuffled per build, 5 % duplicates, through the production bundle in Miniflare with local D1/KV;
 * then every build is checked through the API. Prints the counts; exits 1 unless 0 lost,
 * 0 duplicated and 0 5xx.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkAlerts, sendAll, soakPlan } from "../test/soak.ts";
import { buildBundle, migrate, startWorker, tempDir } from "./lib/local-worker.ts";

const { values } = parseArgs({
  options: {
    builds: { type: "string", default: "2500" },
    sources: { type: "string", default: "8" },
    concurrency: { type: "string", default: "32" },
    seed: { type: "string", default: "1" },
  },
});
const builds = Number(values.builds);
const concurrency = Number(values.concurrency);

const bundle = buildBundle();
const persistTo = tempDir("soak-state");
migrate(persistTo);
const worker = await startWorker({ script: bundle.script, persistTo, unlimited: true });
try {
  const sources: { id: string; token: string }[] = [];
  for (let i = 0; i < Number(values.sources); i++) sources.push(await worker.createSource(`soak ${i + 1}`));
  const plan = soakPlan({ builds, sources: sources.length, seed: Number(values.seed) });
  console.log(
    `soak: ${plan.deliveries.length} events (${builds} builds × 4 phases, shuffled, 5 % duplicates), ` +
      `${sources.length} sources, concurrency ${concurrency}`,
  );

  const started = performance.now();
  const counts = await sendAll(
    plan.deliveries,
    (source, body, contentType) =>
      fetch(new URL(`/webhooks/jenkins?token=${sources[source]?.token}`, worker.url), {
        method: "POST",
        headers: { "Content-Type": contentType },
        body,
      }),
    concurrency,
  );
  const seconds = (performance.now() - started) / 1000;
  const check = await checkAlerts(
    plan.expected,
    sources.map((s) => s.id),
    (path) => worker.api(path),
  );

  const summary = {
    events: counts.sent,
    builds: check.builds,
    lost: check.lost,
    duplicated: check.duplicated,
    wrong_state: check.wrong_state,
    wrong_event_count: check.wrong_event_count,
    server_errors: counts.server_errors,
    other_errors: counts.other_errors,
    duplicates_acknowledged: counts.duplicates,
    seconds: Number(seconds.toFixed(1)),
    events_per_second: Math.round(counts.sent / seconds),
  };
  console.table(summary);
  const ok =
    check.lost + check.duplicated + check.wrong_state + check.wrong_event_count + counts.server_errors ===
      0 && counts.other_errors === 0;
  console.log(ok ? "soak: OK" : "soak: FAILED");
  process.exitCode = ok ? 0 : 1;
} finally {
  await worker.mf.dispose();
  rmSync(persistTo, { recursive: true, force: true });
  rmSync(path.dirname(bundle.script), { recursive: true, force: true });
}
