/**
 * Routing (src/notify/destinations/match.ts): every rule a destination gives must hold, globs are the
 * policies', and the `match` a request gives is held to known rules. Durations as the API reads them.
 */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  DestinationMatchSchema,
  type RoutedIncident,
  routes,
  subscribes,
} from "../../../src/notify/destinations/match";
import { parseDuration } from "../../../src/platform/duration";
import { describeIssues } from "../../../src/platform/issues";

const incident: RoutedIncident = {
  source_id: "src-a",
  job_path: "acme/web-shop/feature/login",
  branch: "feature/login",
  priority: "MEDIUM",
  kind: "failure",
};

describe("routes()", () => {
  it("sends everything to a destination without rules", () => {
    expect(routes({ match: {} }, incident)).toBe(true);
    expect(routes({ match: {} }, { ...incident, kind: "source_silent", job_path: null, branch: null })).toBe(
      true,
    );
  });

  it("holds every rule given", () => {
    expect(routes({ match: { source_id: "src-a" } }, incident)).toBe(true);
    expect(routes({ match: { source_id: "src-b" } }, incident)).toBe(false);
    expect(routes({ match: { job: "acme/**" } }, incident)).toBe(true);
    expect(routes({ match: { job: "acme/*" } }, incident)).toBe(false);
    expect(routes({ match: { job: "acme/web-shop/*/login" } }, incident)).toBe(true);
    expect(routes({ match: { branch: "feature/*" } }, incident)).toBe(true);
    expect(routes({ match: { branch: "main" } }, incident)).toBe(false);
    expect(routes({ match: { kinds: ["failure", "missed_build"] } }, incident)).toBe(true);
    expect(routes({ match: { kinds: ["source_silent"] } }, incident)).toBe(false);
    expect(routes({ match: { job: "acme/**", branch: "main" } }, incident)).toBe(false);
  });

  it("takes min_priority as that priority or a higher one", () => {
    const at = (priority: RoutedIncident["priority"], min: RoutedIncident["priority"]) =>
      routes({ match: { min_priority: min } }, { ...incident, priority });
    expect([at("HIGH", "MEDIUM"), at("MEDIUM", "MEDIUM"), at("LOW", "MEDIUM")]).toEqual([true, true, false]);
    expect([at("LOW", "LOW"), at("MEDIUM", "HIGH")]).toEqual([true, false]);
  });

  it("never matches a job or branch rule for an incident without one", () => {
    const silent = { ...incident, kind: "source_silent" as const, job_path: null, branch: null };
    expect(routes({ match: { job: "**" } }, silent)).toBe(false);
    expect(routes({ match: { branch: "**" } }, silent)).toBe(false);
    expect(routes({ match: { source_id: "src-a" } }, silent)).toBe(true);
  });

  it("subscribes to the events in `on` only", () => {
    expect(subscribes({ on: ["opened", "resolved"] }, "opened")).toBe(true);
    expect(subscribes({ on: ["opened", "resolved"] }, "acknowledged")).toBe(false);
  });
});

describe("match as the API takes it", () => {
  const parse = (input: unknown) => v.safeParse(DestinationMatchSchema, input);

  it("keeps the rules given, kinds once each", () => {
    expect(parse({ job: "acme/**", kinds: ["failure", "failure"] }).output).toEqual({
      job: "acme/**",
      kinds: ["failure"],
    });
    expect(parse({}).output).toEqual({});
  });

  it("refuses unknown rules, empty globs and kinds, unknown priorities", () => {
    // `__proto__` as JSON gives it, an own key (a literal would set the prototype instead).
    for (const input of [
      { jobs: "acme/**" },
      JSON.parse('{"__proto__": {"job": "x"}}'),
      { constructor: {} },
    ]) {
      expect(describeIssues(DestinationMatchSchema, parse(input).issues ?? [])).toEqual([
        { path: "", message: "unknown field; expected only source_id, job, branch, min_priority, kinds" },
      ]);
    }
    expect(parse({ job: "" }).success).toBe(false);
    expect(parse({ job: "x".repeat(257) }).success).toBe(false);
    expect(parse({ job: "**/x/**" }).success).toBe(false);
    expect(parse({ kinds: [] }).success).toBe(false);
    expect(parse({ min_priority: "URGENT" }).success).toBe(false);
  });
});

describe("parseDuration()", () => {
  it("reads a whole number and a unit", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("7d")).toBe(604_800_000);
    expect(parseDuration("0s")).toBe(0);
  });

  it("refuses anything else", () => {
    for (const text of ["", "30", "1.5h", " 30m", "30M", "30 m", "1w", "-1m", "1234567890s"]) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });
});
