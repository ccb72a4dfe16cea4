/**
 * Incident timelines that agree with their incident when builds run concurrently and a green build
 * arrives late: the builds its entries name are its builds, its `resolved` entry names
 * `resolved_by_build`, and an entry a destination may have been told about is corrected, not removed.
 * The same invariant over generated histories: recovery-rules.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumeNotifications } from "../../src/notify/consumer";
import { capturingQueue } from "../fault-bindings";
import { api, buildPayload, createDestination, deliver } from "../helpers";
import { type ApiIncident, incidentSource as setup } from "./incident-source";

const entries = (incident: ApiIncident) => incident.timeline.map((e) => [e.type, e.build_number, e.note]);

describe("incident timelines with a late green build", () => {
  it("names the build that resolved it, also after a lower green build arrives later", async () => {
    const { finish, incidents, incident } = await setup("timelines: resolver");
    await finish("api", 5, "FAILURE");
    // Builds 6 and 7 run at once; 7 finishes first, so its deliveries come first.
    await finish("api", 7, "SUCCESS");
    await finish("api", 6, "SUCCESS");
    const [only, ...rest] = await incidents();
    expect(rest).toEqual([]);
    const resolved = await incident(only?.id ?? 0);
    expect(resolved).toMatchObject({ state: "resolved", resolved_by_build: 6 });
    expect(entries(resolved)).toEqual([
      ["opened", 5, null],
      ["resolved", 6, "first resolved by build #7, before a lower green build arrived"],
    ]);
  });

  it("leaves no joined entry behind for a build the late green build moves to the next incident", async () => {
    const { finish, incidents, incident } = await setup("timelines: moved");
    await finish("api", 5, "FAILURE");
    await finish("api", 7, "FAILURE"); // joins the incident 5 opened
    await finish("api", 6, "SUCCESS"); // finished last: 7 belongs after it
    const [next, first] = await incidents();
    expect(entries(await incident(first?.id ?? 0))).toEqual([
      ["opened", 5, null],
      ["resolved", 6, null],
    ]);
    expect(entries(await incident(next?.id ?? 0))).toEqual([["opened", 7, null]]);
  });

  it("names a remaining build as the opening one when the build that opened it moves out, saying so", async () => {
    const { finish, incidents, incident } = await setup("timelines: opener moved");
    await finish("api", 7, "FAILURE"); // opens
    await finish("api", 5, "FAILURE"); // joins
    await finish("api", 6, "SUCCESS");
    const [next, first] = await incidents();
    expect(first).toMatchObject({ first_build: 5, last_build: 5, resolved_by_build: 6 });
    expect(entries(await incident(first?.id ?? 0))).toEqual([
      ["opened", 5, "first opened by build #7, which a green build arriving later moved out"],
      ["resolved", 6, null],
    ]);
    expect(entries(await incident(next?.id ?? 0))).toEqual([["opened", 7, null]]);
  });

  it("lists the builds before the one that made the streak page as joined", async () => {
    const { source, finish, incidents, incident } = await setup("timelines: min failures");
    const policy = { min_consecutive_failures: 3 };
    const patched = await api(`/api/sources/${source.id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ policy }),
    });
    expect(patched.status).toBe(200);
    for (const number of [4, 2, 3]) await finish("api", number, "FAILURE");
    const [only] = await incidents();
    expect(entries(await incident(only?.id ?? 0)).map(([type, build]) => [type, build])).toEqual([
      ["opened", 4],
      ["joined", 2],
      ["joined", 3],
    ]);
  });
});

/** A queue batch of `bodies` as the consumer receives it (the message time is never read). */
const batchOf = (bodies: unknown[]) =>
  ({
    queue: "itoc-notify",
    messages: bodies.map((body, i) => ({
      id: `m${i}`,
      timestamp: new Date(Date.UTC(2026, 0, 2)),
      body,
      attempts: 1,
      ack() {},
      retry() {},
    })),
    ackAll() {},
    retryAll() {},
  }) as unknown as MessageBatch<unknown>;

describe("a corrected timeline and its notifications", () => {
  it("keeps the routed 'resolved' entry, corrected in place, and owes the destination no second one", async () => {
    const { source, incidents, incident } = await setup("timelines: outbox");
    await createDestination({
      name: "timelines",
      kind: "slack",
      url: "http://127.0.0.1:9/never",
      match: { source_id: source.id },
    });
    const { queue, sent: held } = capturingQueue();
    const finish = async (number: number, status: string) => {
      for (const phase of ["COMPLETED", "FINALIZED"]) {
        const res = await deliver(buildPayload({ job: "api", number, phase, status }), {
          token: source.token,
          env: { NOTIFY_QUEUE: queue },
        });
        expect(res.status).toBe(200);
      }
    };
    const route = async () => {
      const sends = capturingQueue();
      await consumeNotifications(batchOf(held.splice(0)), { ...env, NOTIFY_QUEUE: sends.queue });
    };
    await finish(5, "FAILURE");
    await finish(7, "SUCCESS");
    await route();
    const [listed] = await incidents();
    const before = await incident(listed?.id ?? 0);
    const told = before.timeline.find((e) => e.type === "resolved");
    expect(told?.build_number).toBe(7);
    expect(before.notifications.map((n) => n.event).sort()).toEqual(["opened", "resolved"]);

    await finish(6, "SUCCESS");
    await route();
    const after = await incident(listed?.id ?? 0);
    expect(after.resolved_by_build).toBe(6);
    // The same entry (its id, time and routing), now naming build 6 and saying what it first named.
    expect(after.timeline.find((e) => e.type === "resolved")).toMatchObject({
      id: told?.id,
      at: told?.at,
      build_number: 6,
      note: "first resolved by build #7, before a lower green build arrived",
    });
    expect(after.notifications.map((n) => [n.id, n.event]).sort()).toEqual(
      before.notifications.map((n) => [n.id, n.event]).sort(),
    );
  });
});
