import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { capturingQueue, countingKV } from "../fault-bindings";
import { buildPayload, createSource, deliver } from "../helpers";
import { logsOfEachTest } from "../logs";

const logs = logsOfEachTest();

/** `problem` of each line logged for a delivery, in order. */
const logged = (event: "delivery_deferred" | "delivery_rejected") =>
  logs.named(event).map((line) => line.problem);

function send(
  token: string,
  overrides: Partial<Env>,
  options: { ip?: string; number?: number; body?: string } = {},
) {
  const body = options.body ?? buildPayload({ job: "limits", number: options.number ?? 1 });
  return deliver(body, { token, headers: { "CF-Connecting-IP": options.ip ?? "192.0.2.1" }, env: overrides });
}

describe("per-source budget", () => {
  it("defers deliveries past the budget to the queue (202) and leaves other sources alone", async () => {
    const [noisy, quiet] = await Promise.all([createSource("noisy"), createSource("quiet")]);
    const { queue, sent } = capturingQueue();
    const tight = { SOURCE_RATE_LIMITER: env.TIGHT_RATE_LIMITER, EVENTS_QUEUE: queue };
    const statuses: number[] = [];
    for (let n = 1; n <= 5; n++) statuses.push((await send(noisy.token, tight, { number: n })).status);
    expect(statuses).toEqual([200, 200, 200, 202, 202]);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ v: 1, source_id: noisy.id, reason: "over-budget" });

    expect((await send(quiet.token, tight)).status).toBe(200);
    expect(logged("delivery_deferred")).toEqual(["over-budget", "over-budget"]);
    expect(logs.named("delivery_deferred").map((line) => line.source_id)).toEqual([noisy.id, noisy.id]);
    expect(logs.names()).toEqual(["delivery_deferred", "delivery_deferred"]);
  });

  it("refuses with 429 only past the hard ceiling, counts it and logs it", async () => {
    const source = await createSource("runaway");
    const { queue, sent } = capturingQueue();
    const tight = {
      SOURCE_RATE_LIMITER: env.TIGHT_RATE_LIMITER,
      SOURCE_CEILING_LIMITER: env.TIGHT_CEILING_LIMITER,
      EVENTS_QUEUE: queue,
    };
    const statuses: number[] = [];
    for (let n = 1; n <= 7; n++) statuses.push((await send(source.token, tight, { number: n })).status);
    // 3 within the budget, 3 deferred within the ceiling, then refused.
    expect(statuses).toEqual([200, 200, 200, 202, 202, 202, 429]);
    expect(sent).toHaveLength(3);

    const refused = await send(source.token, tight, { number: 8 });
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
    const stats = await env.DB.prepare(
      "SELECT count FROM source_rejections WHERE source_id = ?1 AND problem = 'too-many-requests'",
    )
      .bind(source.id)
      .first<number>("count");
    expect(stats).toBe(2);
    expect(logged("delivery_deferred")).toEqual(Array(3).fill("over-budget"));
    expect(logged("delivery_rejected")).toEqual(Array(2).fill("too-many-requests"));
    expect(logs.named("delivery_rejected").map((line) => line.status)).toEqual([429, 429]);
  });

  it("checks the body before deferring: nothing invalid is ever queued", async () => {
    const source = await createSource("over budget, bad body");
    const { queue, sent } = capturingQueue();
    const tight = { SOURCE_RATE_LIMITER: env.TIGHT_RATE_LIMITER, EVENTS_QUEUE: queue };
    for (let n = 1; n <= 3; n++) await send(source.token, tight, { number: n });
    const res = await send(source.token, tight, { body: '{"name":"x"}' });
    expect(res.status).toBe(400);
    expect(sent).toHaveLength(0);
    expect(logs.names()).toEqual(["delivery_rejected"]);
    expect(logged("delivery_rejected")).toEqual(["invalid-payload"]);
  });
});

describe("failed authentications per client", () => {
  it("answers 429 past the cap, and still serves a valid token from the same address", async () => {
    const tight = { AUTH_RATE_LIMITER: env.TIGHT_RATE_LIMITER };
    const guess = (i: number) => `itoc_${String(i).padStart(32, "G")}`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(guess(i), tight, { ip: "203.0.113.9" })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);

    // A revoked token still configured on some jobs must not take the healthy jobs' alerts down.
    const real = await createSource("behind the same address");
    expect((await send(real.token, tight, { ip: "203.0.113.9" })).status).toBe(200);
    expect(logged("delivery_rejected")).toEqual([
      "unauthorized",
      "unauthorized",
      "unauthorized",
      "too-many-requests",
      "too-many-requests",
    ]);
    expect(logs.names()).toHaveLength(5);
  });

  it("reads KV once for a token it has seen fail, however often it is repeated", async () => {
    const { kv, calls } = countingKV(env.SOURCES);
    const unknown = `itoc_${"U".repeat(32)}`;
    for (let i = 0; i < 5; i++) await send(unknown, { SOURCES: kv }, { ip: "198.51.100.77" });
    // One lookup: the record and the revocation key, read together.
    expect(calls.get).toBe(2);
    expect(logged("delivery_rejected")).toEqual(Array(5).fill("unauthorized"));
  });
});
