/**
 * Recoveries, job health and incidents over generated histories (overlapping builds, builds that never finish,
 * every result), delivered in random order with duplicates and in parallel, and one at a time as Jenkins
 * sends them (concurrent builds interleaving, COMPLETED after FINALIZED): the stored outcome must
 * match the reference model whatever the order, and every incident's timeline must agree with it
 * ({@link checkHistory}; queued-histories.test.ts delivers the same histories through the queue).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ARRIVAL_ORDERS, type ArrivalOrder, arrivals } from "../../fixtures/delivery-orders";
import { JSON_TYPE } from "../helpers";
import { checkHistory, HISTORY_SEEDS as SEEDS, shuffledWithDuplicates } from "./generated-histories";

async function sendInParallel(bodies: Record<string, unknown>[], token: string, lanes = 6) {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const res = await exports.default.fetch(`https://itoc.example.com/webhooks/jenkins?token=${token}`, {
          method: "POST",
          headers: { "Content-Type": JSON_TYPE },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
      }
    }),
  );
}

describe("recoveries, job health and incidents over generated histories", () => {
  for (const seed of SEEDS) {
    it(`history ${seed} ends the same whatever the delivery order`, () =>
      checkHistory(seed, (bodies, { token }, rand) =>
        sendInParallel(shuffledWithDuplicates(bodies, rand), token),
      ));
  }

  describe.each(ARRIVAL_ORDERS)("delivered one at a time, %s", (order: ArrivalOrder) => {
    for (const seed of SEEDS) {
      it(`history ${seed} ends as the models say, its timelines agreeing with its incidents`, () =>
        checkHistory(seed, (bodies, { token }, rand) =>
          sendInParallel(arrivals(bodies, order, rand), token, 1),
        ));
    }
  });
});
