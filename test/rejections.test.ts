/** Every rejection answers problem+json, logs one line, and leaves storage exactly as it was. */
import { beforeAll, describe, expect, it } from "vitest";
import { createSource, deliver, notification, storageSnapshot } from "./helpers";
import { logsOfEachTest } from "./logs";

const logs = logsOfEachTest();

let token: string;

beforeAll(async () => {
  ({ token } = await createSource());
  // Something already stored, so "unchanged" is not trivially "empty".
  await deliver(notification({ job: "seed", number: 1 }), { token });
});

async function expectRejected(send: () => Promise<Response>, status: number) {
  const before = await storageSnapshot();
  const logged = logs.lines.length;
  const res = await send();
  expect(res.status).toBe(status);
  expect(logs.lines.slice(logged)).toEqual([
    expect.objectContaining({ level: "log", event: "delivery_rejected", status }),
  ]);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const problem = (await res.json()) as { type: string; title: string; status: number; detail?: string };
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:itoc360:problem:/) });
  expect(await storageSnapshot()).toEqual(before);
  return { res, problem };
}

function chunked(text: string, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
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

describe("rejected deliveries", () => {
  it("400 lists each problem with its field path", async () => {
    const body = notification();
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

  it("400 for a body that is not UTF-8", async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    await expectRejected(() => deliver(new Blob([bytes]).stream(), { token }), 400);
  });

  it.each([
    ["no token", undefined],
    ["a malformed token", "not-a-token"],
    ["an unknown token", `itoc_${"A".repeat(32)}`],
  ])("401 for %s, the same answer each time", async (_, bad) => {
    const { problem } = await expectRejected(() => deliver(notification(), { token: bad }), 401);
    expect(problem.detail).toBe(
      "A valid source token is required (?token=, Bearer, X-ITOC360-Token or Basic password).",
    );
  });

  it.each(["GET", "PUT", "DELETE", "PATCH"])("405 for %s, with Allow", async (method) => {
    const { res } = await expectRejected(
      () => deliver(method === "GET" ? undefined : notification(), { token, method }),
      405,
    );
    expect(res.headers.get("Allow")).toBe("POST");
  });

  it.each([
    ["form-encoded", "application/x-www-form-urlencoded"],
    ["text/plain", "text/plain"],
    ["no content type", null],
  ])("415 for %s, naming what is supported", async (_, contentType) => {
    const { problem, res } = await expectRejected(() => deliver(notification(), { token, contentType }), 415);
    expect(problem.detail).toContain("application/json");
    expect(res.headers.get("Accept-Post")).toBe("application/json, application/xml, text/xml");
  });

  const oversized = () => JSON.stringify(notification({ extra: { log: "x".repeat(1024 * 1024) } }));

  it("413 for a body over MAX_BODY_BYTES with Content-Length", async () => {
    await expectRejected(() => deliver(oversized(), { token }), 413);
  });

  it("413 for a body over MAX_BODY_BYTES without Content-Length", async () => {
    await expectRejected(() => deliver(chunked(oversized()), { token }), 413);
  });

  it("accepts a streamed body under the limit", async () => {
    const res = await deliver(chunked(JSON.stringify(notification({ job: "streamed", number: 1 }))), {
      token,
    });
    expect(res.status).toBe(200);
  });
});
