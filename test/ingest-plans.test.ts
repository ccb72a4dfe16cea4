/** The query plans of ingest's incident statements (no full scan of alerts or events). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RESOLVE_HEARTBEATS } from "../src/db/heartbeat-sql";
import {
  linkSegmentAlerts,
  MOVE_INCIDENT_ABOVE_GREEN,
  SYNC_TIMELINE,
  upsertSegmentIncident,
} from "../src/db/incident-sql";
import { COUNT_ACCEPTED } from "../src/db/ingest-sql";
import { JOB_SEARCH, UPSERT_JOB } from "../src/db/job-health-sql";

const STATEMENTS = {
  upsertBelow: upsertSegmentIncident("below"),
  upsertAt: upsertSegmentIncident("at"),
  linkBelow: linkSegmentAlerts("below"),
  linkAt: linkSegmentAlerts("at"),
  move: MOVE_INCIDENT_ABOVE_GREEN,
  sync: SYNC_TIMELINE,
  heartbeats: RESOLVE_HEARTBEATS,
  job: UPSERT_JOB,
  jobSearch: JOB_SEARCH,
  counted: COUNT_ACCEPTED,
};

describe("ingest incident statement plans", () => {
  it.each(Object.entries(STATEMENTS))(
    "%s reads alerts, events and incidents by index",
    async (_name, sql) => {
      const count = Math.max(...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])));
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql.replace(/RETURNING[\s\S]*$/, "")}`)
        .bind(...Array.from({ length: count }, (_, i) => (i === 0 ? null : `v${i}`)))
        .all<{ detail: string }>();
      const details = results.map((r) => r.detail);
      expect(
        details.filter((d) => /^SCAN (alerts|events|incidents|incident_events)\b(?! USING)/.test(d)),
      ).toEqual([]);
    },
  );
});

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
    const { DELIVERY_PARAMS } = await import("../src/db/delivery-params");
    const values = Object.fromEntries(
      ["source_id", "job", "received_at", "build_number", "uid"].map((k) => [
        k,
        k === "build_number" ? 1 : `x-${k}`,
      ]),
    ) as never;
    const result = await DELIVERY_PARAMS.bind(env.DB, SYNC_TIMELINE, values).run();
    expect(result.meta.rows_read).toBeLessThan(100);
  });
});
