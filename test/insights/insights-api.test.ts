/**
 * GET /api/insights through the Worker, against a plain model (fixtures/insights-history.ts) of a generated
 * history: every figure, the filters, the 30- and 90-day windows, a week without incidents, incidents still
 * open, and the problems of bad filters. The history is rolled up as the cron would, so the closed days'
 * failing builds come from the rollup and today's from the alerts. The clock is set to a fixed instant, so
 * no figure depends on the day the suite runs.
 */
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { EMPTY_WEEK, generateHistory, modelInsights } from "../../fixtures/insights-history.ts";
import type { Insights } from "../../src/insights/store";
import { nowMs, setClock } from "../../src/platform/clock";
import { adminApi } from "../../src/routes/openapi";
import { api } from "../helpers";
import { bearer, tokenFor } from "../people/people-helpers";
import { rollUpAsTheCron, seedHistory } from "./seed-history";

const NOW = Date.parse("2027-03-10T15:00:00.000Z");
const history = generateHistory(NOW);

beforeAll(async () => {
  setClock(NOW);
  await seedHistory(history);
  // Closed days' failing builds are read from the daily rollup, as the cron leaves it.
  expect((await rollUpAsTheCron(NOW)).at(-1)?.complete).toBe(true);
});

async function insights(query: string): Promise<Insights> {
  const res = await api(`/api/insights${query}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as Insights;
  expect(v.safeParse(adminApi.schemas.Insights as v.GenericSchema, body).issues ?? []).toEqual([]);
  return body;
}

/** The answer in the model's words: job ids and source names dropped, red_for_ms checked on its own. */
function comparable(answer: Insights, model: ReturnType<typeof modelInsights>) {
  const names = ({
    source_id,
    job,
    job_display_name,
  }: {
    source_id: string;
    job: string;
    job_display_name: string;
  }) => ({
    source_id,
    job,
    job_display_name,
  });
  answer.red_longest.forEach((job, i) => {
    const expected = model.red_longest[i]?.red_for_ms ?? 0;
    // The clock runs on from NOW while the test runs: at most a minute later.
    expect(job.red_for_ms - expected).toBeGreaterThanOrEqual(0);
    expect(job.red_for_ms - expected).toBeLessThan(60_000);
  });
  return {
    ...answer,
    noisiest_by_incidents: answer.noisiest_by_incidents.map((row) => ({ ...names(row), count: row.count })),
    noisiest_by_failing_builds: answer.noisiest_by_failing_builds.map((row) => ({
      ...names(row),
      count: row.count,
    })),
    red_longest: answer.red_longest.map((row) => ({ ...names(row), red_since: row.red_since })),
  };
}

const withoutRedFor = (model: ReturnType<typeof modelInsights>) => ({
  ...model,
  red_longest: model.red_longest.map(({ red_for_ms: _, ...row }) => row),
  // The seeded history names no failed tests; test/flaky/flaky-tests.test.ts compares this list.
  flakiest_tests: [],
});

describe("GET /api/insights", () => {
  it("answers the last 30 days by default, every figure as the model computes it", async () => {
    expect(nowMs() - NOW).toBeLessThan(60_000);
    const answer = await insights("");
    const model = modelInsights(history, { from: "2027-02-09", to: "2027-03-10" }, NOW);
    expect(answer.per_day).toHaveLength(30);
    expect(comparable(answer, model)).toEqual(withoutRedFor(model));
    // The history is busy enough for every figure to say something.
    expect(answer.noisiest_by_incidents).toHaveLength(10);
    expect(answer.noisiest_by_failing_builds).toHaveLength(10);
    expect(answer.red_longest.length).toBeGreaterThan(0);
    expect(answer.per_day.some((day) => day.opened > 0 && day.resolved > 0)).toBe(true);
    expect(
      answer.per_week.some((week) => (week.mtta.median_ms ?? 0) > 0 && (week.mttr.p90_ms ?? 0) > 0),
    ).toBe(true);
  });

  it("answers 90 days across a new year, ISO weeks included (2026 has a week 53)", async () => {
    const answer = await insights("?from=2026-12-11&to=2027-03-10");
    const model = modelInsights(history, { from: "2026-12-11", to: "2027-03-10" }, NOW);
    expect(answer.per_day).toHaveLength(90);
    expect(answer.per_week.map((w) => w.week)).toContain("2026-W53");
    expect(answer.per_week[0]).toMatchObject({ week: "2026-W50", starts: "2026-12-07" });
    expect(comparable(answer, model)).toEqual(withoutRedFor(model));
  });

  it("shows a week without incidents with counts of 0 and no times", async () => {
    const answer = await insights("?from=2027-02-01&to=2027-02-28");
    expect(answer.per_week.find((w) => w.week === EMPTY_WEEK.week)).toEqual({
      ...EMPTY_WEEK,
      mtta: { count: 0, median_ms: null, p90_ms: null },
      mttr: { count: 0, median_ms: null, p90_ms: null },
    });
  });

  it("counts an incident still open as opened, but in neither MTTR nor, unacknowledged, MTTA", async () => {
    const open = history.incidents.filter((i) => i.resolved_at === null && i.opened_at >= "2027-03-01");
    expect(open.length).toBeGreaterThan(0);
    const answer = await insights("?from=2027-03-01&to=2027-03-10");
    const model = modelInsights(history, { from: "2027-03-01", to: "2027-03-10" }, NOW);
    expect(comparable(answer, model)).toEqual(withoutRedFor(model));
    const opened = answer.per_day.reduce((n, day) => n + day.opened, 0);
    const resolvedCount = answer.per_week.reduce((n, week) => n + week.mttr.count, 0);
    expect(opened - resolvedCount).toBe(open.length);
  });

  it.each([
    ["one source", { source_id: "ins-b" }],
    ["one job", { job: "team/app-2" }],
    ["one job of one source", { source_id: "ins-a", job: "team/app-6" }],
    ["a source nobody has", { source_id: "nobody" }],
  ])("filters to %s", async (_, filters) => {
    const query = new URLSearchParams({ from: "2027-01-01", to: "2027-03-10", ...filters });
    const answer = await insights(`?${query}`);
    const model = modelInsights(history, { from: "2027-01-01", to: "2027-03-10", ...filters }, NOW);
    expect(comparable(answer, model)).toEqual(withoutRedFor(model));
  });

  it.each([
    ["from=2027-02-30", "from", "expected a day that exists"],
    ["to=2027-13-01", "to", "expected a day that exists"],
    ["from=yesterday", "from", "expected a day as YYYY-MM-DD"],
    ["from=2027-03-02&to=2027-03-01", "from", "must not be after to"],
    ["from=2026-12-10&to=2027-03-10", "from", "the window is at most 90 days"],
    ["from=2026-01-01", "from", "the window is at most 90 days"],
    [`source_id=${"x".repeat(65)}`, "source_id", "at most 64 characters"],
  ])("refuses %s with a problem naming the field", async (query, path, message) => {
    const res = await api(`/api/insights?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([{ path, message }]);
  });

  it("is in the OpenAPI document, saying which incidents count and how weeks are cut", async () => {
    const doc = (await (await api("/api/openapi.json")).json()) as {
      paths: Record<
        string,
        { get: { parameters: { name: string }[]; responses: Record<string, { description: string }> } }
      >;
    };
    const operation = doc.paths["/api/insights"]?.get;
    expect(operation?.parameters.map((p) => p.name)).toEqual(["source_id", "job", "from", "to"]);
    expect(operation?.responses["200"]?.description).toContain("Every incident counts, whatever its kind");
    expect(operation?.responses["200"]?.description).toContain("ISO 8601 week (Monday to Sunday, UTC)");
  });

  it("is read by a viewer", async () => {
    const viewer = await tokenFor("viewer", "insights viewer");
    const res = await api("/api/insights?from=2027-03-01&to=2027-03-10", { headers: bearer(viewer.value) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Insights).per_day).toHaveLength(10);
  });

  it("needs credentials, and answers only GET", async () => {
    expect((await api("/api/insights", { headers: { Authorization: "" } })).status).toBe(401);
    const post = await api("/api/insights", { method: "POST" });
    expect(post.status).toBe(405);
  });
});
