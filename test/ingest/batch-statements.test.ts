/**
 * The guard that the queue path stays set-based (issue 21): {@link writeDeliveries} sends D1 a number of
 * queries that does not grow with the batch. Counted, not timed: every statement in a `batch()` and every
 * statement run on its own is one query against the plan's limit per invocation (D1_QUERIES_PER_INVOCATION:
 * 50 on Free), so a per-delivery write (9 to 15 statements each) fails here at once.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deliveriesFor, randomHistory } from "../../fixtures/health-model";
import { random } from "../../fixtures/random";
import { writeDeliveries } from "../../src/ingest/store";
import { queriesPerInvocation } from "../../src/platform/vars";
import { sourceWithPolicy } from "../alerts/generated-histories";
import { jobInOrder } from "./batch-orders";
import { queueMessages, readDeliveries } from "./queued";

/** The bound on one batch's queries, whatever its size. */
const MAX_QUERIES_PER_BATCH = 15;
/** wrangler.toml's D1_QUERIES_PER_INVOCATION: the Free plan's 50. */
const FREE_PLAN_QUERIES = queriesPerInvocation(env);

afterEach(() => {
  vi.restoreAllMocks();
});

/** What decides a delivery's statements on the per-delivery path (9 to 15): its phase, green or red. */
const category = (body: Record<string, unknown>) => {
  const { phase, status } = body.build as { phase: string; status?: string };
  return `${phase} ${status === undefined ? "" : status === "SUCCESS" ? "green" : "red"}`;
};

/**
 * `count` deliveries for a source of their own, five jobs interleaved: one of every phase, green and red
 * first, then the rest at random, the last a repeat of the first (a redelivery).
 */
async function mixedDeliveries(count: number, seed: number) {
  const rand = random(seed);
  const source = await sourceWithPolicy(`statements ${count}`, { min_consecutive_failures: 2 });
  const bodies = ["api", "web", "docs", "infra", "mobile"].flatMap((job) =>
    randomHistory(rand, 10).flatMap((build) => deliveriesFor(`statements-${count}/${job}`, build)),
  );
  const shuffled = jobInOrder(bodies, "shuffled", rand);
  const firsts = [...new Map(shuffled.map((body) => [category(body), body])).values()];
  const mixed = [...firsts, ...shuffled.filter((body) => !firsts.includes(body))].slice(0, count - 1);
  mixed.push(mixed[0] as Record<string, unknown>);
  expect(new Set(mixed.map(category)).size).toBe(6);
  return readDeliveries(queueMessages(source.id, mixed));
}

/** The queries `write` sends D1: each statement of a batch, and each statement run alone. */
async function queriesOf(write: () => Promise<unknown>): Promise<number> {
  const statement = Object.getPrototypeOf(env.DB.prepare("SELECT 1"));
  const alone = (["first", "all", "run", "raw"] as const).map((method) => vi.spyOn(statement, method));
  const batch = vi.spyOn(Object.getPrototypeOf(env.DB), "batch");
  const exec = vi.spyOn(Object.getPrototypeOf(env.DB), "exec");
  await write();
  const batched = batch.mock.calls.reduce((sum, [statements]) => sum + (statements as unknown[]).length, 0);
  const single = alone.reduce((sum, spy) => sum + spy.mock.calls.length, 0) + exec.mock.calls.length;
  vi.restoreAllMocks();
  return batched + single;
}

describe("the queue path's D1 queries per batch (issue 21: never per delivery again)", () => {
  it("counts a batch's statements and the statements run alone", async () => {
    const statement = env.DB.prepare("SELECT ?1 AS n");
    const counted = await queriesOf(async () => {
      await env.DB.batch([statement.bind(1), statement.bind(2)]);
      await statement.bind(3).first();
    });
    expect(counted).toBe(3);
  });

  it(`writes 10 deliveries and 100 with the same number of queries, at most ${MAX_QUERIES_PER_BATCH}, so a Free-plan invocation writes a batch of 100`, async () => {
    const ten = await mixedDeliveries(10, 10);
    const hundred = await mixedDeliveries(100, 100);
    const forTen = await queriesOf(() => writeDeliveries(env.DB, ten));
    const forHundred = await queriesOf(() => writeDeliveries(env.DB, hundred));
    expect({ "queries for 100": forHundred }).toEqual({ "queries for 100": forTen });
    expect(forHundred).toBeLessThanOrEqual(MAX_QUERIES_PER_BATCH);
    expect(FREE_PLAN_QUERIES).toBe(50);
    expect(forHundred).toBeLessThanOrEqual(FREE_PLAN_QUERIES);
  });
});
