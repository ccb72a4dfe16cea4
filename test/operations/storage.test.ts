/**
 * Storage: GET /api/stats reports the database's size (from D1's result metadata), the rows in each
 * table and the oldest event's date, beside the per-isolate rejection counts it always had; the
 * sources page shows it on its Storage line.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { failingD1 } from "../fault-bindings";
import { ADMIN, api, buildPayload, createSource, dashboardPage, dashboardSession, deliver } from "../helpers";

interface StatsJson {
  unattributed_rejections: { total: number };
  storage: {
    database_bytes: number | null;
    rows: Record<string, number>;
    oldest_event_at: string | null;
    retention_days: { events: number; alerts: number };
    dead_letters_kept: number;
  } | null;
}

const stats = async (): Promise<StatsJson> => (await api("/api/stats")).json();

beforeAll(async () => {
  const { token } = await createSource("storage");
  for (const phase of ["QUEUED", "STARTED"]) {
    const res = await deliver(buildPayload({ job: "storage/api", number: 1, phase }), { token });
    expect(res.status).toBe(200);
  }
});

describe("GET /api/stats", () => {
  it("reports the database's size, rows per table and the oldest event, with the retention settings", async () => {
    const { storage, unattributed_rejections } = await stats();
    expect(unattributed_rejections.total).toEqual(expect.any(Number));
    const oldest = await env.DB.prepare("SELECT min(received_at) AS at FROM events").first<string>("at");
    expect(storage).toEqual({
      database_bytes: expect.any(Number),
      rows: { alerts: 1, events: 2, jobs: 1, source_stats: 1, source_rejections: 0, dead_letters: 0 },
      oldest_event_at: oldest,
      retention_days: { events: 90, alerts: 365 },
      dead_letters_kept: 1000,
    });
    expect(storage?.database_bytes).toBeGreaterThan(0);
  });

  it("still answers the rejection counts when D1 does not", async () => {
    const res = await worker.fetch(
      new Request("https://itoc.example.com/api/stats", { headers: ADMIN }),
      { ...env, DB: failingD1(env.DB, Number.POSITIVE_INFINITY).db },
      createExecutionContext(),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as StatsJson).storage).toBeNull();
  });
});

describe("the sources page", () => {
  it("shows a Storage line", async () => {
    const res = await dashboardPage("/sources", await dashboardSession());
    const line = /<p class="muted" id="storage">([\s\S]*?)<\/p>/.exec(await res.text())?.[1] ?? "";
    expect(line.replace(/<[^>]+>/g, "")).toMatch(
      /^Storage: [\d.]+ (B|KB|MB) · 2 events, 1 alert, 1 job, 0 dead letters · oldest event \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
  });
});
