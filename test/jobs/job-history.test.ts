/**
 * GET /api/jobs/:id/history through the Worker: generated histories (red streaks, a streak still red,
 * builds first heard of out of order, builds a second either side of the 7- and 30-day edges) delivered
 * at their own instants on the Worker's clock, and each figure compared with the plain model in
 * fixtures/job-history-model.ts.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY, expectedFigures, generatedHistory, type ModelBuild } from "../../fixtures/job-history-model";
import { setClock } from "../../src/platform/clock";
import { api, buildPayload, createSource, deliver } from "../helpers";

/** The instant the history ends at: fixed, so no figure depends on the day the suite runs. */
const NOW = Date.UTC(2026, 2, 18, 12, 0, 0);
let source: { id: string; token: string };

beforeAll(async () => {
  source = await createSource("job history");
});

afterAll(() => setClock(Date.now()));

/** Delivers `builds` of `job` in the order they were first heard of, each at its own instant. */
async function deliverHistory(job: string, builds: ModelBuild[]) {
  for (const build of [...builds].sort((a, b) => a.atMs - b.atMs)) {
    setClock(build.atMs);
    const finished = build.status !== null;
    const res = await deliver(
      buildPayload({
        job,
        number: build.number,
        phase: finished ? "FINALIZED" : "STARTED",
        status: build.status ?? undefined,
        extra: { duration: finished ? build.durationMs : 0 },
      }),
      { token: source.token },
    );
    expect(res.status).toBe(200);
  }
  // The model reads the instants as stored (a delivery takes a few ms of the clock's real pace).
  const { results } = await env.DB.prepare(
    "SELECT build_number, first_seen_at FROM alerts WHERE source_id = ?1 AND job = ?2",
  )
    .bind(source.id, job)
    .all<{ build_number: number; first_seen_at: string }>();
  const stored = new Map(results.map((row) => [row.build_number, Date.parse(row.first_seen_at)]));
  return builds.map((build) => ({ ...build, atMs: stored.get(build.number) ?? Number.NaN }));
}

async function jobId(job: string): Promise<number> {
  const { jobs } = (await (await api(`/api/jobs?source_id=${source.id}&limit=200`)).json()) as {
    jobs: { id: number; job: string }[];
  };
  const found = jobs.find((j) => j.job === job);
  if (!found) throw new Error(`no job ${job}`);
  return found.id;
}

interface History {
  job: { id: number; job: string; heartbeat: { mode: string } };
  builds: {
    build_number: number;
    result: string;
    alert_id: number;
    duration_ms: number | null;
    at: string;
  }[];
  figures: ReturnType<typeof expectedFigures>;
  open_incidents: { id: number; kind: string; state: string }[];
}

async function history(id: number): Promise<History> {
  setClock(NOW);
  const res = await api(`/api/jobs/${id}/history`);
  expect(res.status).toBe(200);
  return res.json();
}

describe("GET /api/jobs/:id/history", () => {
  it.each([1, 2, 3])("answers the model's figures for generated history %i", async (seed) => {
    const job = `history/generated-${seed}`;
    const builds = await deliverHistory(job, generatedHistory(seed, NOW));
    const answer = await history(await jobId(job));
    const expected = expectedFigures(builds, NOW);
    expect(answer.figures).toEqual(expected);
    // What the generator promised is there: both edges in play, several streaks, the last still red.
    expect(builds.some((b) => b.atMs >= NOW - 7 * DAY && b.atMs < NOW - 7 * DAY + 5000)).toBe(true);
    expect(builds.some((b) => b.atMs < NOW - 30 * DAY && b.atMs > NOW - 30 * DAY - 5000)).toBe(true);
    expect(expected.time_to_green.streaks).toBeGreaterThan(1);
    expect(expected.time_to_green.red_since_build).not.toBeNull();
    // The newest 50 builds by number, newest first, each with its result and its alert.
    expect(answer.builds.map((b) => b.build_number)).toEqual(
      builds
        .map((b) => b.number)
        .sort((a, b) => b - a)
        .slice(0, 50),
    );
    const words: Record<string, string> = {
      SUCCESS: "success",
      FAILURE: "failure",
      UNSTABLE: "unstable",
      ABORTED: "aborted",
      NOT_BUILT: "not_built",
    };
    for (const b of answer.builds) {
      const built = builds.find((x) => x.number === b.build_number);
      expect(b.result).toBe(built?.status ? words[built.status] : "running");
      expect(b.duration_ms).toBe(built?.status ? built.durationMs : null);
      expect(Date.parse(b.at)).toBe(built?.atMs);
    }
    expect(answer.job.heartbeat.mode).toBeDefined();
  });

  it("moves a build out of the 7-day rate once the clock passes the edge", async () => {
    const job = "history/edge";
    const builds = await deliverHistory(job, [
      { number: 1, status: "FAILURE", durationMs: 1000, atMs: NOW - 7 * DAY + 60_000 },
      { number: 2, status: "SUCCESS", durationMs: 3000, atMs: NOW - 3 * DAY },
    ]);
    const id = await jobId(job);
    expect((await history(id)).figures.failure_rate_7d).toBe(0.5);
    setClock(NOW + 120_000);
    const later = (await (await api(`/api/jobs/${id}/history`)).json()) as History;
    expect(later.figures.failure_rate_7d).toBe(0);
    expect(later.figures.failure_rate_30d).toBe(0.5);
    expect(later.figures).toEqual(expectedFigures(builds, NOW + 120_000));
  });

  it("names the job's open incident, and 404s for a job that does not exist", async () => {
    const job = "history/open";
    await deliverHistory(job, [{ number: 1, status: "FAILURE", durationMs: 1000, atMs: NOW - DAY }]);
    const answer = await history(await jobId(job));
    expect(answer.open_incidents).toEqual([expect.objectContaining({ kind: "failure", state: "open" })]);
    const res = await api("/api/jobs/99999999/history");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
  });
});
