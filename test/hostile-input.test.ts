/**
 * Hostile and odd input: the right status, a problem+json, its one log line, and storage byte-for-byte
 * unchanged.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../src/domain/bounds";
import { MAX_URL_LENGTH } from "../src/domain/notification";
import { createSource, deliver, getAlert, notification, storageSnapshot } from "./helpers";
import { logsOfEachTest } from "./logs";

const logs = logsOfEachTest();
const LIMIT = 1024 * 1024; // MAX_BODY_BYTES in wrangler.toml
let token: string;

beforeAll(async () => {
  ({ token } = await createSource("hostile"));
  await deliver(notification({ job: "seed", number: 1 }), { token });
});

// Whatever a test sends, the only lines are rejections (one per refused delivery, checked below).
afterEach(() => {
  for (const line of logs.lines) expect(line).toMatchObject({ level: "log", event: "delivery_rejected" });
});

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.slice(i, i + 16 * 1024));
      controller.close();
    },
  });
}

/** A valid payload padded through build.log to exactly `size` bytes. */
function payloadOfSize(size: number, number: number): string {
  const base = JSON.stringify(notification({ job: "sized", number, extra: { log: "" } }));
  return base.replace('"log":""', `"log":"${"x".repeat(size - base.length)}"`);
}

async function expectRejectedUnchanged(body: string | ReadableStream, status: number, path?: string) {
  const before = await storageSnapshot();
  const logged = logs.lines.length;
  const res = await deliver(body, { token });
  expect(res.status).toBe(status);
  expect(logs.lines.slice(logged)).toEqual([
    expect.objectContaining({ status, source_id: expect.any(String) }),
  ]);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const problem = (await res.json()) as { errors?: { path: string }[] };
  if (path !== undefined) expect(problem.errors?.map((e) => e.path)).toContain(path);
  expect(await storageSnapshot()).toEqual(before);
}

describe("body size", () => {
  it.each([
    ["with Content-Length", (text: string) => text],
    ["streamed, without Content-Length", streamOf],
  ])("accepts exactly MAX_BODY_BYTES and refuses one byte more, %s", async (_, wrap) => {
    const n = wrap === streamOf ? 2 : 1;
    const atLimit = payloadOfSize(LIMIT, n);
    expect(new TextEncoder().encode(atLimit).byteLength).toBe(LIMIT);
    expect((await deliver(wrap(atLimit), { token })).status).toBe(200);
    await expectRejectedUnchanged(wrap(payloadOfSize(LIMIT + 1, n + 10)), 413);
  });
});

describe("structure", () => {
  it("400 for deeply nested JSON", async () => {
    await expectRejectedUnchanged(`${"[".repeat(200_000)}${"]".repeat(200_000)}`, 400);
    const nested = notification({
      extra: { parameters: { a: JSON.parse(`${"[".repeat(5000)}${"]".repeat(5000)}`) } },
    });
    await expectRejectedUnchanged(JSON.stringify(nested), 400, "build.parameters");
  });

  it("400 for a valid JSON array", async () => {
    await expectRejectedUnchanged(JSON.stringify([notification()]), 400);
  });
});

describe("map keys", () => {
  it.each([
    ["build.parameters", { parameters: { "DB_PASSWORD=hunter2": 42 } }],
    ["build.artifacts", { artifacts: { "DB_PASSWORD=hunter2": { path: 7 } } }],
    ["build.artifacts", { artifacts: { "DB_PASSWORD=hunter2": "not a map" } }],
  ])("400 naming %s, never the sender's key or value", async (path, extra) => {
    const res = await deliver(JSON.stringify(notification({ extra })), { token });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).errors).toEqual([{ path, message: expect.any(String) }]);
    expect(text).not.toContain("DB_PASSWORD");
    expect(text).not.toContain("hunter2");
  });
});

describe("job identity", () => {
  it.each([
    ["job/acme%2Fweb/", "an encoded slash"],
    ["job/acme%2fweb/", "a lower-case encoded slash"],
    ["job/acme/job/a%2Fb/job/web/", "an encoded slash in a folder"],
  ])("400 naming url for %s (%s), which would collide with a folder", async (url) => {
    await expectRejectedUnchanged(JSON.stringify({ ...notification({ job: "collide" }), url }), 400, "url");
  });

  it("keeps a folder's job and a multibranch branch (%252F) apart", async () => {
    const folder = await deliver(notification({ job: "acme/web", number: 3 }), { token });
    const branch = await deliver(
      { ...notification({ job: "acme/web", number: 3 }), url: "job/acme%252Fweb/" },
      { token },
    );
    expect(folder.status).toBe(200);
    expect(branch.status).toBe(200);
    const [a, b] = (await Promise.all([folder.json(), branch.json()])) as { alert_id: number }[];
    expect(a?.alert_id).not.toBe(b?.alert_id);
    expect((await getAlert(b?.alert_id ?? 0)).job).toBe("acme%2Fweb");
  });
});

