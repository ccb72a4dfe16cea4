import { beforeAll, describe, expect, it } from "vitest";
import { api, buildPayload, createSource, deliver, getAlert } from "../helpers";

let token: string;
let sourceId: string;

beforeAll(async () => {
  ({ token, id: sourceId } = await createSource("jobs"));
});

async function finish(job: string, number: number, status: string, durationMs = 60_000) {
  for (const phase of ["STARTED", "COMPLETED", "FINALIZED"]) {
    const res = await deliver(
      buildPayload({
        job,
        number,
        phase,
        status: phase === "STARTED" ? undefined : status,
        timestamp: 1_764_000_000_000 + number * 600_000 + (phase === "FINALIZED" ? 100 : 0),
        extra: { duration: phase === "STARTED" ? 0 : durationMs },
      }),
      { token },
    );
    expect(res.status).toBe(200);
  }
}

async function jobsPage(query = "") {
  const res = await api(`/api/jobs?source_id=${sourceId}${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { jobs: Record<string, unknown>[]; next_cursor: string | null };
}

async function job(name: string) {
  const { jobs } = await jobsPage("&limit=200");
  return jobs.find((j) => j.job === name);
}

describe("GET /api/jobs", () => {
  it("reports a failing job's streak, since when, and its last success", async () => {
    await finish("health/failing", 1, "SUCCESS", 60_000);
    await finish("health/failing", 2, "FAILURE", 120_000);
    await finish("health/failing", 3, "ABORTED", 30_000);
    await finish("health/failing", 4, "UNSTABLE", 90_000);
    expect(await job("health/failing")).toMatchObject({
      source_id: sourceId,
      source_name: "jobs",
      state: "failing",
      last_build: 4,
      last_status: "UNSTABLE",
      last_success_build: 1,
      failing_since_build: 2,
      failing_streak: 2,
      flapping: false,
      last_duration_ms: 90_000,
      median_duration_ms: 75_000,
    });
  });

  it("reports passing, running and unknown jobs", async () => {
    await finish("health/passing", 1, "FAILURE");
    await finish("health/passing", 2, "SUCCESS");
    await finish("health/running", 1, "SUCCESS");
    await deliver(buildPayload({ job: "health/running", number: 2, phase: "STARTED" }), { token });
    await finish("health/unknown", 1, "ABORTED");
    expect(await job("health/passing")).toMatchObject({
      state: "passing",
      failing_streak: 0,
      failing_since_build: null,
    });
    expect(await job("health/running")).toMatchObject({ state: "running", last_build: 2, last_status: null });
    expect(await job("health/unknown")).toMatchObject({ state: "unknown", last_success_build: null });
  });

  it("marks a job that keeps flipping between passing and failing as flapping, and its new alerts", async () => {
    const statuses = ["SUCCESS", "FAILURE", "SUCCESS", "FAILURE", "SUCCESS"];
    for (const [i, status] of statuses.entries()) await finish("health/flaky", i + 1, status);
    expect(await job("health/flaky")).toMatchObject({ flapping: true });
    const res = await deliver(buildPayload({ job: "health/flaky", number: 6, phase: "STARTED" }), { token });
    const { alert_id } = (await res.json()) as { alert_id: number };
    expect(await getAlert(alert_id)).toMatchObject({ flapping: true });
  });

  it("is not flapping with three changes", async () => {
    for (const [i, status] of ["SUCCESS", "FAILURE", "SUCCESS", "FAILURE"].entries())
      await finish("health/steady", i + 1, status);
    expect(await job("health/steady")).toMatchObject({ flapping: false });
  });

  it("filters by state and pages with a cursor", async () => {
    const failing = await jobsPage("&state=failing&limit=200");
    expect(failing.jobs.length).toBeGreaterThan(0);
    expect(failing.jobs.every((j) => j.state === "failing")).toBe(true);

    const names: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page = await jobsPage(`&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      names.push(...page.jobs.map((j) => j.job));
      cursor = page.next_cursor;
    } while (cursor);
    expect(names).toEqual((await jobsPage("&limit=200")).jobs.map((j) => j.job));
  });

  it("400 for an unknown state", async () => {
    const res = await api("/api/jobs?state=broken");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ path: "state" }] });
  });
});

describe("build context on the alert", () => {
  it("carries branch, commit, culprits, changes, tests, duration, link and a summary", async () => {
    const res = await deliver(
      buildPayload({
        job: "acme/payments-api",
        number: 129,
        phase: "FINALIZED",
        status: "FAILURE",
        displayName: "Payments API",
        extra: {
          duration: 184_000,
          scm: {
            url: "https://git.example.com/acme/payments.git",
            branch: "origin/main",
            commit: "4f1c2a9e0b7d3c6a5e8f9a0b1c2d3e4f5a6b7c8d",
            changes: ["src/pay.ts", "src/refund.ts"],
            culprits: ["alice", "bob"],
          },
          test_summary: {
            total: 1412,
            failed: 4,
            passed: 1400,
            skipped: 8,
            failed_tests: ["a.RefundTest.one", "a.RefundTest.two", "a.LedgerTest.three", "a.LedgerTest.four"],
          },
        },
      }),
      { token },
    );
    const { alert_id } = (await res.json()) as { alert_id: number };
    expect(await getAlert(alert_id)).toMatchObject({
      title: "acme/payments-api #129 FAILURE",
      branch: "origin/main",
      commit: "4f1c2a9e0b7d3c6a5e8f9a0b1c2d3e4f5a6b7c8d",
      culprits: ["alice", "bob"],
      changes_count: 2,
      test_summary: { total: 1412, failed: 4 },
      duration_ms: 184_000,
      build_url: "https://ci.example.com/job/acme/job/payments-api/129/",
      summary:
        "Payments API (acme/payments-api) #129 failed after 3 min 4 s on origin/main at 4f1c2a9. " +
        "Culprits: alice, bob. 4 of 1412 tests failed: a.RefundTest.one, a.RefundTest.two, a.LedgerTest.three and 1 more. " +
        "https://ci.example.com/job/acme/job/payments-api/129/",
    });
  });
});
