/**
 * Heartbeats (docs/incidents.md "Heartbeats"): a job's usual interval between build starts, learned from real
 * payloads or set by hand (PUT/DELETE /api/jobs/:id/heartbeat); job search by the displayed path; and
 * the index ranges the heartbeat statements read by. The cron trigger's rules: heartbeat-cron.test.ts.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_PARAMS } from "../../src/core/delivery-params";
import {
  CLEAR_DUE,
  DUE_JOBS,
  MISSED_BUILDS_OPENED,
  OPEN_MISSED_BUILDS,
  OPEN_SOURCE_SILENT,
  QUIET_SOURCES,
  SOURCE_SILENT_OPENED,
} from "../../src/heartbeats/cron-sql";
import { resolveHeartbeats } from "../../src/heartbeats/sql";
import { addJobSearch, upsertJobs } from "../../src/jobs/health-sql";
import { nowMs } from "../../src/platform/clock";
import { api, buildPayload, createSource, deliver } from "../helpers";
import {
  build,
  builds,
  HOUR,
  heartbeatOf,
  iso,
  type JobJson,
  jobNamed,
  MINUTE,
  putHeartbeat,
  type TestSource,
} from "./heartbeat-helpers";

/** Jenkins' clock for these jobs: far enough ahead that nothing here is ever due. */
const FAR = Date.parse("2045-01-01T00:00:00.000Z");

let source: TestSource;

beforeAll(async () => {
  source = await createSource("heartbeats");
});

describe("learning a job's heartbeat", () => {
  it("learns the median interval between build starts once there are five", async () => {
    // Intervals 1h, 1h, 3h, then 1h: the 3h gap does not move the median.
    const starts = [0, 1, 2, 5, 6].map((h) => FAR + h * HOUR);
    await builds(source, "hb/learns", starts.slice(0, 4));
    expect(await heartbeatOf(source, "hb/learns")).toEqual({
      mode: "learning",
      every: null,
      grace: null,
      due_at: null,
    });

    await build(source, "hb/learns", 5, starts[4] as number);
    expect(await heartbeatOf(source, "hb/learns")).toEqual({
      mode: "learned",
      every: HOUR,
      grace: 30 * MINUTE,
      due_at: iso(FAR + 6 * HOUR + HOUR + 30 * MINUTE),
    });
  });

  it("gives a learned heartbeat half its interval as grace, at least 30 minutes", async () => {
    await builds(
      source,
      "hb/nightly",
      [0, 1, 2, 3, 4].map((d) => FAR + d * 24 * HOUR),
    );
    expect(await heartbeatOf(source, "hb/nightly")).toEqual({
      mode: "learned",
      every: 24 * HOUR,
      grace: 12 * HOUR,
      due_at: iso(FAR + 4 * 24 * HOUR + 36 * HOUR),
    });
  });

  it("takes a build's start from its earliest event, or the time received when Jenkins sent 0", async () => {
    const startedTs = (number: number) =>
      env.DB.prepare("SELECT started_ts FROM alerts WHERE job = 'hb/start' AND build_number = ?1")
        .bind(number)
        .first<number>("started_ts");
    const before = nowMs();
    await deliver(buildPayload({ job: "hb/start", number: 1, phase: "QUEUED", timestamp: 0 }), {
      token: source.token,
    });
    const received = (await startedTs(1)) as number;
    expect(received).toBeGreaterThanOrEqual(before);
    expect(received).toBeLessThanOrEqual(nowMs());
    // The STARTED carries Jenkins' own (earlier) start: the earliest known wins.
    await deliver(buildPayload({ job: "hb/start", number: 1, phase: "STARTED", timestamp: before - HOUR }), {
      token: source.token,
    });
    expect(await startedTs(1)).toBe(before - HOUR);
    await build(source, "hb/start", 2, FAR);
    expect(await startedTs(2)).toBe(FAR);
  });
});

