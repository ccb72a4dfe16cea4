import { beforeAll, describe, expect, it } from "vitest";
import { type AlertJson, api, buildPayload, createSource, deliver } from "../helpers";

let prod: { id: string; token: string };
let staging: { id: string; token: string };

beforeAll(async () => {
  prod = await createSource("prod");
  staging = await createSource("staging");
  const send = (token: string, spec: Parameters<typeof buildPayload>[0]) =>
    deliver(buildPayload(spec), { token });
  await send(prod.token, { job: "shop/api", number: 1, phase: "FINALIZED", status: "SUCCESS" });
  await send(prod.token, { job: "shop/api", number: 2, phase: "FINALIZED", status: "FAILURE" });
  await send(prod.token, { job: "shop/web", number: 1, phase: "COMPLETED", status: "UNSTABLE" });
  await send(staging.token, { job: "shop/api", number: 1, phase: "STARTED" });
});

async function list(query = ""): Promise<{ alerts: AlertJson[]; next_cursor: string | null }> {
  const res = await api(`/api/alerts${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

describe("GET /api/alerts", () => {
  it("lists alerts newest first with the documented fields", async () => {
    const { alerts, next_cursor } = await list();
    expect(alerts.map((a) => `${a.source_name}:${a.job}#${a.build_number}`)).toEqual([
      "staging:shop/api#1",
      "prod:shop/web#1",
      "prod:shop/api#2",
      "prod:shop/api#1",
    ]);
    expect(next_cursor).toBeNull();
    expect(Object.keys(alerts[0] ?? {})).toEqual(
      expect.arrayContaining([
        "id",
        "source_id",
        "source_name",
        "provider",
        "job",
        "job_display_name",
        "build_number",
        "build_url",
        "phase",
        "status",
        "kind",
        "priority",
        "event_count",
        "first_seen_at",
        "last_seen_at",
      ]),
    );
    expect(alerts[0]).toMatchObject({ provider: "jenkins", status: null });
  });

  it.each([
    ["?kind=RESOLVE", ["prod:shop/api#1"]],
    ["?priority=HIGH", ["prod:shop/api#2"]],
    ["?phase=COMPLETED", ["prod:shop/web#1"]],
    ["?job=shop%2Fapi&kind=ALERT", ["staging:shop/api#1", "prod:shop/api#2"]],
  ])("filters with %s", async (query, expected) => {
    const { alerts } = await list(query);
    expect(alerts.map((a) => `${a.source_name}:${a.job}#${a.build_number}`)).toEqual(expected);
  });

  it("filters by source", async () => {
    const { alerts } = await list(`?source_id=${staging.id}`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.source_id).toBe(staging.id);
  });

  it("pages with an opaque cursor", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.alerts.length).toBeLessThanOrEqual(1);
      seen.push(...page.alerts.map((a) => a.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual((await list()).alerts.map((a) => a.id));
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=201", "limit"],
    ["limit=ten", "limit"],
    ["kind=PAGE", "kind"],
    ["priority=CRITICAL", "priority"],
    ["cursor=garbage", "cursor"],
  ])("400 for %s", async (query, path) => {
    const res = await api(`/api/alerts?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ path }] });
  });
});

describe("GET /api/alerts/:id", () => {
  it("returns the alert with its timeline, oldest first", async () => {
    const [latest] = (await list(`?source_id=${prod.id}&job=shop%2Fapi&limit=1`)).alerts;
    await deliver(buildPayload({ job: "shop/api", number: 2, phase: "STARTED" }), { token: prod.token });
    const res = await api(`/api/alerts/${latest?.id}`);
    const alert = (await res.json()) as AlertJson & { events: { phase: string; payload: unknown }[] };
    expect(alert).toMatchObject({ id: latest?.id, phase: "FINALIZED", event_count: 2 });
    expect(alert.events.map((e) => e.phase)).toEqual(["FINALIZED", "STARTED"]);
    expect(alert.events[0]?.payload).toMatchObject({ build: { number: 2, phase: "FINALIZED" } });
  });

  it.each([
    ["an unknown id", "999999", 404],
    ["an id that is not a number", "abc", 400],
  ])("answers %s with a %i problem", async (_, id, status) => {
    const res = await api(`/api/alerts/${id}`);
    expect(res.status).toBe(status);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  });
});

describe("response headers", () => {
  it.each(["/api/alerts", "/api/sources", "/api/alerts/999999", "/nope"])(
    "%s is neither cached nor sniffed, and has no CORS",
    async (path) => {
      const res = await api(path, { headers: { Origin: "https://evil.example" } });
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    },
  );
});

describe("unknown paths", () => {
  it("404 problem", async () => {
    const res = await api("/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  });
});
