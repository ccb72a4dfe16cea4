/**
 * The benchmark's count of the queued path at chosen batch sizes, on the instrumented build
 * (bench/instrumented.ts). Every delivery takes the production path to the queue: the webhook defers
 * it because the isolate counts as busy (MAX_DELIVERIES_IN_FLIGHT = 0: "defer all"), EVENTS_QUEUE
 * carries it, and the real consumer writes it. Two settings differ from wrangler.toml, so that one
 * invocation holds exactly the batch being measured: the consumer's max_batch_size (the largest size
 * asked for, with a short wait so that a smaller burst is delivered whole), and the plan's query budget
 * (D1_QUERIES_PER_INVOCATION, lifted: on Free's 50 today's consumer would write 3 deliveries and put
 * the rest back). What a batch sends to D1 is then measured against the 50 queries a Free invocation
 * may make, not limited by them.
 */
import type { SoakDelivery } from "../../fixtures/soak.ts";
import { burst } from "./burst.ts";
import { type QueueBatch, type QueueFigures, queueFigures } from "./d1-counts.ts";
import { migrate, startWorker } from "./local-worker.ts";
import type { PayloadMix } from "./payload-mix.ts";

/** How long the consumer waits for a batch to fill, in s: a burst of the smaller size is sent well within it. */
const BATCH_WAIT_S = 2;

/** Queue invocations of each size in `sizes`, `times` bursts of each, counted on the instrumented build. */
export async function queueBatchCounts(options: {
  script: string;
  persistTo: string;
  sizes: number[];
  times: number;
  concurrency: number;
  mix: PayloadMix;
}): Promise<Record<string, QueueFigures & { sizes_seen: number[] }>> {
  migrate(options.persistTo);
  const worker = await startWorker({
    script: options.script,
    persistTo: options.persistTo,
    unlimited: true,
    vars: { MAX_DELIVERIES_IN_FLIGHT: "0", D1_QUERIES_PER_INVOCATION: "1000000" },
    consumers: {
      EVENTS_QUEUE: { maxBatchSize: Math.max(...options.sizes), maxBatchTimeout: BATCH_WAIT_S },
    },
  });
  const bench = async (action: string) =>
    (await (await fetch(new URL(`/__bench/${action}`, worker.url))).json()) as {
      queue_batches: QueueBatch[];
    };
  try {
    const source = await worker.createSource("bench queued");
    const sent = new Set<string>();
    const fresh = () => {
      let body = options.mix.next();
      while (sent.has(body)) body = options.mix.next();
      return body;
    };
    const figures: Record<string, QueueFigures & { sizes_seen: number[] }> = {};
    const send = (size: number) => {
      // The mix's duplicates within a burst are kept; one of an earlier burst would never be stored anew.
      const deliveries: SoakDelivery[] = Array.from({ length: size }, () => ({ source: 0, body: fresh() }));
      for (const { body } of deliveries) sent.add(body);
      // Waits for the burst to be stored before the next, so that two bursts never share a batch.
      return burst(worker, [source], deliveries, { concurrency: options.concurrency, timeoutMs: 60_000 });
    };
    await send(Math.min(...options.sizes)); // warm-up: a fresh database's first batch is slower
    for (const size of options.sizes) {
      await bench("reset");
      for (let i = 0; i < options.times; i++) await send(size);
      const { queue_batches } = await bench("counters");
      figures[`batch_${size}`] = {
        ...queueFigures(queue_batches, size),
        sizes_seen: queue_batches.map((batch) => batch.messages),
      };
    }
    return figures;
  } finally {
    await worker.mf.dispose();
  }
}