describe("PUT and DELETE /api/jobs/:id/heartbeat", () => {
  it("sets the interval by hand, turns it off, and returns to learning", async () => {
    await builds(
      source,
      "hb/manual",
      [0, 1, 2, 3, 4].map((h) => FAR + h * HOUR),
    );
    const { id } = await jobNamed(source, "hb/manual");
    const lastStart = FAR + 4 * HOUR;

    const set = await putHeartbeat(id, { every: "24h", grace: "2h" });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({
      id,
      job: "hb/manual",
      heartbeat: { mode: "manual", every: 24 * HOUR, grace: 2 * HOUR, due_at: iso(lastStart + 26 * HOUR) },
    });
    // Without a grace: half the interval, at least 30 minutes.
    const six = await (await putHeartbeat(id, { every: "6h" })).json();
    expect(six).toMatchObject({ heartbeat: { mode: "manual", every: 6 * HOUR, grace: 3 * HOUR } });
    // A later build keeps the hand-set interval.
    await build(source, "hb/manual", 6, FAR + 5 * HOUR);
    expect(await heartbeatOf(source, "hb/manual")).toEqual({
      mode: "manual",
      every: 6 * HOUR,
      grace: 3 * HOUR,
      due_at: iso(FAR + 5 * HOUR + 9 * HOUR),
    });

    const off = await putHeartbeat(id, { off: true });
    expect(off.status).toBe(200);
    expect((await off.json()) as JobJson).toMatchObject({
      heartbeat: { mode: "off", every: null, grace: null, due_at: null },
    });
    await build(source, "hb/manual", 7, FAR + 6 * HOUR);
    expect(await heartbeatOf(source, "hb/manual")).toMatchObject({ mode: "off", due_at: null });

    const learning = await api(`/api/jobs/${id}/heartbeat`, { method: "DELETE" });
    expect(learning.status).toBe(200);
    expect(((await learning.json()) as JobJson).heartbeat).toEqual({
      mode: "learned",
      every: HOUR,
      grace: 30 * MINUTE,
      due_at: iso(FAR + 6 * HOUR + 90 * MINUTE),
    });
    const shown = await api(`/api/jobs/${id}`);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toEqual(await jobNamed(source, "hb/manual"));
  });

  it("returns a job with too few starts to learning", async () => {
    await builds(source, "hb/young", [FAR, FAR + HOUR]);
    const { id } = await jobNamed(source, "hb/young");
    await putHeartbeat(id, { every: "2h" });
    const res = await api(`/api/jobs/${id}/heartbeat`, { method: "DELETE" });
    expect(((await res.json()) as JobJson).heartbeat).toEqual({
      mode: "learning",
      every: null,
      grace: null,
      due_at: null,
    });
  });

  it("answers 400 naming the field for an invalid body, and changes nothing", async () => {
    await builds(source, "hb/invalid", [FAR, FAR + HOUR]);
    const { id } = await jobNamed(source, "hb/invalid");
    const before = await (await api(`/api/jobs/${id}`)).json();
    const cases: [unknown, { path: string; message: string }[]][] = [
      [{}, [{ path: "every", message: "is required unless off is true" }]],
      [{ grace: "1h" }, [{ path: "every", message: "is required unless off is true" }]],
      [{ every: "24" }, [{ path: "every", message: 'expected a duration such as "30m", "6h" or "2d"' }]],
      [{ every: "1.5h" }, [{ path: "every", message: 'expected a duration such as "30m", "6h" or "2d"' }]],
      [{ every: 3600 }, [{ path: "every", message: "expected string" }]],
      [{ every: "4m" }, [{ path: "every", message: "at least 5m: the cron trigger looks every 5 minutes" }]],
      [{ every: "367d" }, [{ path: "every", message: "at most 366d" }]],
      [
        { every: "1h", grace: "soon" },
        [{ path: "grace", message: 'expected a duration such as "30m", "6h" or "2d"' }],
      ],
      [{ off: "yes" }, [{ path: "off", message: "expected boolean" }]],
      [{ off: true, every: "1h" }, [{ path: "off", message: "cannot be true together with every or grace" }]],
      [{ off: false }, [{ path: "every", message: "is required unless off is true" }]],
    ];
    for (const [body, errors] of cases) {
      const res = await putHeartbeat(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
      expect(await res.json(), JSON.stringify(body)).toMatchObject({ errors });
    }
    const notJson = await api(`/api/jobs/${id}/heartbeat`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: "{every",
    });
    expect(notJson.status).toBe(400);
    expect(await (await api(`/api/jobs/${id}`)).json()).toEqual(before);
  });

  it("answers 404 for no such job, 400 for what is not a job id, 405 for other methods", async () => {
    expect((await putHeartbeat(99_999_999, { every: "1h" })).status).toBe(404);
    expect((await api("/api/jobs/99999999/heartbeat", { method: "DELETE" })).status).toBe(404);
    expect((await api("/api/jobs/99999999")).status).toBe(404);
    const res = await putHeartbeat("x", { every: "1h" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ path: "id", message: "expected a job id" }] });
    expect((await api("/api/jobs/1/heartbeat")).status).toBe(405);
  });
});

