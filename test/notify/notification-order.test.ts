/**
 * The notification state machine: routing out of order, and follow-ups of an
 * incident that opened and resolved while silenced.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumeNotifications } from "../../src/notify/consumer";
import { nowMs } from "../../src/platform/clock";
import { capturingQueue } from "../fault-bindings";
import { api, buildPayload, createDestination, createSource, deliver, eventually } from "../helpers";

function batchOf(bodies: unknown[]): MessageBatch<unknown> {
  return {
    queue: "itoc-notify",
    messages: bodies.map((body, i) => ({
      id: `m${i}`,
      timestamp: new Date(),
      body,
      attempts: 1,
      ack() {},
      retry() {},
    })),
    ackAll() {},
    retryAll() {},
  } as unknown as MessageBatch<unknown>;
}

async function rowsOf(sourceId: string) {
  const { results } = await env.DB.prepare(
    `SELECT n.event, n.state FROM notifications n JOIN incidents i ON i.id = n.incident_id
     WHERE i.source_id = ?1 ORDER BY n.id`,
  )
    .bind(sourceId)
    .all<{ event: string; state: string }>();
  return results.map((r) => [r.event, r.state]);
}

describe("notifications", () => {
  it("still sends 'resolved' when its entry is routed before the incident's 'opened' entry", async () => {
    const source = await createSource("route order");
    const { queue, sent: held } = capturingQueue();
    await createDestination({
      name: "order",
      kind: "slack",
      url: "http://127.0.0.1:9/never",
      match: { source_id: source.id },
    });
    for (const [number, status] of [
      [1, "FAILURE"],
      [2, "SUCCESS"],
    ] as const) {
      const sent = await deliver(buildPayload({ job: "order", number, phase: "FINALIZED", status }), {
        token: source.token,
        env: { NOTIFY_QUEUE: queue },
      });
      expect(sent.status).toBe(200);
    }
    // Two route messages: "opened", then "resolved". The queue hands them over the other way round
    // (a retried message, the sweep picking up a lost one, or no ordering guarantee at all).
    expect(held).toHaveLength(2);
    const sends = capturingQueue();
    await consumeNotifications(batchOf([...held].reverse()), { ...env, NOTIFY_QUEUE: sends.queue });
    // "opened" is owed and will go out; "resolved" must then go out after it, not be dropped.
    expect(await rowsOf(source.id)).toEqual([
      ["resolved", "waiting"],
      ["opened", "pending"],
    ]);
  });

  it("leaves no follow-up waiting forever when an incident opens and resolves while silenced", async () => {
    const source = await createSource("silenced follow-ups");
    await createDestination({
      name: "silenced",
      kind: "slack",
      url: "http://127.0.0.1:9/never",
      match: { source_id: source.id },
    });
    const now = nowMs();
    const silence = await api("/api/silences", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        match: { source_id: source.id },
        starts_at: new Date(now - 60_000).toISOString(),
        ends_at: new Date(now + 3_600_000).toISOString(),
        comment: "freeze",
      }),
    });
    expect(silence.status).toBe(201);
    const send = (number: number, status: string) =>
      deliver(buildPayload({ job: "quiet", number, phase: "FINALIZED", status }), { token: source.token });
    expect((await send(1, "FAILURE")).status).toBe(200);
    await eventually(
      () => rowsOf(source.id),
      (rows) => rows.length === 1,
      20_000,
    );
    expect((await send(2, "SUCCESS")).status).toBe(200);
    const rows = await eventually(
      () => rowsOf(source.id),
      (found) => found.length === 2,
      20_000,
    );
    // Nothing was ever sent and nothing ever will be: no row may stay "waiting" with nothing to release it.
    expect(rows.filter(([, state]) => state === "waiting")).toEqual([]);
  });
});
