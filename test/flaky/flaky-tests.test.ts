/**
 * Flaky tests end to end: generated histories delivered to the real webhook in any order, GET
 * /api/flaky-tests compared with a plain model ({@link expectedFlakyTests}); the queue path stores what
 * the webhook does; the policy's three modes on the incident, the dashboard and a notification.
 */
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { random } from "../../fixtures/random";
import { receivedAt } from "../../fixtures/receivers";
import { DELIVERY_PARAMS } from "../../src/core/delivery-params";
import type { FlakyTest } from "../../src/flaky/model";
import { recordTestFailures } from "../../src/flaky/sql";
import { purgeOldAlerts } from "../../src/operations/retention";
import { sourceWithPolicy } from "../alerts/generated-histories";
import {
  api,
  buildPayload,
  createDestination,
  dashboardPage,
  dashboardSession,
  deliver,
  eventually,
} from "../helpers";
import { expectSameAsOneByOne } from "../ingest/same-as-one-by-one";
import { bodiesOf, expectedFlakyTests, generatedBuilds, type TestBuild } from "./flaky-model";

const receivers = inject("receivers");

/** Every page of GET /api/flaky-tests for `query`, `limit` at a time. */
async function allFlakyTests(query: string, limit = 3): Promise<FlakyTest[]> {
  const all: FlakyTest[] = [];
  let cursor: string | null = null;
  do {
    const res = await api(`/api/flaky-tests?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { flaky_tests: FlakyTest[]; next_cursor: string | null };
    all.push(...page.flaky_tests);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

const byJobAndTest = <T extends { job: string; test: string }>(rows: T[]) =>
  [...rows].sort((a, b) => a.job.localeCompare(b.job) || a.test.localeCompare(b.test));

describe("GET /api/flaky-tests", () => {
  it.each([1, 2, 3])(
    "lists what the model finds in generated history %i, delivered in any order",
    async (seed) => {
      const rand = random(seed);
      const source = await sourceWithPolicy(`flaky history ${seed}`, {});
      const jobs: Record<string, TestBuild[]> = {
        [`flaky-${seed}/api`]: generatedBuilds(rand, 20),
        [`flaky-${seed}/web`]: generatedBuilds(rand, 20),
      };
      const bodies = Object.entries(jobs)
        .flatMap(([job, builds]) => builds.flatMap((build) => bodiesOf(job, build)))
        .sort(() => rand() - 0.5);
      for (const body of bodies) expect((await deliver(body, { token: source.token })).status).toBe(200);

      const expected = Object.entries(jobs).flatMap(([job, builds]) => expectedFlakyTests(job, builds));
      expect(expected.length).toBeGreaterThan(0);
      const listed = await allFlakyTests(`source_id=${source.id}`);
      expect(
        byJobAndTest(
          listed.map(({ job, test, failures, flips, last_build }) => ({
            job,
            test,
            failures,
            flips,
            last_build,
          })),
        ),
      ).toEqual(byJobAndTest(expected));
      // Most flips first, every field documented.
      expect(listed.map((row) => row.flips)).toEqual(listed.map((row) => row.flips).sort((a, b) => b - a));
      for (const row of listed) {
        expect(row).toMatchObject({
          source_id: source.id,
          job_path: row.job,
          last_seen_at: expect.stringMatching(/^\d{4}-/),
        });
      }
      // The job filter keeps one job's.
      const job = `flaky-${seed}/api`;
      const one = await allFlakyTests(`source_id=${source.id}&job=${encodeURIComponent(job)}`, 50);
      expect(byJobAndTest(one).map((row) => row.test)).toEqual(
        byJobAndTest(expected.filter((row) => row.job === job)).map((row) => row.test),
      );
      // The Insights' flakiest tests are this list's first ten, for the same filters.
      const insights = (await (await api(`/api/insights?source_id=${source.id}`)).json()) as {
        flakiest_tests: unknown[];
      };
      expect(insights.flakiest_tests).toEqual(listed.slice(0, 10));
      const page = await (
        await dashboardPage(`/insights?source_id=${source.id}`, await dashboardSession())
      ).text();
      const top = listed[0] as { test: string };
      expect(page).toContain("Flakiest tests");
      expect(page).toContain(`<code>${top.test}</code>`);
    },
  );

  it("keeps the first 10 failed tests a build names, and refuses a bad filter", async () => {
    const source = await sourceWithPolicy("flaky cap", {});
    const names = Array.from({ length: 15 }, (_, i) => `Many.test${i}`);
    const body = buildPayload({
      job: "flaky/cap",
      number: 1,
      phase: "COMPLETED",
      status: "UNSTABLE",
      extra: { test_summary: { total: 20, failed: 15, passed: 5, skipped: 0, failed_tests: names } },
    });
    expect((await deliver(body, { token: source.token })).status).toBe(200);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM test_failures WHERE source_id = ?1")
      .bind(source.id)
      .first<{ n: number }>();
    expect(row?.n).toBe(10);
    expect((await api("/api/flaky-tests?limit=0")).status).toBe(400);
  });
});

describe("the queue path", () => {
  it.each([1, 4, 100])("stores the same test failures as the webhook, in batches of %i", async (size) => {
    const rand = random(40 + size);
    const bodies = generatedBuilds(rand, 16)
      .flatMap((build) => bodiesOf(`flaky-batch-${size}/app`, build))
      .sort(() => rand() - 0.5);
    await expectSameAsOneByOne(`flaky batch ${size}`, bodies, { min_consecutive_failures: 1 }, size);
  });
});

/**
 * Build 1 fails LoginTest at c1, build 2 rebuilds c1 and passes it (LoginTest is now flaky), build 3
 * fails only LoginTest at c2.
 */
async function flakyThenFailing(policy: Record<string, unknown>, name: string) {
  const source = await sourceWithPolicy(name, policy);
  const job = `${name.replaceAll(" ", "-")}/app`;
  const build = (number: number, commit: string, failed: string[]) =>
    bodiesOf(job, {
      number,
      commit,
      changes: 1,
      tests: { total: 10, failed: failed.length, names: failed },
    });
  const send = async (bodies: Record<string, unknown>[]) => {
    for (const body of bodies) expect((await deliver(body, { token: source.token })).status).toBe(200);
  };
  await send(build(1, "c1", ["LoginTest.logsIn"]));
  await send(build(2, "c1", []));
  return { source, job, third: () => send(build(3, "c2", ["LoginTest.logsIn"])) };
}

interface ListedIncident {
  id: number;
  first_build: number;
  flaky: boolean;
}
const incidentsOf = async (sourceId: string) =>
  ((await (await api(`/api/incidents?source_id=${sourceId}`)).json()) as { incidents: ListedIncident[] })
    .incidents;

describe('the policy\'s "flaky"', () => {
  it("ignore: a build that failed only on known-flaky tests opens nothing, and its alert is stored", async () => {
    const { source, third } = await flakyThenFailing({ flaky: "ignore" }, "flaky ignore");
    await third();
    const incidents = await incidentsOf(source.id);
    expect(incidents.map((incident) => incident.first_build)).toEqual([1]);
    const alerts = (await (await api(`/api/alerts?source_id=${source.id}`)).json()) as {
      alerts: { build_number: number; state: string }[];
    };
    expect(alerts.alerts.find((alert) => alert.build_number === 3)).toMatchObject({ state: "open" });
  });

  it("page: it opens an incident, not marked", async () => {
    const { source, third } = await flakyThenFailing({ flaky: "page" }, "flaky page");
    await third();
    const incidents = await incidentsOf(source.id);
    expect(incidents.map(({ first_build, flaky }) => ({ first_build, flaky }))).toEqual([
      { first_build: 3, flaky: false },
      { first_build: 1, flaky: false },
    ]);
  });

  it("mark (the default): the incident is marked in the API, on the dashboard and in a notification", async () => {
    const { source, third } = await flakyThenFailing({}, "flaky mark");
    const path = "/flaky-mark";
    await createDestination({
      name: "flaky mark",
      kind: "slack",
      url: `${receivers.ok}${path}`,
      match: { source_id: source.id },
    });
    await third();
    const [newest] = await incidentsOf(source.id);
    expect(newest).toMatchObject({ first_build: 3, flaky: true });
    const shown = (await (await api(`/api/incidents/${newest?.id}`)).json()) as { flaky: boolean };
    expect(shown.flaky).toBe(true);

    const session = await dashboardSession();
    for (const page of [`/incidents/${newest?.id}`, `/incidents?source_id=${source.id}`]) {
      const html = await (await dashboardPage(page, session)).text();
      expect(html).toMatch(/<span class="badge s-flaky"[^>]*>\s*flaky\s*<\/span>/);
    }

    const ofBuild3 = (list: { body: string }[]) =>
      list.map(({ body }) => body).find((body) => body.includes("#3 UNSTABLE"));
    const opened = ofBuild3(
      await eventually(
        () => receivedAt(receivers.ok, path),
        (list) => !!ofBuild3(list),
        20_000,
      ),
    );
    expect(opened).toContain('"text":"*Flaky*"');
    expect(opened).toContain("failed only on known-flaky tests");
  });
});

describe("the cost of a delivery", () => {
  /** A job of `count` failing builds (two failed tests each, every build its own commit), stored directly. */
  async function history(job: string, count: number) {
    await env.DB.prepare(
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?2)
       INSERT INTO alerts (source_id, source_name, job, job_display_name, title, build_number, phase, phase_rank,
                           status, kind, priority, state, first_seen_at, last_seen_at, commit_sha, changes_count,
                           test_summary)
       SELECT 'cost', 'cost', ?1, 'app', 't', i, 'FINALIZED', 4, 'UNSTABLE', 'ALERT', 'MEDIUM', 'open', 'x', 'x',
              'c' || i, 1, json_object('total', 10, 'failed', 2, 'passed', 8, 'skipped', 0,
                                       'failed_tests', json_array('A' || (i % 50), 'B'))
       FROM k`,
    )
      .bind(job, count)
      .run();
    await env.DB.prepare(
      `INSERT INTO test_failures (source_id, job, build_number, test, commit_sha, seen_at, flipped)
       SELECT source_id, job, build_number, t.value, commit_sha, 'x', build_number % 7 = 0
       FROM alerts CROSS JOIN json_each(test_summary, '$.failed_tests') AS t WHERE source_id = 'cost' AND job = ?1`,
    )
      .bind(job)
      .run();
  }

  /** Rows D1 reads to record the test failures of one more failing build, a rebuild of the last commit. */
  async function rowsReadForNext(job: string, count: number) {
    const uid = crypto.randomUUID();
    const summary = JSON.stringify({ total: 10, failed: 1, passed: 9, skipped: 0, failed_tests: ["A1"] });
    const next = count + 1;
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO events (event_uid, source_id, job, build_number, phase, build_timestamp, kind, priority, received_at, body)
         VALUES (?1, 'cost', ?2, ?3, 'COMPLETED', 0, 'ALERT', 'MEDIUM', 'y', '{}')`,
      ).bind(uid, job, next),
      env.DB.prepare(
        `INSERT INTO alerts (source_id, source_name, job, job_display_name, title, build_number, phase, phase_rank,
                             status, kind, priority, state, first_seen_at, last_seen_at, commit_sha, changes_count, test_summary)
         VALUES ('cost', 'cost', ?1, 'app', 't', ?2, 'COMPLETED', 3, 'UNSTABLE', 'ALERT', 'MEDIUM', 'open', 'y', 'y', ?3, 0, ?4)`,
      ).bind(job, next, `c${count}`, summary),
    ]);
    const values = {
      uid,
      source_id: "cost",
      job,
      build_number: next,
      phase_rank: 3,
      received_at: "y",
      test_summary: summary,
    };
    const result = await DELIVERY_PARAMS.bind(env.DB, recordTestFailures("one"), values as never).run();
    expect(result.meta.rows_written).toBeGreaterThan(0);
    return result.meta.rows_read;
  }

  it("reads about as many rows after 2,000 builds of the job as after 100", async () => {
    await history("cost/short", 100);
    await history("cost/long", 2000);
    const short = await rowsReadForNext("cost/short", 100);
    const long = await rowsReadForNext("cost/long", 2000);
    // Constant, not proportional to the history (a scan would read 20 times more after 2,000 builds):
    // the query plan may read a row more or less from one run to the next (34 or 35 seen), never more.
    expect(Math.abs(long - short)).toBeLessThanOrEqual(2);
    expect(long).toBeLessThan(100);
  });
});

describe("retention", () => {
  // Last in this file: it purges every alert the file stored.
  it("purges a build's test failures with its alert", async () => {
    const { source } = await flakyThenFailing({}, "flaky retention");
    const count = async () =>
      (
        await env.DB.prepare("SELECT count(*) AS n FROM test_failures WHERE source_id = ?1")
          .bind(source.id)
          .first<{ n: number }>()
      )?.n;
    expect(await count()).toBe(1);
    const kept = await purgeOldAlerts(env.DB, "0000", 1000);
    expect(kept.alerts).toBe(0);
    expect(await count()).toBe(1);
    const purged = await purgeOldAlerts(env.DB, "9999", 1000);
    expect(purged.alerts).toBeGreaterThanOrEqual(2);
    expect(await count()).toBe(0);
  });
});