describe("job search", () => {
  it("finds a multibranch job by any substring of 3 or more characters of its displayed path", async () => {
    const job = "acme/web-shop/feature%2Flogin";
    await build(source, job, 1, FAR);
    await build(source, job, 2, FAR + HOUR);
    const found = await jobNamed(source, job);
    expect(found.job_path).toBe("acme/web-shop/feature/login");
    const search = async (text: string) =>
      (
        await env.DB.prepare("SELECT rowid FROM job_search WHERE job_search MATCH ?1")
          .bind(`"${text}"`)
          .all<{ rowid: number }>()
      ).results.map((row) => row.rowid);
    // Once per job, however many events it had.
    expect(await search("web-shop/feature/log")).toEqual([found.id]);
    expect(await search("ature/lo")).toEqual([found.id]);
    // The trigram index cannot answer fewer than 3 characters: no rows.
    expect(await search("we")).toEqual([]);
  });
});

describe("index use", () => {
  /** SQLite's plan for `sql`, one line per step. */
  async function plan(statement: D1PreparedStatement) {
    return (await statement.all<{ detail: string }>()).results.map((row) => row.detail);
  }
  const atIngest = (sql: string) =>
    plan(
      DELIVERY_PARAMS.bind(
        env.DB,
        `EXPLAIN QUERY PLAN ${sql}`,
        {} as Parameters<typeof DELIVERY_PARAMS.bind>[2],
      ),
    );
  const inCron = (sql: string, ...values: unknown[]) =>
    plan(env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...values));
  /** Steps that read a whole table (source_stats holds a row per source: reading it all is fine). */
  const fullScans = (steps: string[]) =>
    steps.filter((step) => /^SCAN (alerts|events|jobs|incidents|incident_events)\b/.test(step));

  it("reads alerts, jobs and incidents by index ranges at ingest and in the cron trigger", async () => {
    const upsert = await atIngest(upsertJobs("one"));
    expect(upsert).toContain("SEARCH alerts USING INDEX sqlite_autoindex_alerts_1 (source_id=? AND job=?)");
    expect(upsert).toContain(
      "SEARCH stored USING INDEX sqlite_autoindex_jobs_1 (source_id=? AND job=?) LEFT-JOIN",
    );
    expect(await atIngest(resolveHeartbeats("one"))).toContain(
      "SEARCH i USING INDEX incidents_one_open (source_id=? AND <expr>=? AND kind=?)",
    );
    expect(await inCron(DUE_JOBS, "now", 1)).toEqual([
      "SEARCH jobs USING INDEX jobs_heartbeat_due (heartbeat_due_at<?)",
    ]);
    const steps = [
      upsert,
      await atIngest(addJobSearch("one")),
      await atIngest(resolveHeartbeats("one")),
      await inCron(OPEN_MISSED_BUILDS, "[]", "now"),
      await inCron(MISSED_BUILDS_OPENED, "[]", "now"),
      await inCron(CLEAR_DUE, "[]", "now"),
      await inCron(QUIET_SOURCES, "now", 1),
      await inCron(OPEN_SOURCE_SILENT, "id", "name", "now", "cutoff"),
      await inCron(SOURCE_SILENT_OPENED, "id", "name", "now"),
    ];
    expect(steps.flatMap(fullScans)).toEqual([]);
  });
});
