/** What a receiver's answer means for a notification: Standard Webhooks' retry rules (pure). */
import { describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULE, outcomeOf, parseSchedule } from "../../src/notify/retry";

const schedule = [5, 300];
const middle = () => 0.5; // no jitter

describe("a receiver's answer", () => {
  it("retries every answer but a 2xx and 410 on the schedule: 401 while rotating, 404 while deploying", () => {
    for (const status of [null, 301, 400, 401, 403, 404, 408, 422, 429, 500, 503]) {
      expect(outcomeOf(status, 1, schedule, null, middle), String(status)).toEqual({
        kind: "retry",
        delaySeconds: 5,
      });
    }
  });

  it("gives up on 410 Gone at once and disables the destination", () => {
    expect(outcomeOf(410, 1, schedule)).toEqual({ kind: "failed", disable: true });
  });

  it("gives up once the schedule is spent", () => {
    expect(outcomeOf(503, 3, schedule)).toEqual({ kind: "failed", disable: false });
    expect(outcomeOf(200, 3, schedule)).toEqual({ kind: "delivered" });
  });

  it("waits as long as a Retry-After asks", () => {
    expect(outcomeOf(429, 1, schedule, 60_000, middle)).toEqual({ kind: "retry", delaySeconds: 60 });
  });

  it("spans about three days by default, ten attempts, like the specification's example", () => {
    const waits = parseSchedule(DEFAULT_SCHEDULE) as number[];
    expect(waits).toHaveLength(9);
    const hours = waits.reduce((sum, wait) => sum + wait, 0) / 3600;
    expect(hours).toBeGreaterThan(72);
    expect(hours).toBeLessThan(80);
  });

  it("refuses a schedule entry over 24 hours", () => {
    expect(parseSchedule("5s,24h")).toEqual([5, 86_400]);
    expect(parseSchedule("5s,25h")).toBeUndefined();
  });
});
