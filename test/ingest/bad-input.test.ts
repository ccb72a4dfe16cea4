/**
 * Bad and hostile input: every rejection gets the right status, a problem+json that quotes nothing it
 * was sent, its one log line, and leaves storage byte for byte as it was; odd but valid input is
 * stored as plain data.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/core/bounds";
import { buildPayload, createSource, deliver, getAlert, storageSnapshot } from "../helpers";
import { logsOfEachTest } from "../logs";

const logs = logsOfEachTest();
const LIMIT = 1024 * 1024; // MAX_BODY_BYTES in wrangler.toml
let token: string;

beforeAll(async () => {
  ({ token } = await createSource("bad input"));
  // Something already stored, so "unchanged" is not trivially "empty".
  await deliver(buildPayload({ job: "seed", number: 1 }), { token });
});

// Whatever a test sends, the only lines are rejections (one per refused delivery, checked below).
afterEach(() => {
  for (const line of logs.lines) expect(line).toMatchObject({ level: "log", event: "delivery_rejected" });
});

/** Sends, then checks the rejection: status, one log line, problem+json, storage unchanged. */
async function expectRejected(send: () => Promise<Response>, status: number, path?: string) {
  const before = await storageSnapshot();
  const logged = logs.lines.length;
  const res = await send();
  expect(res.status).toBe(status);
  expect(logs.lines.slice(logged)).toEqual([
    expect.objectContaining({ level: "log", event: "delivery_rejected", status }),
  ]);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const problem = (await res.json()) as {
    type: string;
    status: number;
    detail?: string;
    errors?: { path: string; message: string }[];
  };
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:itoc360:problem:/) });
  if (path !== undefined) expect(problem.errors?.map((e) => e.path)).toContain(path);
  expect(await storageSnapshot()).toEqual(before);
  return { res, problem };
}

/** `body` from the source, rejected with `status` (and a problem naming `path`, when given). */
const rejects = (body: string | ReadableStream, status: number, path?: string) =>
  expectRejected(() => deliver(body, { token }), status, path);

