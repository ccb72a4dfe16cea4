/** The per-delivery figures the benchmark derives from the instrumented build's counts (scripts/lib/d1-counts.ts). */
import { describe, expect, it } from "vitest";
import { perDelivery, type QueueBatch, queueFigures } from "../lib/d1-counts.ts";
import { activeMs } from "../lib/startup.ts";

const batch = (messages: number, statements: number, sql_ms: number, acked = messages): QueueBatch => ({
  messages,
  acked,
  retried: messages - acked,
  statements,
  round_trips: 2,
  sql_ms,
});

describe("queueFigures", () => {
  it("counts per delivery stored and per invocation, over the invocations of the size asked for", () => {
    const batches = [batch(10, 95, 4), batch(3, 36, 1), batch(10, 85, 6), batch(100, 15, 20)];
    expect(queueFigures(batches, 10)).toEqual({
      deliveries: 20,
      statements_per_delivery: 9,
      round_trips_per_delivery: 0.2,
      sql_ms_per_delivery: 0.5,
      batches: 2,
      max_statements_per_batch: 95,
      round_trips_per_batch: 2,
      retried: 0,
    });
    expect(queueFigures(batches, 100)).toMatchObject({
      statements_per_delivery: 0.15,
      max_statements_per_batch: 15,
    });
  });

  it("divides by the deliveries stored: those put back are written (and counted) again later", () => {
    expect(queueFigures([batch(10, 45, 3, 3)])).toMatchObject({
      deliveries: 3,
      statements_per_delivery: 15,
      retried: 7,
    });
  });

  it("reports nothing measured as zero batches, not as a division by zero", () => {
    expect(queueFigures([batch(3, 36, 1)], 100)).toMatchObject({
      batches: 0,
      deliveries: 0,
      statements_per_delivery: 0,
    });
  });
});

describe("perDelivery", () => {
  it("rounds to thousandths", () => {
    expect(perDelivery({ statements: 463, round_trips: 54, sql_ms: 37.123_4 }, 50)).toEqual({
      deliveries: 50,
      statements_per_delivery: 9.26,
      round_trips_per_delivery: 1.08,
      sql_ms_per_delivery: 0.742,
    });
  });
});

describe("activeMs (startup CPU)", () => {
  it("sums the samples that are not idle, in ms", () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: "(root)" } },
        { id: 2, callFrame: { functionName: "(idle)" } },
        { id: 3, callFrame: { functionName: "compile" } },
      ],
      samples: [3, 2, 3, 1],
      timeDeltas: [1_500, 90_000, 2_500, 1_000],
    };
    expect(activeMs(profile)).toBe(5);
  });
});
