/**
 * Escalations by index: an older incident that is due escalates once, however many newer incidents are
 * open, acknowledged or silenced (the trigger used to read only the newest 500 unresolved ones). Through
 * the real cron trigger, NOTIFY_QUEUE and a receiver on loopback.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { receivedAt } from "../../fixtures/receivers.ts";
import worker from "../../src/index";
import { createDestination, eventually } from "../helpers";
import { incidentSource as setup } from "../incidents/incident-source";

const receivers = inject("receivers");

/** Newer incidents of each sort inserted in one statement each: acknowledged, silenced, open but not due. */
const NEWER_EACH = 200;

const received = (path: string) => receivedAt(receivers.ok, path);

/** `count` incidents of `sourceId`, jobs `<prefix>-1…`, all opened at `openedAt`: one statement. */
async function insertIncidents(
  sourceId: string,
  prefix: string,
  count: number,
  openedAt: string,
  state: { state: "open" | "acknowledged"; silenced: 0 | 1 },
) {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
     INSERT INTO incidents (kind, source_id, source_name, job, state, priority, opened_at, acknowledged_at,
                            silenced, updated_at)
     SELECT 'failure', ?1, 'bulk', ?3 || '-' || i, ?5, 'HIGH', ?4,
            CASE WHEN ?5 = 'acknowledged' THEN ?4 END, ?6, ?4
     FROM n`,
  )
    .bind(sourceId, count, prefix, openedAt, state.state, state.silenced)
    .run();
}

const minute = async (at: number, overrides: Partial<Env> = {}) => {
  const ctx = createExecutionContext();
  const controller = createScheduledController({ scheduledTime: at, cron: "* * * * *" });
  await worker.scheduled(controller, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
};

/** The escalated rows of a source's incidents. */
async function escalatedOf(sourceId: string): Promise<{ incident_id: number }[]> {
  const { results } = await env.DB.prepare(
    `SELECT n.incident_id FROM notifications n JOIN incidents i ON i.id = n.incident_id
     WHERE i.source_id = ?1 AND n.event = 'escalated'`,
  )
    .bind(sourceId)
    .all<{ incident_id: number }>();
  return results;
}

describe("escalations", () => {
  it("escalates an older due incident exactly once behind 600 newer unresolved ones", async () => {
    const { source, finish, incidentOf } = await setup("escalate: many");
    const path = "/escalate-many";
    await createDestination({
      name: "on call",
      kind: "webhook",
      url: `${receivers.ok}${path}`,
      match: { source_id: source.id },
      on: ["opened", "escalated"],
      escalate_after: "1m",
    });
    await finish("escalate/old", 1, "FAILURE");
    await eventually(
      () => received(path),
      (list) => list.length === 1,
      20_000,
    );
    const old = await incidentOf("escalate/old");
    const openedMs = Date.parse(old.opened_at);
    // The trigger runs two minutes after the old incident opened: it is due, the open newer ones are not.
    const trigger = openedMs + 2 * 60_000;
    const newer = new Date(openedMs + 1_000).toISOString();
    await insertIncidents(source.id, "acked", NEWER_EACH, newer, { state: "acknowledged", silenced: 0 });
    await insertIncidents(source.id, "silenced", NEWER_EACH, newer, { state: "open", silenced: 1 });
    const notDue = new Date(trigger - 10_000).toISOString();
    await insertIncidents(source.id, "fresh", NEWER_EACH, notDue, { state: "open", silenced: 0 });

    await minute(trigger);
    await minute(trigger + 1_000); // once only
    const both = await eventually(
      () => received(path),
      (list) => list.length === 2,
      20_000,
    );
    expect(both.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
      "incident.opened",
      "incident.escalated",
    ]);
    // The old one, once; none of the acknowledged, silenced or not yet due ones.
    expect(await escalatedOf(source.id)).toEqual([{ incident_id: old.id }]);
  });

  it("reads only what fell due lately each minute, and every incident still owed on the hour", async () => {
    const { source } = await setup("escalate: hourly");
    await createDestination({
      name: "on call, hourly",
      kind: "webhook",
      url: `${receivers.ok}/escalate-hourly`,
      match: { source_id: source.id },
      on: ["escalated"],
      escalate_after: "5m",
    });
    // Fell due three hours before the runs below: un-silenced since, or passed over by a cron outage.
    // (Years before the other tests' incidents, which are therefore not due for their destination.)
    const hour = Date.parse("2020-05-06T10:00:00.000Z");
    await insertIncidents(source.id, "long-due", 1, new Date(hour - 3 * 3_600_000).toISOString(), {
      state: "open",
      silenced: 0,
    });
    await minute(hour - 60_000); // 09:59: a minute's pass, which looks back 15 minutes only
    expect(await escalatedOf(source.id)).toEqual([]);
    await minute(hour); // 10:00: the full pass
    expect(await escalatedOf(source.id)).toHaveLength(1);
    await minute(hour + 3_600_000); // 11:00: owed once only
    expect(await escalatedOf(source.id)).toHaveLength(1);
  });

  it("goes on with a full pass the next minute when one run's budget could not escalate them all", async () => {
    const { source } = await setup("escalate: backlog");
    await createDestination({
      name: "on call, backlog",
      kind: "webhook",
      url: `${receivers.ok}/escalate-backlog`,
      match: { source_id: source.id },
      on: ["escalated"],
      escalate_after: "5m",
    });
    const hour = Date.parse("2020-05-07T10:00:00.000Z");
    await insertIncidents(source.id, "backlog", 30, new Date(hour - 3 * 3_600_000).toISOString(), {
      state: "open",
      silenced: 0,
    });
    // A budget of 20 queries: the sweep's, the destinations, the cursor, a page, then room for a few rows.
    const tight = { D1_QUERIES_PER_INVOCATION: "20" };
    await minute(hour, tight);
    const first = (await escalatedOf(source.id)).length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(30);
    for (let i = 1; i <= 5; i++) await minute(hour + i * 60_000, tight); // minutes, not the next hour
    expect(await escalatedOf(source.id)).toHaveLength(30);
  });

  it("selects what is due through the index, not by scanning incidents", async () => {
    const { results } = await env.DB.prepare(
      `EXPLAIN QUERY PLAN SELECT id FROM incidents INDEXED BY incidents_to_escalate
       WHERE state = 'open' AND silenced = 0 AND opened_at <= ?1 AND (opened_at, id) > (?2, ?3)
       ORDER BY opened_at, id LIMIT 500`,
    )
      .bind("2026-01-01T00:00:00.000Z", "", 0)
      .all<{ detail: string }>();
    expect(results.map((row) => row.detail).join("\n")).toMatch(
      /SEARCH incidents USING (COVERING )?INDEX incidents_to_escalate/,
    );
  });
});