/** `text` as a stream without Content-Length, in chunks. */
function chunked(text: string, chunkSize = 16 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** A valid payload padded through build.log to exactly `size` bytes. */
function payloadOfSize(size: number, number: number): string {
  const base = JSON.stringify(buildPayload({ job: "sized", number, extra: { log: "" } }));
  return base.replace('"log":""', `"log":"${"x".repeat(size - base.length)}"`);
}

describe("rejected deliveries", () => {
  it("400 lists each problem with its field path", async () => {
    const body = buildPayload();
    (body.build as Record<string, unknown>).number = "129";
    const { problem } = await expectRejected(() => deliver(body, { token }), 400);
    expect(problem).toMatchObject({ errors: [{ path: "build.number", message: "expected number" }] });
  });

  it.each([
    ["an empty body", ""],
    ["invalid JSON", '{"name":'],
    ["an array", "[]"],
    ["a string", '"hello"'],
  ])("400 for %s", async (_, body) => {
    await expectRejected(() => deliver(body, { token }), 400);
  });

  it.each([
    ["no token", undefined],
    ["a malformed token", "not-a-token"],
    ["an unknown token", `itoc_${"A".repeat(32)}`],
  ])("401 for %s, the same answer each time", async (_, bad) => {
    const { problem } = await expectRejected(() => deliver(buildPayload(), { token: bad }), 401);
    expect(problem.detail).toBe(
      "A valid source token is required (?token=, Bearer, X-ITOC360-Token or Basic password).",
    );
  });

  it.each(["GET", "PUT", "DELETE", "PATCH"])("405 for %s, with Allow", async (method) => {
    const { res } = await expectRejected(
      () => deliver(method === "GET" ? undefined : buildPayload(), { token, method }),
      405,
    );
    expect(res.headers.get("Allow")).toBe("POST");
  });

  it.each([
    ["form-encoded", "application/x-www-form-urlencoded"],
    ["text/plain", "text/plain"],
    ["no content type", null],
  ])("415 for %s, naming what is supported", async (_, contentType) => {
    const { problem, res } = await expectRejected(() => deliver(buildPayload(), { token, contentType }), 415);
    expect(problem.detail).toContain("application/json");
    expect(res.headers.get("Accept-Post")).toBe("application/json, application/xml, text/xml");
  });
});

describe("body size", () => {
  it.each([
    ["with Content-Length", (text: string) => text],
    ["streamed, without Content-Length", chunked],
  ])("accepts exactly MAX_BODY_BYTES and refuses one byte more, %s", async (_, wrap) => {
    const n = wrap === chunked ? 2 : 1;
    const atLimit = payloadOfSize(LIMIT, n);
    expect(new TextEncoder().encode(atLimit).byteLength).toBe(LIMIT);
    expect((await deliver(wrap(atLimit), { token })).status).toBe(200);
    await rejects(wrap(payloadOfSize(LIMIT + 1, n + 10)), 413);
  });
});

describe("structure", () => {
  it("400 for deeply nested JSON", async () => {
    await rejects(`${"[".repeat(200_000)}${"]".repeat(200_000)}`, 400);
    const nested = buildPayload({
      extra: { parameters: { a: JSON.parse(`${"[".repeat(5000)}${"]".repeat(5000)}`) } },
    });
    await rejects(JSON.stringify(nested), 400, "build.parameters");
  });

  it("400 for a valid JSON array", async () => {
    await rejects(JSON.stringify([buildPayload()]), 400);
  });
});

describe("map keys", () => {
  it.each([
    ["build.parameters", { parameters: { "DB_PASSWORD=hunter2": 42 } }],
    ["build.artifacts", { artifacts: { "DB_PASSWORD=hunter2": { path: 7 } } }],
    ["build.artifacts", { artifacts: { "DB_PASSWORD=hunter2": "not a map" } }],
  ])("400 naming %s, never the sender's key or value", async (path, extra) => {
    const res = await deliver(JSON.stringify(buildPayload({ extra })), { token });
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
    await rejects(JSON.stringify({ ...buildPayload({ job: "collide" }), url }), 400, "url");
  });

  it("keeps a folder's job and a multibranch branch (%252F) apart", async () => {
    const folder = await deliver(buildPayload({ job: "acme/web", number: 3 }), { token });
    const branch = await deliver(
      { ...buildPayload({ job: "acme/web", number: 3 }), url: "job/acme%252Fweb/" },
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
  it("accepts a job's url of any length: its identity is read from it and bounded, never refused", async () => {
    const body = buildPayload();
    body.url = `job/${"n".repeat(5000)}/`;
    const res = await deliver(JSON.stringify(body), { token });
    expect(res.status).toBe(200);
    const { alert_id } = (await res.json()) as { alert_id: number };
    expect((await getAlert(alert_id)).job).toMatch(/^n{4000}…[0-9a-f]{64}$/);
  });

  // A refused delivery is a lost alert: display fields are cut to their limits, never refused.
  it.each([
    ["name", (b: Payload) => (b.name = "n".repeat(5000)), LIMITS.name],
    ["display_name", (b: Payload) => (b.display_name = "n".repeat(5000)), LIMITS.name],
    ["build.scm.branch", (b: Payload) => (b.build.scm.branch = "n".repeat(5000)), LIMITS.name],
    ["build.scm.commit", (b: Payload) => (b.build.scm.commit = "n".repeat(5000)), LIMITS.commit],
  ])("accepts an overlong %s and stores it cut", async (path, mutate, limit) => {
    const body = buildPayload({ job: `long-${path}`, number: 1 });
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
    const body = buildPayload({ job: `long-${path}`, number: 1 });
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
    const text = JSON.stringify(buildPayload({ number: 77, timestamp: 5 })).replace(from, to);
    await rejects(text, 400, path);
  });

  it.each(["NaN", "Infinity", "-Infinity"])("400 for %s written as a number", async (literal) => {
    const text = JSON.stringify(buildPayload({ number: 77 })).replace('"number":77', `"number":${literal}`);
    await rejects(text, 400);
  });
});

describe("encodings and names", () => {
  it("accepts a UTF-8 byte order mark", async () => {
    const res = await deliver(`\uFEFF${JSON.stringify(buildPayload({ job: "bom", number: 1 }))}`, { token });
    expect(res.status).toBe(200);
  });

  it("400 for invalid UTF-8", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"name":"'),
      0xc3,
      0x28,
      ...new TextEncoder().encode('"}'),
    ]);
    await rejects(new Blob([bytes]).stream() as ReadableStream<Uint8Array>, 400);
  });

  it("stores SQL-looking and unicode names as plain data", async () => {
    const job = "Robert'); DROP TABLE alerts;--/ünïcödé ☃ 𝄞";
    const count = () => env.DB.prepare("SELECT count(*) AS n FROM alerts").first<number>("n");
    const before = await count();
    const res = await deliver(buildPayload({ job, number: 1, displayName: "' OR 1=1 --" }), { token });
    expect(res.status).toBe(200);
    const { alert_id } = (await res.json()) as { alert_id: number };
    expect(await getAlert(alert_id)).toMatchObject({ job, job_display_name: "' OR 1=1 --" });
    // The table is still there, with exactly one alert more.
    expect(await count()).toBe((before ?? 0) + 1);
  });
});
