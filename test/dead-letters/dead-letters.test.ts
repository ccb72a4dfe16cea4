/**
 * Dead letters: the dead-letter queue's consumer keeps each message in D1 with why it died (bounded,
 * once per message, within the query budget), and /api/dead-letters lists, replays and discards them.
 * Replaying is idempotent: the same message replayed twice stores its event once.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { MAX_ATTEMPTS } from "../../src/ingest/consumer";
import { MOVED_BY_QUEUE } from "../../src/platform/dead-letter-envelope";
import { capturingQueue, countingD1, failingD1, refusingQueue } from "../fault-bindings";
import { ADMIN, api, createSource, eventually, queuedDelivery } from "../helpers";

const EVENTS = "itoc360-jenkins-events";
const DLQ = "itoc360-jenkins-events-dlq";

interface DeadLetterJson {
  id: number;
  queue: string;
  body: unknown;
  reason: string;
  attempts: number | null;
  dead_at: string;
}

let source: { id: string; token: string };

beforeAll(async () => {
  source = await createSource("dead letters");
});

const delivery = (job: string, number = 1) => queuedDelivery(source.id, job, number);

let messageCount = 0;
const nextMessageId = () => {
  messageCount += 1;
  return `dl-${messageCount}`;
};

/** Runs the Worker's queue handler on one batch of `queue`; returns what was acked and retried. */
async function consume(queue: string, bodies: unknown[], overrides: Partial<Env> = {}, ids?: string[]) {
  const ctx = createExecutionContext();
  const messages = bodies.map((body, i) => ({
    id: ids?.[i] ?? nextMessageId(),
    timestamp: new Date(),
    attempts: 1,
    body,
  }));
  const batch = createMessageBatch(queue, messages);
  await worker.queue(batch as MessageBatch<never>, { ...env, ...overrides });
  return getQueueResult(batch, ctx);
}

/** A dead letter as the events consumer sends it: the delivery, failed MAX_ATTEMPTS times. */
async function deadLetterFor(job: string) {
  const { queue, sent } = capturingQueue();
  const ctx = createExecutionContext();
  const batch = createMessageBatch(EVENTS, [
    { id: `events-${job}`, timestamp: new Date(), attempts: MAX_ATTEMPTS, body: delivery(job) },
  ]);
  const down = failingD1(env.DB, Number.POSITIVE_INFINITY).db;
  await worker.queue(batch as MessageBatch<never>, { ...env, DB: down, EVENTS_DLQ: queue });
  await getQueueResult(batch, ctx);
  return sent[0];
}

