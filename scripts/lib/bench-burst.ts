/**
 * The benchmark's one-source bursts through the production bundle, with wrangler.toml's limits as they
 * are (a burst from one source goes over its budget and is deferred to the queue, as in production):
 * stored per second end to end under the realistic payload mix (sent by autocannon, as the floor is
 * driven), and the drain time of the 2,000-delivery burst (500 builds × 4 phases, the soak's mix
 * of results, no duplicates; `builds` fewer in a quick run). Each on a source of its own, in one fresh
 * Worker.
 */
import { soakPlan } from "../../fixtures/soak.ts";
import { type BurstFigures, burst } from "./burst.ts";
import { migrate, startWorker } from "./local-worker.ts";
import type { PayloadMix } from "./payload-mix.ts";

export async function burstRuns(options: {
  script: string;
  persistTo: string;
  concurrency: number;
  /** Deliveries of the end-to-end run. */
  deliveries: number;
  /** Builds of the burst (4 deliveries each). */
  builds: number;
  mix: PayloadMix;
  /**
   * The floor's requests per second, measured just before and just after the end-to-end run: on a shared
   * machine the rounds' median may come from another load than the burst met.
   */
  floorRps: () => Promise<number>;
}): Promise<{ end_to_end: BurstFigures & { floor_rps_beside: number }; burst: BurstFigures }> {
  migrate(options.persistTo);
  const worker = await startWorker({ script: options.script, persistTo: options.persistTo });
  try {
    const mixed = await worker.createSource("bench end to end");
    const bodies = Array.from({ length: options.deliveries }, () => ({
      source: 0,
      body: options.mix.next(),
    }));
    const { concurrency } = options;
    const floorBefore = await options.floorRps();
    const endToEnd = await burst(worker, [mixed], bodies, { concurrency, autocannon: true });
    const floor_rps_beside = Math.round((floorBefore + (await options.floorRps())) / 2);
    const end_to_end = { ...endToEnd, floor_rps_beside };
    const source = await worker.createSource("bench burst");
    const plan = soakPlan({ builds: options.builds, sources: 1, duplicates: 0, seed: 1 });
    return { end_to_end, burst: await burst(worker, [source], plan.deliveries, { concurrency }) };
  } finally {
    await worker.mf.dispose();
  }
}
