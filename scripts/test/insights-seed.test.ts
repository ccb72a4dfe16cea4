/**
 * The month `npm run screenshot` photographs ({@link seedPlan}): a history the Insights page can draw, with
 * the times the Worker would have recorded had it lived through it, and SQL that puts each time on its row.
 */
import { describe, expect, it } from "vitest";
import { backdateSql, seedPlan } from "../lib/insights-seed.ts";

// Any instant: the plan is laid out backwards from the one it is given.
const NOW = Date.UTC(2031, 4, 14, 9, 30);
const DAY = 86_400_000;

describe("the screenshot's seeded month", () => {
  const plan = seedPlan(NOW, 30);

  it("breaks every job at least once, the noisy ones more, and leaves two of them red now", () => {
    const perJob = Map.groupBy(plan.incidents, (incident) => incident.job);
    expect(perJob.size).toBe(6);
    const counts = [...perJob.values()].map((incidents) => incidents.length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(counts[0]).toBeGreaterThan(counts.at(-1) as number);
    const red = plan.incidents.filter((incident) => incident.resolvedAt === null);
    expect(red.map((incident) => incident.job).sort()).toEqual(["acme/nightly-e2e", "acme/payments-api"]);
  });

  it("keeps every time inside the month, in order: opened, acknowledged, resolved", () => {
    for (const incident of plan.incidents) {
      expect(incident.openedAt).toBeGreaterThan(NOW - 30 * DAY);
      const later = [incident.acknowledgedAt, incident.resolvedAt].filter((at) => at !== null);
      for (const at of later) expect(at).toBeGreaterThan(incident.openedAt);
      if (incident.acknowledgedAt !== null && incident.resolvedAt !== null)
        expect(incident.acknowledgedAt).toBeLessThan(incident.resolvedAt);
      expect(Math.max(incident.openedAt, ...later)).toBeLessThan(NOW);
    }
  });

  it("numbers each job's builds once, in time order, each incident opened by a red build", () => {
    for (const builds of Map.groupBy(plan.builds, (build) => build.job).values()) {
      const numbers = builds.map((build) => build.number);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(new Set(numbers).size).toBe(numbers.length);
      const times = builds.map((build) => build.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    for (const incident of plan.incidents) {
      const first = plan.builds.find((b) => b.job === incident.job && b.number === incident.firstBuild);
      expect(first?.status).not.toBe("SUCCESS");
      expect(first?.at).toBe(incident.openedAt);
    }
  });

  it("is the same month every run", () => {
    expect(seedPlan(NOW, 30)).toEqual(plan);
  });

  it("writes one UPDATE per build and per incident, the source id quoted as SQL text", () => {
    const sql = backdateSql("it's-1", plan).split("\n");
    expect(sql).toHaveLength(plan.builds.length + plan.incidents.length);
    for (const statement of sql) expect(statement).toContain("source_id = 'it''s-1' AND job = 'acme/");
    const red = plan.incidents.find((incident) => incident.resolvedAt === null);
    expect(sql.find((line) => line.includes(`first_build = ${red?.firstBuild};`))).toContain(
      "resolved_at = NULL",
    );
  });
});
