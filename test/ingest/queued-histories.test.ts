/**
 * The generated histories of recovery-rules.test.ts, deferred to the queue instead of stored by the
 * webhook: shuffled, with duplicates (a redelivery in the same batch or a later one), read by the real
 * consumer in batches of 25 or 100 messages under the Free and the Paid plan's query limits. Whatever
 * the consumer writes per D1 batch (today a few deliveries' statements, set-based later: issue 21),
 * the outcome must match the same reference models ({@link checkHistory}).
 */
import { describe, expect, it } from "vitest";
import { type ArrivalOrder, arrivals } from "../../fixtures/delivery-orders";
import type { DeliveryMessage } from "../../src/ingest/message";
import { checkHistory, HISTORY_SEEDS, shuffledWithDuplicates } from "../alerts/generated-histories";
import { logsOfEachTest } from "../logs";
import { queueMessages, throughConsumer } from "./queued";

const logs = logsOfEachTest();

/** Queue batch sizes (wrangler.toml allows up to 100) and the plan's D1 queries per invocation. */
const CONSUMERS = [
  { batchSize: 25, plan: "Free", queries: "50" },
  { batchSize: 100, plan: "Paid", queries: "1000" },
] as const;

/** Each message stored once, a repeated one as a duplicate; nothing failed, nothing dead-lettered. */
function expectStoredOnce(messages: DeliveryMessage[]) {
  const distinct = new Set(messages.map((message) => message.body)).size;
  const stored = logs.named("queued_delivery_stored").map((line) => line.duplicate);
  expect({ new: stored.filter((d) => !d).length, duplicate: stored.filter((d) => d).length }).toEqual({
    new: distinct,
    duplicate: messages.length - distinct,
  });
  expect(new Set(logs.names())).toEqual(new Set(["queued_delivery_stored"]));
}

describe("generated histories delivered through the queue consumer", () => {
  describe.each(CONSUMERS)("in batches of $batchSize on the $plan plan", ({ batchSize, queries }) => {
    for (const seed of HISTORY_SEEDS) {
      it(`history ${seed}, shuffled with duplicates, ends as the models say`, () =>
        checkHistory(seed, async (bodies, source, rand) => {
          const messages = queueMessages(source.id, shuffledWithDuplicates(bodies, rand));
          const batches = await throughConsumer(messages, batchSize, { D1_QUERIES_PER_INVOCATION: queries });
          expect(batches).toBeGreaterThanOrEqual(Math.ceil(messages.length / batchSize));
          expectStoredOnce(messages);
        }));
    }
  });

  // As Jenkins sends them, each build's COMPLETED last: a batch then holds many builds' FINALIZED before
  // their COMPLETED, and a green build's COMPLETED after the red builds above it.
  const order: ArrivalOrder = "every COMPLETED last";
  describe(`in one batch of 100, ${order}`, () => {
    for (const seed of HISTORY_SEEDS) {
      it(`history ${seed} ends as the models say`, () =>
        checkHistory(seed, async (bodies, source, rand) => {
          const messages = queueMessages(source.id, arrivals(bodies, order, rand));
          await throughConsumer(messages, 100, { D1_QUERIES_PER_INVOCATION: "1000" });
          expectStoredOnce(messages);
        }));
    }
  });
});
