/** The query plans of ingest's statements (no full scan of alerts or events), and how many a delivery takes. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { syncTimeline } from "../../src/incidents/timeline-sql";
import { INSERT_STAGED_EVENTS } from "../../src/ingest/sql";
import { BATCH_STATEMENTS, statementsFor } from "../../src/ingest/store";
import { countingD1 } from "../fault-bindings";
import { buildPayload, createSource, deliver } from "../helpers";

/** Every set-based statement, for one delivery bound as parameters and for a staged queue batch. */
const STATEMENTS = (["one", "batch"] as const).flatMap((from) =>
  Object.entries({
    ...statementsFor(from),
    ...(from === "batch" ? { events: INSERT_STAGED_EVENTS } : {}),
  }).map(([name, sql]) => [`${name} (${from})`, sql] as const),
);

describe("ingest statement plans", () => {
  it.each(STATEMENTS)("%s reads alerts, events and incidents by index", async (_name, sql) => {
    const count = Math.max(0, ...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])));
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql.replace(/RETURNING[\s\S]*$/, "")}`)
      .bind(...Array.from({ length: count }, (_, i) => (i === 0 ? null : `v${i}`)))
      .all<{ detail: string }>();
    const details = results.map((r) => r.detail);
    expect(
      details.filter((d) =>
        /^SCAN (alerts|events|incidents|incident_events|jobs|test_failures)\b(?! USING)/.test(d),
      ),
    ).toEqual([]);
  });
});

/** Binds the synchronous path's timeline sync for a delivery with these values, its event stored. */
async function syncFor(values: Record<string, unknown>) {
  const uid = crypto.randomUUID();
  await env.DB.prepare(
    `INSERT INTO events (event_uid, source_id, job, build_number, phase, build_timestamp, kind, priority, received_at, body)
     VALUES (?1, ?2, ?3, ?4, 'COMPLETED', 0, 'ALERT', 'HIGH', ?5, '{}')`,
  )
    .bind(uid, values.source_id, values.job, values.build_number, values.received_at)
    .run();
  const { DELIVERY_PARAMS } = await import("../../src/core/delivery-params");
  return DELIVERY_PARAMS.bind(env.DB, syncTimeline("one"), { ...values, uid } as never).all<{
    type: string;
  }>();
}

describe("the timeline sync's cost does not grow with history", () => {
  it("reads a handful of rows for a delivery, however many incidents were resolved before", async () => {
    // 5,000 resolved incidents of other jobs (history).
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
       INSERT INTO incidents (kind, source_id, source_name, job, after_build, state, priority, opened_at,
                              resolved_at, resolved_by, updated_at)
       SELECT 'failure', 'history', 'history', 'job-' || i, 0, 'resolved', 'HIGH', '2026-01-01T00:00:00.000Z',
              '2026-01-01T00:00:00.000Z', 'build', '2026-01-01T00:00:00.000Z' FROM n`,
    ).run();
    const result = await syncFor({
      source_id: "x-source",
      job: "x-job",
      received_at: "x-at",
      build_number: 1,
    });
    expect(result.meta.rows_read).toBeLessThan(100);
  });
});

describe("the timeline sync's cost does not grow with a long streak", () => {
  it("reads a handful of rows for a failing build joining an incident of 2,000 builds", async () => {
    const at = "2026-01-02T00:00:00.000Z";
    const incident = await env.DB.prepare(
      `INSERT INTO incidents (kind, source_id, source_name, job, after_build, state, priority, first_build,
                              last_build, build_count, opened_at, updated_at)
       VALUES ('failure', 'streak', 'streak', 'long', 0, 'open', 'HIGH', 1, 2001, 2001, ?1, ?1) RETURNING id`,
    )
      .bind(at)
      .first<number>("id");
    await env.DB.batch([
      env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2001)
         INSERT INTO alerts (source_id, source_name, job, job_display_name, build_number, phase, phase_rank,
                             status, kind, priority, title, first_seen_at, last_seen_at, state, incident_id,
                             incident_priority)
         SELECT 'streak', 'streak', 'long', 'long', i, 'FINALIZED', 4, 'FAILURE', 'ALERT', 'HIGH', 'long #' || i,
                ?1, ?1, 'open', ?2, 'HIGH' FROM n`,
      ).bind(at, incident),
      env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
         INSERT INTO incident_events (incident_id, type, at, build_number, by)
         SELECT ?2, CASE i WHEN 1 THEN 'opened' ELSE 'joined' END, ?1, i, 'build' FROM n`,
      ).bind(at, incident),
    ]);
    const result = await syncFor({
      source_id: "streak",
      job: "long",
      received_at: at,
      build_number: 2001,
      kind: "ALERT",
      phase_rank: 3,
    });
    expect(result.results.map((entry) => entry.type)).toEqual(["joined"]);
    expect(result.meta.rows_read).toBeLessThan(100);
  });
});

describe("the statement budget of a delivery", () => {
  it.each([
    { what: "a running build", phase: "STARTED", status: undefined, count: 9 },
    { what: "a failed build", phase: "COMPLETED", status: "FAILURE", count: 12 },
    { what: "a green build", phase: "FINALIZED", status: "SUCCESS", count: 14 },
  ])("stores $what in one batch of $count statements", async ({ phase, status, count }) => {
    const { token } = await createSource(`budget ${phase}`);
    const counted = countingD1(env.DB);
    const body = buildPayload({ job: "budget", number: 1, phase, status });
    expect((await deliver(body, { token, env: { DB: counted.db } })).status).toBe(200);
    expect(Math.max(...counted.calls.batches)).toBe(count);
    // A delivery alone takes no more than a queue batch of any size does.
    expect(count).toBeLessThanOrEqual(BATCH_STATEMENTS);
  });
});
