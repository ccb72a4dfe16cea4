import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { capturingQueue, failingD1, refusingQueue, throwingKV } from "../fault-bindings";
import { api, buildPayload, deliver, storageSnapshot } from "../helpers";

let canary: string;
let sourceId: string;
const seen: string[] = [];

function record(res: Response): Promise<Response> {
  const copy = res.clone();
  seen.push(JSON.stringify([...res.headers]));
  return copy.text().then((text) => {
    seen.push(text);
    return res;
  });
}

beforeAll(async () => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      seen.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
  // The creation response is the one place the token is shown, by design.
  const created = (await (
    await api("/api/sources", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "canary" }),
    })
  ).json()) as { id: string; token: string };
  canary = created.token;
  sourceId = created.id;
});

afterAll(() => {
  vi.restoreAllMocks();
});

const withEnv = (overrides: Partial<Env>, body: unknown) => deliver(body, { token: canary, env: overrides });

describe("the canary token", () => {
  it("never leaks anywhere", async () => {
    const job = (n: number) => buildPayload({ job: "canary/job", number: n });
    const quoting = buildPayload({
      job: "canary/job",
      number: 99,
      extra: {
        log: `Notifying endpoint with url 'https://itoc.example.com/webhooks/jenkins?token=${canary}'`,
      },
    });
    const { queue, sent } = capturingQueue();
    const { db: downD1 } = failingD1(env.DB, Number.POSITIVE_INFINITY);

    const responses = [
      await deliver(job(1), { token: canary }),
      await deliver(job(1), { token: canary }), // duplicate
      await deliver(quoting, { token: canary }),
      await deliver(job(2), { headers: { Authorization: `Bearer ${canary}` } }),
      await deliver(job(3), { headers: { "X-ITOC360-Token": canary } }),
      await deliver(job(4), { headers: { Authorization: `Basic ${btoa(`jenkins:${canary}`)}` } }),
      await deliver("{", { token: canary }),
      await deliver(job(5), { token: canary, contentType: "text/plain" }),
      await deliver(job(5), { token: canary, method: "PUT" }),
      await deliver(JSON.stringify(buildPayload({ extra: { log: "x".repeat(1_100_000) } })), {
        token: canary,
      }),
      await deliver(job(6), { token: `${canary}x` }),
      await withEnv({ DB: downD1, EVENTS_QUEUE: queue }, quoting),
      await withEnv({ DB: downD1, EVENTS_QUEUE: refusingQueue() }, job(7)),
      await api("/api/sources"),
      await api("/api/alerts"),
      await api("/api/alerts?limit=1"),
    ];
    const listed = (await (await api("/api/alerts?job=canary%2Fjob")).json()) as { alerts: { id: number }[] };
    const first = listed.alerts[0];
    responses.push(await api(`/api/alerts/${first?.id}`));
    responses.push(await api(`/api/sources/${sourceId}`, { method: "DELETE" }));
    responses.push(await deliver(job(8), { token: canary }));
    responses.push(await withEnv({ SOURCES: throwingKV(env.SOURCES) }, job(9)));
    for (const res of responses) await record(res);

    expect(responses.map((r) => r.status)).toEqual([
      200, 200, 200, 200, 200, 200, 400, 415, 405, 413, 401, 202, 503, 200, 200, 200, 200, 204, 401, 401,
    ]);
    const stored = JSON.stringify(await storageSnapshot());
    const queued = JSON.stringify(sent);
    expect(sent).toHaveLength(1);
    for (const text of [...seen, stored, queued]) expect(text).not.toContain(canary);
  });
});
