/**
 * The insights' daily rollup (failing builds per source, job and UTC day), kept by the cron trigger: held to
 * a plain count of a generated history (fixtures/insights-history.ts), closed days only; a build stored
 * late into a day already rolled up (a delivery deferred to the queue before midnight) and a build whose
 * last phase moves it out of one are counted again by the next run, and read stale until then; every run
 * within its share of the plan's D1 queries; retention deletes a day's rows with the last of its alerts.
 */
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { generateHistory, type HistoryBuild, modelInsights } from "../../fixtures/insights-history.ts";
import worker from "../../src/index";
import { ROLLUP_QUERIES } from "../../src/insights/rollup";
import type { Insights } from "../../src/insights/store";
import { setClock } from "../../src/platform/clock";
import { countingD1 } from "../fault-bindings";
import { api, buildPayload, createSource } from "../helpers";
import { rollUpAsTheCron, seedHistory } from "./seed-history";

const NOW = Date.parse("2027-03-10T15:00:00.000Z");
const TODAY = "2027-03-10";
const history = generateHistory(NOW, 7);
/** Builds stored through the Worker below, added to the model as they go in. */
const builds: HistoryBuild[] = [...history.builds];

/** The rollup as a plain count: failing builds per closed day, source and job (those seen from `since`). */
function modelRollup(since = "") {
  const counts = new Map<string, number>();
  for (const b of builds.filter((build) => build.seen_at >= since)) {
    if (b.phase_rank < 3 || (b.status !== "FAILURE" && b.status !== "UNSTABLE")) continue;
    const key = `${b.seen_at.slice(0, 10)}\n${b.source_id}\n${b.job}`;
    if (b.seen_at.slice(0, 10) < TODAY) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, failing_builds]) => {
      const [day, source_id, job] = key.split("\n") as [string, string, string];
      return { day, source_id, job, failing_builds };
    })
    .sort((a, b) => (a.day + a.source_id + a.job < b.day + b.source_id + b.job ? -1 : 1));
}

async function storedRollup() {
  const { results } = await env.DB.prepare(
    "SELECT day, source_id, job, failing_builds FROM insight_rollups ORDER BY day, source_id, job",
  ).all();
  return results;
}

