import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { buildPayload } from "../../fixtures/payloads.ts";
import { buildContext, formatDuration } from "../../src/core/build-context";
import { JenkinsPayloadSchema } from "../../src/core/payload";

const context = (spec: Parameters<typeof buildPayload>[0], name = "payments-api") =>
  buildContext(v.parse(JenkinsPayloadSchema, buildPayload(spec)), name);

describe("the alert summary", () => {
  it("says a running build is running, without a duration", () => {
    expect(context({ phase: "STARTED", number: 7 }).summary).toBe(
      "payments-api #7 started. https://ci.example.com/job/payments-api/7/",
    );
    expect(context({ phase: "STARTED" }).durationMs).toBeNull();
  });

  it("names results other than success and failure", () => {
    expect(
      context({ phase: "COMPLETED", status: "UNSTABLE", number: 7, extra: { duration: 950 } }).summary,
    ).toBe("payments-api #7 is unstable (UNSTABLE) after 950 ms. https://ci.example.com/job/payments-api/7/");
  });

  it("tells a FINALIZED without a result for what it is", () => {
    expect(context({ phase: "FINALIZED", number: 7, extra: { full_url: undefined } }).summary).toBe(
      "payments-api #7 finished without a result after 0 ms.",
    );
  });

  it("uses the display name with the full name when they differ", () => {
    const summary = context(
      { phase: "QUEUED", job: "acme/shop/feature%2Fx", displayName: "feature/x" },
      "acme/shop/feature/x",
    ).summary;
    expect(summary.startsWith("acme/shop/feature/x #129 is queued.")).toBe(true);
  });
});

describe("durations", () => {
  it.each([
    [0, "0 ms"],
    [59_000, "59 s"],
    [184_000, "3 min 4 s"],
    [3_600_000, "1 h"],
    [3_723_000, "1 h 2 min 3 s"],
  ])("%i ms reads %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
