import { describe, expect, it } from "vitest";
import { buildPayload } from "../../fixtures/payloads.ts";
import { boundPayload, LIMITS } from "../../src/core/bounds";
import { toBuildEvent } from "../../src/core/build-event";
import { parseJenkinsPayload } from "../../src/core/parse";
import { storedBody } from "../../src/core/stored-body";
import { acceptBody } from "../../src/ingest/accept";

function parse(body: unknown) {
  return parseJenkinsPayload(typeof body === "string" ? body : JSON.stringify(body));
}

/** The problems the accept pipeline (parse, then the job's identity) finds. */
function problems(body: unknown) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const result = acceptBody({ text, bytes: new TextEncoder().encode(text).byteLength, format: "json" }, {});
  if (result.ok) throw new Error("expected the payload to be rejected");
  return result.problems;
}

describe("parsing a plugin payload", () => {
  it("accepts a payload with every field of the reference", () => {
    const full = buildPayload({
      phase: "FINALIZED",
      status: "UNSTABLE",
      extra: {
        duration: 73_000,
        scm: {
          url: "https://git.example.com/acme/payments.git",
          branch: "origin/main",
          commit: "4f1c2a9e0b7d3c6a5e8f9a0b1c2d3e4f5a6b7c8d",
          changes: ["src/pay.ts"],
          culprits: ["alice"],
        },
        parameters: { DEPLOY: "true" },
        log: "Finished: UNSTABLE",
        notes: "",
        test_summary: { total: 10, failed: 1, passed: 8, skipped: 1, failed_tests: ["a.B.c"] },
        artifacts: { "dist/app.jar": { archive: "https://ci.example.com/job/x/1/artifact/dist/app.jar" } },
      },
    });
    const result = parse(full);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(toBuildEvent(result.payload)).toMatchObject({
      job: "payments-api",
      phase: "FINALIZED",
      status: "UNSTABLE",
      kind: "ALERT",
      priority: "MEDIUM",
      branch: "origin/main",
      commit: "4f1c2a9e0b7d3c6a5e8f9a0b1c2d3e4f5a6b7c8d",
      title: "payments-api #129 UNSTABLE",
    });
  });

  it("accepts the legacy FINISHED phase as FINALIZED", () => {
    const result = parse(buildPayload({ phase: "FINISHED", status: "SUCCESS" }));
    expect(result.ok && toBuildEvent(result.payload)).toMatchObject({
      phase: "FINALIZED",
      kind: "RESOLVE",
    });
  });

  it("accepts a manual NONE send, with or without a status", () => {
    expect(parse(buildPayload({ phase: "NONE" })).ok).toBe(true);
    expect(parse(buildPayload({ phase: "NONE", status: "UNSTABLE" })).ok).toBe(true);
  });

  it("tolerates null and absent optional fields", () => {
    const body = buildPayload({ phase: "STARTED" });
    const build = body.build as Record<string, unknown>;
    build.full_url = null;
    build.scm = null;
    delete build.queue_id;
    delete build.timestamp;
    delete body.display_name;
    const result = parse(body);
    expect(result.ok && toBuildEvent(result.payload)).toMatchObject({
      timestamp: 0,
      buildUrl: "job/payments-api/129/",
      jobDisplayName: "payments-api",
    });
  });

  it("keeps unknown fields out of the model", () => {
    const body = {
      ...buildPayload(),
      surprise: 1,
      build: { ...(buildPayload().build as object), extra: "x" },
    };
    const result = parse(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.payload).not.toHaveProperty("surprise");
    expect(result.payload.build).not.toHaveProperty("extra");
  });

  it("takes the job identity from url, never the leaf name", () => {
    const result = parse(
      buildPayload({ job: "acme/web-shop/feature%2Flogin", displayName: "feature/login" }),
    );
    expect(result.ok && toBuildEvent(result.payload)).toMatchObject({
      job: "acme/web-shop/feature%2Flogin",
      jobDisplayName: "feature/login",
      title: "acme/web-shop/feature/login #129 STARTED",
    });
  });

  it("names each problem by its field path and what was expected", () => {
    const body = buildPayload();
    const build = body.build as Record<string, unknown>;
    build.number = "129";
    build.phase = "RUNNING";
    build.status = "FAILED";
    delete body.name;
    expect(problems(body)).toEqual([
      { path: "name", message: "is required" },
      { path: "build.number", message: "expected number" },
      { path: "build.phase", message: "expected one of QUEUED, STARTED, COMPLETED, FINALIZED, NONE" },
      { path: "build.status", message: "expected one of SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED" },
    ]);
  });

  it("never quotes the input back", () => {
    const body = buildPayload({ extra: { number: "itoc_secret-looking-value" } });
    expect(JSON.stringify(problems(body))).not.toContain("secret-looking");
  });

  it.each([
    ["an empty body", "", "the body is empty; expected a JSON object"],
    ["invalid JSON", "{", "the body is not valid JSON"],
    ["an array", "[]", "expected a JSON object"],
    ["null", "null", "expected a JSON object"],
  ])("rejects %s", (_, text, message) => {
    expect(problems(text)).toEqual([{ path: "", message }]);
  });

  it.each([
    ["a missing build", { name: "x", url: "job/x/" }, "build"],
    ["a build that is not an object", { name: "x", url: "job/x/", build: "1" }, "build"],
    ["a url that names no job", buildPayload({ extra: {} }), "url"],
    ["a negative build number", buildPayload({ number: -1 }), "build.number"],
    ["a fractional build number", buildPayload({ number: 1.5 }), "build.number"],
  ])("rejects %s", (_, body, path) => {
    if (path === "url") (body as Record<string, unknown>).url = "/view/all/";
    expect(problems(body).map((p) => p.path)).toContain(path);
  });
});

describe("the stored body", () => {
  const received = (text: string) => ({
    text,
    bytes: new TextEncoder().encode(text).byteLength,
    format: "json" as const,
  });
  const bounded = (text: string) => {
    const parsed = parseJenkinsPayload(text);
    if (!parsed.ok) throw new Error("invalid test payload");
    return boundPayload(parsed.payload);
  };

  it("is the body as received while small", () => {
    const text = JSON.stringify(buildPayload());
    expect(storedBody(received(text), bounded(text))).toEqual({
      body: text,
      format: "json",
      truncated: false,
    });
  });

  it("keeps the last 32 KiB of build.log when the body is over 64 KiB", () => {
    const log = `${"x".repeat(70_000)}é-the-end`;
    const text = JSON.stringify(buildPayload({ extra: { log } }));
    const { body, truncated } = storedBody(received(text), bounded(text));
    expect(truncated).toBe(true);
    const stored = JSON.parse(body);
    const kept = stored.build.log as string;
    expect(kept.endsWith("é-the-end")).toBe(true);
    expect(new TextEncoder().encode(kept).byteLength).toBeLessThanOrEqual(LIMITS.logBytes);
    expect(new TextEncoder().encode(kept).byteLength).toBeGreaterThan(LIMITS.logBytes - 4);
    expect(stored.itoc360_truncated).toEqual(["build.log"]);
  });
});
