/**
 * When a burst counts as drained (scripts/lib/drain.ts) and the figures the soak and the benchmark
 * report from it (scripts/lib/burst.ts), on a clock the test moves.
 */
import { describe, expect, it } from "vitest";
import { burstFigures } from "../lib/burst.ts";
import { type DrainState, waitForDrain } from "../lib/drain.ts";

/** A fake clock, and a database read that returns the next of `states` at each poll. */
function world(states: DrainState[]) {
  let clock = 1_000;
  let polls = 0;
  return {
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
    read: async () => {
      const state = states[Math.min(polls, states.length - 1)] as DrainState;
      polls += 1;
      return state;
    },
    polls: () => polls,
  };
}

const state = (stored: number, notifying = 0, routed = notifying): DrainState => ({
  stored,
  incidents: notifying,
  notifying,
  routed,
});

describe("waitForDrain", () => {
  it("is drained once every distinct delivery is stored and every notifying entry routed", async () => {
    const w = world([state(10), state(60, 3, 0), state(100, 4, 2), state(100, 4, 4)]);
    const drained = await waitForDrain({ ...w, expected: 100, timeoutMs: 10_000, intervalMs: 100 });
    expect(drained).toEqual({ drained: true, storedAt: 1_200, routedAt: 1_300, state: state(100, 4, 4) });
    expect(w.polls()).toBe(4);
  });

  it("counts stored from the first poll that sees them all, even if routing lags", async () => {
    const w = world([state(100, 2, 0), state(100, 2, 1), state(100, 2, 2)]);
    const drained = await waitForDrain({ ...w, expected: 100, timeoutMs: 10_000, intervalMs: 250 });
    expect(drained.storedAt).toBe(1_000);
    expect(drained.routedAt).toBe(1_500);
  });

  it("gives up after the timeout, saying what it saw", async () => {
    const w = world([state(99)]);
    const drained = await waitForDrain({ ...w, expected: 100, timeoutMs: 1_000, intervalMs: 100 });
    expect(drained).toEqual({ drained: false, storedAt: null, routedAt: null, state: state(99) });
    expect(w.polls()).toBe(11);
  });
});

describe("burstFigures", () => {
  const counts = {
    sent: 2_100,
    accepted: 2_100,
    deferred: 900,
    duplicates: 0,
    server_errors: 0,
    other_errors: 0,
  };

  it("times the drain from the last answer and the rate from the first request, net of what was there", () => {
    const figures = burstFigures({
      counts,
      distinct: 2_000,
      started: 10_000,
      answered: 18_000,
      base: state(500, 7),
      drained: { drained: true, storedAt: 20_500, routedAt: 21_250, state: state(2_500, 87) },
    });
    expect(figures).toMatchObject({
      distinct: 2_000,
      drained: true,
      send_s: 8,
      drain_s: 2.5,
      routed_drain_s: 3.25,
      stored: 2_000,
      stored_per_s: 190, // 2,000 in 10.5 s
      incidents: 80,
      notifying: 80,
    });
  });

  it("has no drain time nor rate when the burst never drained", () => {
    const figures = burstFigures({
      counts,
      distinct: 2_000,
      started: 0,
      answered: 8_000,
      base: state(0),
      drained: { drained: false, storedAt: null, routedAt: null, state: state(1_500) },
    });
    expect(figures).toMatchObject({
      drained: false,
      drain_s: null,
      routed_drain_s: null,
      stored_per_s: null,
      stored: 1_500,
    });
  });
});