// biome-ignore lint/suspicious/noExplicitAny: test payloads are mutated freely
type Payload = Record<string, any>;

describe("long strings", () => {
  it("400 when the job's url, its identity, is over its cap", async () => {
    const body = notification();
    body.url = `job/${"n".repeat(MAX_URL_LENGTH + 1)}/`;
    await expectRejectedUnchanged(JSON.stringify(body), 400, "url");
  });

  // A refused delivery is a lost alert: display fields are cut to their limits, never refused.
  it.each([
    ["name", (b: Payload) => (b.name = "n".repeat(5000)), LIMITS.name],
    ["display_name", (b: Payload) => (b.display_name = "n".repeat(5000)), LIMITS.name],
    ["build.scm.branch", (b: Payload) => (b.build.scm.branch = "n".repeat(5000)), LIMITS.name],
    ["build.scm.commit", (b: Payload) => (b.build.scm.commit = "n".repeat(5000)), LIMITS.commit],
  ])("accepts an overlong %s and stores it cut", async (path, mutate, limit) => {
    const body = notification({ job: `long-${path}`, number: 1 });
    mutate(body);
    const res = await deliver(body, { token });
    expect(res.status).toBe(200);
    const { alert_id } = (await res.json()) as { alert_id: number };
    const alert = await getAlert(alert_id);
    const stored = alert.events[0]?.payload as Payload;
    const value = path.split(".").reduce((node: Payload, key) => node[key], stored) as unknown as string;
    expect(new TextEncoder().encode(value).byteLength).toBe(limit);
    expect(value.endsWith("…")).toBe(true);
    expect(stored.itoc360_truncated).toContain(path);
  });

  it.each(["build.full_url", "build.url", "build.scm.url"])("drops an overlong %s link", async (path) => {
    const body = notification({ job: `long-${path}`, number: 1 });
    const keys = path.split(".");
    const parent = keys.slice(0, -1).reduce((node, key) => node[key], body as Payload);
    parent[keys.at(-1) as string] = `https://ci.example.com/${"n".repeat(5000)}`;
    const res = await deliver(body, { token });
    expect(res.status).toBe(200);
  });
});

describe("numbers", () => {
  it.each([
    ["a build number beyond 2^53", '"number":77', '"number":9007199254740993', "build.number"],
    ["a negative build number", '"number":77', '"number":-5', "build.number"],
    ["build number zero", '"number":77', '"number":0', "build.number"],
    ["a timestamp beyond 2^53", '"timestamp":5', '"timestamp":1e300', "build.timestamp"],
  ])("400 for %s", async (_, from, to, path) => {
    const text = JSON.stringify(notification({ number: 77, timestamp: 5 })).replace(from, to);
    await expectRejectedUnchanged(text, 400, path);
  });

  it.each(["NaN", "Infinity", "-Infinity"])("400 for %s written as a number", async (literal) => {
    const text = JSON.stringify(notification({ number: 77 })).replace('"number":77', `"number":${literal}`);
    await expectRejectedUnchanged(text, 400);
  });
});

describe("encodings and names", () => {
  it("accepts a UTF-8 byte order mark", async () => {
    const res = await deliver(`\uFEFF${JSON.stringify(notification({ job: "bom", number: 1 }))}`, { token });
    expect(res.status).toBe(200);
  });

  it("400 for invalid UTF-8", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"name":"'),
      0xc3,
      0x28,
      ...new TextEncoder().encode('"}'),
    ]);
    await expectRejectedUnchanged(new Blob([bytes]).stream() as ReadableStream<Uint8Array>, 400);
  });

  it("stores SQL-looking and unicode names as plain data", async () => {
    const job = "Robert'); DROP TABLE alerts;--/ünïcödé ☃ 𝄞";
    const count = () => env.DB.prepare("SELECT count(*) AS n FROM alerts").first<number>("n");
    const before = await count();
    const res = await deliver(notification({ job, number: 1, displayName: "' OR 1=1 --" }), { token });
    expect(res.status).toBe(200);
    const { alert_id } = (await res.json()) as { alert_id: number };
    expect(await getAlert(alert_id)).toMatchObject({ job, job_display_name: "' OR 1=1 --" });
    // The table is still there, with exactly one alert more.
    expect(await count()).toBe((before ?? 0) + 1);
  });
});
