/** The grace parser and the rotation plan, as plain functions. */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { GraceSchema, MAX_GRACE_MS, RotationSchema } from "../../src/sources/grace";
import { planRotation, tokenViews, workingHashes } from "../../src/sources/rotation";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("grace durations", () => {
  it.each([
    ["0", 0],
    ["0s", 0],
    ["45s", 45_000],
    ["30m", 30 * 60_000],
    ["24h", 24 * HOUR],
    ["7d", MAX_GRACE_MS],
    ["168h", MAX_GRACE_MS],
    ["604800s", MAX_GRACE_MS],
  ])("reads %j as %i ms", (input, ms) => {
    expect(v.parse(GraceSchema, input)).toBe(ms);
  });

  it.each(["8d", "169h", "604801s", "1.5h", "-1h", "1 h", "h", "", "1w", "24H", "99999999s"])(
    "refuses %j",
    (input) => {
      expect(v.safeParse(GraceSchema, input).success).toBe(false);
    },
  );

  it("defaults to 24 h", () => {
    expect(v.parse(RotationSchema, {})).toEqual({ grace: 24 * HOUR });
  });
});

describe("planRotation", () => {
  it("keeps the old token until the grace ends", () => {
    const plan = planRotation({ current: "a", previous: [] }, "b", HOUR, NOW);
    expect(plan).toEqual({
      tokens: { current: "b", previous: [{ hash: "a", expires_at: iso(NOW + HOUR) }] },
      revoke: [],
      expire: [{ hash: "a", expires_at: iso(NOW + HOUR) }],
    });
  });

  it("revokes the old tokens at once with no grace", () => {
    const tokens = { current: "b", previous: [{ hash: "a", expires_at: iso(NOW + HOUR) }] };
    expect(planRotation(tokens, "c", 0, NOW)).toEqual({
      tokens: { current: "c", previous: [] },
      revoke: ["b", "a"],
      expire: [],
    });
  });

  it("caps an older token at the new deadline and never extends one", () => {
    const tokens = {
      current: "c",
      previous: [
        { hash: "b", expires_at: iso(NOW + 5 * HOUR) },
        { hash: "a", expires_at: iso(NOW + HOUR) },
        { hash: "gone", expires_at: iso(NOW - HOUR) },
      ],
    };
    const plan = planRotation(tokens, "d", 2 * HOUR, NOW);
    // "a" already ends before the new deadline: nothing written for it; "gone" is gone.
    expect(plan.expire).toEqual([
      { hash: "c", expires_at: iso(NOW + 2 * HOUR) },
      { hash: "b", expires_at: iso(NOW + 2 * HOUR) },
    ]);
    expect(plan.revoke).toEqual([]);
    expect(plan.tokens.previous.map((token) => token.hash)).toEqual(["c", "b", "a"]);
  });

  it("lists what a revoke must refuse and what a source shows", () => {
    const tokens = {
      current: "c",
      previous: [
        { hash: "b", expires_at: iso(NOW + HOUR) },
        { hash: "a", expires_at: iso(NOW - 1) },
      ],
    };
    expect(workingHashes(tokens, NOW)).toEqual(["c", "b"]);
    expect(tokenViews(tokens, false, NOW)).toEqual([
      { current: true },
      { current: false, expires_at: iso(NOW + HOUR) },
    ]);
    expect(tokenViews(tokens, true, NOW)).toEqual([]);
  });
});