async function list(query = ""): Promise<{ dead_letters: DeadLetterJson[]; next_cursor: string | null }> {
  const res = await api(`/api/dead-letters${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

const newest = async () => (await list("?limit=1")).dead_letters[0] as DeadLetterJson;

/** POST …/replay through the Worker with bindings of the test's choosing. */
const replay = (id: number, overrides: Partial<Env>) =>
  worker.fetch(
    new Request(`https://itoc.example.com/api/dead-letters/${id}/replay`, { method: "POST", headers: ADMIN }),
    { ...env, ...overrides },
    createExecutionContext(),
  );

const storedEvents = (job: string) =>
  env.DB.prepare("SELECT count(*) AS n FROM events WHERE job = ?1").bind(job).first<number>("n");

describe("the dead-letter queue's consumer", () => {
  it("keeps what the events consumer gave up on, with why it died and after how many attempts", async () => {
    const sent = (await deadLetterFor("dl/lost")) as { body: unknown };
    expect((await consume(DLQ, [sent])).explicitAcks).toHaveLength(1);
    expect(await newest()).toMatchObject({
      queue: EVENTS,
      reason: "not stored after 10 attempts: Error: D1_ERROR: Network connection lost.",
      attempts: MAX_ATTEMPTS,
      body: sent.body,
    });
    expect(sent.body).toMatchObject({ source_id: source.id, body: expect.stringContaining("dl/job/lost") });
  });

  it("keeps a bare message the queue moved there itself, saying so", async () => {
    await consume(DLQ, [{ hello: "world" }]);
    expect(await newest()).toMatchObject({
      body: { hello: "world" },
      reason: MOVED_BY_QUEUE,
      attempts: null,
    });
  });

  it("keeps a redelivered message once", async () => {
    const before = (await list("?limit=200")).dead_letters.length;
    await consume(DLQ, [{ again: 1 }], {}, ["same-message"]);
    await consume(DLQ, [{ again: 1 }], {}, ["same-message"]);
    expect((await list("?limit=200")).dead_letters.length).toBe(before + 1);
  });

  it("stays within D1_QUERIES_PER_INVOCATION, and retries while D1 refuses", async () => {
    const { db, calls } = countingD1(env.DB);
    const result = await consume(DLQ, [1, 2, 3, 4, 5], { DB: db, D1_QUERIES_PER_INVOCATION: "4" });
    // Three messages and the trim: four statements in one batch; the other two wait.
    expect(calls.batches).toEqual([4]);
    expect(result.explicitAcks).toHaveLength(3);
    expect(result.retryMessages).toHaveLength(2);

    const refused = await consume(DLQ, [6], { DB: failingD1(env.DB, 1).db });
    expect(refused.explicitAcks).toEqual([]);
    expect(refused.retryMessages).toHaveLength(1);
  });

  it("is reached through the real dead-letter queue", async () => {
    const sent = await deadLetterFor("dl/through-queue");
    await env.EVENTS_DLQ.send(sent);
    const found = await eventually(
      async () =>
        (await list("?limit=200")).dead_letters.find((d) => JSON.stringify(d.body).includes("through-queue")),
      (letter) => letter !== undefined,
    );
    expect(found).toMatchObject({ queue: EVENTS, attempts: MAX_ATTEMPTS });
  });
});

describe("/api/dead-letters", () => {
  it("lists newest first, pages with a cursor and filters by queue", async () => {
    const all = (await list("?limit=200")).dead_letters;
    expect(all.map((d) => d.id)).toEqual([...all.map((d) => d.id)].sort((a, b) => b - a));
    const first = await list("?limit=2");
    const second = await list(`?limit=2&cursor=${first.next_cursor}`);
    expect([...first.dead_letters, ...second.dead_letters].map((d) => d.id)).toEqual(
      all.slice(0, 4).map((d) => d.id),
    );
    expect((await list(`?queue=${EVENTS}&limit=200`)).dead_letters).toHaveLength(all.length);
    expect((await api("/api/dead-letters?queue=other")).status).toBe(400);
  });

  it("is for admins only", async () => {
    const res = await worker.fetch(
      new Request("https://itoc.example.com/api/dead-letters"),
      env,
      createExecutionContext(),
    );
    expect(res.status).toBe(401);
  });

  it("replays a message onto its queue and deletes it; replaying it twice stores the event once", async () => {
    const sent = await deadLetterFor("dl/replayed");
    await consume(DLQ, [sent, sent]);
    const twins = (await list("?limit=2")).dead_letters;
    const { queue, sent: replayed } = capturingQueue();
    for (const twin of twins) {
      const res = await replay(twin.id, { EVENTS_QUEUE: queue });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ id: twin.id, queue: EVENTS, replayed: true });
      expect((await api(`/api/dead-letters/${twin.id}`)).status).toBe(404);
    }
    // The original message, as it was, twice: the events consumer stores it once.
    const original = (sent as { body: unknown }).body;
    expect(replayed).toEqual([original, original]);
    for (const message of replayed) expect((await consume(EVENTS, [message])).explicitAcks).toHaveLength(1);
    expect(await storedEvents("dl/replayed")).toBe(1);
    const { alerts } = (await (await api("/api/alerts?job=dl/replayed")).json()) as {
      alerts: { event_count: number }[];
    };
    expect(alerts).toEqual([expect.objectContaining({ event_count: 1 })]);
  });

  it("replays through the real queue: the alert appears", async () => {
    await consume(DLQ, [await deadLetterFor("dl/real-queue")]);
    const res = await api(`/api/dead-letters/${(await newest()).id}/replay`, { method: "POST" });
    expect(res.status).toBe(202);
    expect(
      await eventually(
        () => storedEvents("dl/real-queue"),
        (n) => n === 1,
      ),
    ).toBe(1);
  });

  it("keeps the dead letter when the queue refuses the replay", async () => {
    await consume(DLQ, [await deadLetterFor("dl/refused")]);
    const { id } = await newest();
    expect((await replay(id, { EVENTS_QUEUE: refusingQueue() })).status).toBe(503);
    expect((await api(`/api/dead-letters/${id}`)).status).toBe(200);
  });

  it("discards one, and answers 404 for one that is not there", async () => {
    const { id } = await newest();
    expect((await api(`/api/dead-letters/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/dead-letters/${id}`, { method: "DELETE" })).status).toBe(404);
    expect((await api(`/api/dead-letters/${id}/replay`, { method: "POST" })).status).toBe(404);
    expect((await api("/api/dead-letters/not-an-id")).status).toBe(400);
  });

  it("keeps only the newest DEAD_LETTERS_KEPT", async () => {
    await consume(DLQ, ["a", "b", "c", "d"], { DEAD_LETTERS_KEPT: "3" });
    expect((await list("?limit=200")).dead_letters.map((d) => d.body)).toEqual(["d", "c", "b"]);
  });
});

describe("the queue handler", () => {
  it("refuses a batch from a queue it has no consumer for, so the queue retries it", async () => {
    await expect(consume("some-other-queue", [1])).rejects.toThrow(/no consumer for queue some-other-queue/);
  });
});