async function failingBuilds(query: string) {
  const res = await api(`/api/insights?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Insights).noisiest_by_failing_builds.map(({ source_id, job, count }) => ({
    source_id,
    job,
    count,
  }));
}

let source: { id: string; token: string };

/** Stores one phase of a build as the queue consumer does: received at `receivedAt`, stored now. */
async function storeLate(job: string, number: number, phase: string, status: string, receivedAt: string) {
  const body = JSON.stringify(buildPayload({ job, number, phase, status }));
  const message = {
    v: 1,
    source_id: source.id,
    received_at: receivedAt,
    body,
    format: "json",
    truncated: false,
  };
  const batch = createMessageBatch("itoc360-jenkins-events", [
    { id: `${job}-${number}-${phase}`, timestamp: new Date(NOW), attempts: 1, body: message },
  ]);
  await worker.queue(batch as MessageBatch<never>, env);
  // In the model: the build as its alert now reads (a later phase replaces what it said).
  const build = {
    source_id: source.id,
    job,
    build_number: number,
    phase_rank: phase === "FINALIZED" ? 4 : 3,
  };
  const known = builds.findIndex(
    (b) => b.source_id === source.id && b.job === job && b.build_number === number,
  );
  builds.splice(known < 0 ? builds.length : known, known < 0 ? 0 : 1, {
    ...build,
    status,
    seen_at: receivedAt,
  });
}

beforeAll(async () => {
  setClock(NOW);
  await seedHistory(history);
  source = await createSource("rollup");
});

describe("the insights' daily rollup", () => {
  it("rolls up every closed day of a generated history as the model counts it, leaving today to the alerts", async () => {
    const runs = await rollUpAsTheCron(NOW);
    expect(runs.at(-1)?.complete).toBe(true);
    // About 100 days: the first runs roll them up DAYS_PER_ROUND at a time, each within its share.
    expect(runs.reduce((n, run) => n + run.days, 0)).toBeGreaterThanOrEqual(100);
    for (const run of runs) expect(run.queries).toBeLessThanOrEqual(ROLLUP_QUERIES);
    const model = modelRollup();
    expect(model.length).toBeGreaterThan(300);
    expect(await storedRollup()).toEqual(model);
    expect(builds.some((b) => b.seen_at.startsWith(TODAY) && b.status === "FAILURE")).toBe(true);
    const window = { from: "2026-12-11", to: TODAY };
    const expected = modelInsights({ ...history, builds }, window, NOW).noisiest_by_failing_builds;
    expect(await failingBuilds(`from=${window.from}&to=${window.to}`)).toEqual(
      expected.map(({ source_id, job, count }) => ({ source_id, job, count })),
    );
  });

  it("counts a build stored late into a rolled-up day on the next run, and reads the day stale until then", async () => {
    await storeLate("team/late", 1, "FINALIZED", "FAILURE", "2027-03-07T23:59:58.000Z");
    const query = `source_id=${source.id}&from=2027-03-01&to=${TODAY}`;
    // The closed day is the rollup's: at most one cron period stale.
    expect(await failingBuilds(query)).toEqual([]);
    const [run] = await rollUpAsTheCron(NOW);
    expect(run?.days).toBe(1);
    expect(await failingBuilds(query)).toEqual([{ source_id: source.id, job: "team/late", count: 1 }]);
    expect(await storedRollup()).toEqual(modelRollup());
  });

  it("takes a failing build out of a rolled-up day when its last phase arrives today", async () => {
    await storeLate("team/late", 2, "COMPLETED", "UNSTABLE", "2027-03-08T23:50:00.000Z");
    await rollUpAsTheCron(NOW);
    expect(await storedRollup()).toEqual(modelRollup());
    await storeLate("team/late", 2, "FINALIZED", "UNSTABLE", "2027-03-10T00:10:00.000Z");
    const [run] = await rollUpAsTheCron(NOW);
    // The days the build spans: the one it left and the next (today itself is read from the alerts).
    expect(run?.days).toBe(2);
    expect(await storedRollup()).toEqual(modelRollup());
    const query = `source_id=${source.id}&from=2027-03-01&to=${TODAY}`;
    expect(await failingBuilds(query)).toEqual([{ source_id: source.id, job: "team/late", count: 2 }]);
  });

  it("is kept by the cron trigger within the plan's budget, and retention deletes a day's rows with its last alert", async () => {
    const cutoffDays = 50;
    const cutoff = new Date(NOW - cutoffDays * 86_400_000).toISOString();
    const counted = countingD1(env.DB);
    for (let run = 0; run < 5; run++) {
      const ctx = createExecutionContext();
      const controller = createScheduledController({ scheduledTime: NOW, cron: "*/5 * * * *" });
      await worker.scheduled(
        controller,
        { ...env, DB: counted.db, ALERT_RETENTION_DAYS: String(cutoffDays) },
        ctx,
      );
      await waitOnExecutionContext(ctx);
    }
    expect(counted.calls.statements).toBeLessThanOrEqual(5 * 50);
    const { results } = await env.DB.prepare("SELECT min(last_seen_at) AS oldest FROM alerts").all<{
      oldest: string;
    }>();
    expect(results[0]?.oldest.slice(0, 10)).toBe(cutoff.slice(0, 10));
    // The days before the cutoff's are gone; the cutoff's own day, partly purged, was counted again.
    const kept = modelRollup(cutoff);
    expect(kept[0]?.day).toBe(cutoff.slice(0, 10));
    expect(kept.length).toBeGreaterThan(100);
    expect(await storedRollup()).toEqual(kept);
  });
});
