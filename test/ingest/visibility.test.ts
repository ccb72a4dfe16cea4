import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { capturingQueue } from "../fault-bindings";
import { api, buildPayload, createSource, deliver } from "../helpers";
import { captureLogs } from "../logs";

let source: { id: string; token: string };

beforeAll(async () => {
  source = await createSource("visible");
});

function send(token: string, body: string, overrides: Partial<Env> = {}) {
  const headers = { "CF-Connecting-IP": "192.0.2.55", "cf-ray": "8f00ray" };
  return deliver(body, { token, headers, env: overrides });
}

/** The log line a delivery should write (`request_id` is the test's cf-ray). */
const line = (event: string, status: number, problem: string, source_id: string | null) => ({
  level: "log",
  event,
  status,
  problem,
  source_id,
  request_id: "8f00ray",
});

const stats = async (id: string) =>
  ((await (await api(`/api/sources/${id}`)).json()) as { stats: Record<string, unknown> }).stats;

describe("a rejected delivery from a known source", () => {
  it("logs one line, counts it by problem, and records the last rejection", async () => {
    const logs = captureLogs();
    const secretBody = '{"name":"x","hunter2":"secret-value"}';
    const res = await send(source.token, secretBody);
    expect(res.status).toBe(400);
    expect(logs.lines).toEqual([line("delivery_rejected", 400, "invalid-payload", source.id)]);
    expect(JSON.stringify(logs.lines)).not.toMatch(/hunter2|secret-value|token|itoc_/);

    expect(await stats(source.id)).toMatchObject({
      rejected: { "invalid-payload": 1 },
      last_rejection: { status: 400, problem: "invalid-payload" },
    });
  });

  it("lists the counters with every source", async () => {
    const res = await api("/api/sources");
    const { sources } = (await res.json()) as { sources: { id: string; stats: unknown }[] };
    expect(sources.find((s) => s.id === source.id)?.stats).toMatchObject({
      accepted: expect.any(Number),
      deferred: expect.any(Number),
      rejected: expect.any(Object),
    });
  });

  it("changes no alert, event or source: the counter is the only trace", async () => {
    const stored = ["alerts", "events", "jobs"];
    const before = await snapshot(stored);
    const logs = captureLogs();
    await send(source.token, "not json");
    expect(await snapshot(stored)).toEqual(before);
    expect(logs.lines).toEqual([line("delivery_rejected", 400, "invalid-payload", source.id)]);
  });
});

describe("accepted and deferred deliveries", () => {
  it("counts a stored delivery as accepted, and logs and counts a deferred one", async () => {
    const counted = await createSource("counted");
    await send(counted.token, JSON.stringify(buildPayload({ job: "visible/ok", number: 1 })));
    const logs = captureLogs();
    const { queue, sent } = capturingQueue();
    const res = await send(counted.token, JSON.stringify(buildPayload({ job: "visible/ok", number: 2 })), {
      MAX_DELIVERIES_IN_FLIGHT: "0",
      EVENTS_QUEUE: queue,
    });
    expect(res.status).toBe(202);
    expect(logs.lines).toEqual([line("delivery_deferred", 202, "busy", counted.id)]);
    expect(sent).toHaveLength(1);
    expect(await stats(counted.id)).toMatchObject({ accepted: 1, deferred: 0, last_rejection: null });
  });
});

describe("rejections nobody can be attributed to", () => {
  it("are logged and counted in the isolate, never written to D1", async () => {
    const statsBefore = (await (await api("/api/stats")).json()) as {
      unattributed_rejections: { total: number; scope: string };
    };
    const before = await snapshot();
    const logs = captureLogs();
    const res = await send(`itoc_${"N".repeat(32)}`, "{}");
    expect(res.status).toBe(401);
    expect(logs.lines).toEqual([line("delivery_rejected", 401, "unauthorized", null)]);
    expect(await snapshot()).toEqual(before);
    const after = (await (await api("/api/stats")).json()) as typeof statsBefore;
    expect(after.unattributed_rejections.scope).toBe("isolate");
    expect(after.unattributed_rejections.total).toBe(statsBefore.unattributed_rejections.total + 1);
  });
});

async function snapshot(tables = ["alerts", "events", "jobs", "source_stats", "source_rejections"]) {
  const rows = await env.DB.batch(tables.map((t) => env.DB.prepare(`SELECT * FROM ${t}`)));
  const keys = await env.SOURCES.list();
  return { rows: rows.map((r) => r.results), kv: keys.keys };
}
