/** The insights' pure parts on cases worked out by hand: ISO weeks at year ends, the window, the spreads. */
import { describe, expect, it } from "vitest";
import { spread } from "../../src/insights/figures";
import { insightWindow, isoWeekOf } from "../../src/insights/window";

describe("isoWeekOf", () => {
  it.each([
    ["2027-01-01", "2026-W53", "2026-12-28"], // a Friday: the week of its Thursday, 2026's 53rd
    ["2027-01-04", "2027-W01", "2027-01-04"],
    ["2024-12-30", "2025-W01", "2024-12-30"], // a Monday whose Thursday is in 2025
    ["2027-03-14", "2027-W10", "2027-03-08"], // a Sunday ends its week
  ])("puts %s in %s, which starts on %s", (day, week, starts) => {
    expect(isoWeekOf(day)).toEqual({ week, starts });
  });
});

describe("insightWindow", () => {
  const now = Date.parse("2027-03-10T23:59:59.999Z");
  it("is the 30 days ending today by default, bounded by whole UTC days", () => {
    const window = insightWindow({}, now);
    expect(window).toMatchObject({
      from: "2027-02-09",
      to: "2027-03-10",
      startIso: "2027-02-09T00:00:00.000Z",
      endIso: "2027-03-11T00:00:00.000Z",
    });
    expect("days" in window && window.days).toHaveLength(30);
  });

  it("takes 90 days, not 91, and one day", () => {
    expect(insightWindow({ from: "2026-12-11", to: "2027-03-10" }, now)).toMatchObject({
      from: "2026-12-11",
    });
    expect(insightWindow({ from: "2026-12-10", to: "2027-03-10" }, now)).toEqual({
      path: "from",
      message: "the window is at most 90 days",
    });
    expect(insightWindow({ from: "2027-03-10", to: "2027-03-10" }, now)).toMatchObject({
      days: ["2027-03-10"],
    });
  });
});

describe("spread", () => {
  it.each([
    [[], { count: 0, median_ms: null, p90_ms: null }],
    [[5], { count: 1, median_ms: 5, p90_ms: 5 }],
    [[4, 1], { count: 2, median_ms: 3, p90_ms: 4 }], // 2.5 rounds to 3
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { count: 10, median_ms: 6, p90_ms: 9 }], // 5.5 rounds up; rank 9
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], { count: 11, median_ms: 6, p90_ms: 10 }], // rank ceil(9.9) = 10
  ])("of %j is %j", (durations, expected) => {
    expect(spread(durations)).toEqual(expected);
  });
});
