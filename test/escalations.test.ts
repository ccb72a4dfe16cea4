/**
 * Escalations by index: an older incident that is due escalates once, however many newer incidents are
 * open, acknowledged or silenced (the trigger used to read only the newest 500 unresolved ones). Through
 * the real cron trigger, NOTIFY_QUEUE and a receiver on loopback.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import worker from "../src/index";
import { api, eventually } from "./helpers";
import { incidentSource as setup } from "./incident-source";

const receivers = inject("receivers");

/** Newer incidents of each sort inserted in one statement each: acknowledged, silenced, open but not due. */
const NEWER_EACH = 200;

async function received(path: string): Promise<{ body: string }[]> {
  const res = await fetch(`${receivers.ok}/__received?path=${encodeURIComponent(path)}`);
  return (await res.json()) as { body: string }[];
}

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

describe("escalations", () => {
  it("escalates an older due incident exactly once behind 600 newer unresolved ones", async () => {
    const { source, finish, incidentOf } = await setup("escalate: many");
    const path = "/escalate-many";
    const res = await api("/api/destinations", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        name: "on call",
        kind: "webhook",
        url: `${receivers.ok}${path}`,
        match: { source_id: source.id },
        on: ["opened", "escalated"],
        escalate_after: "1m",
      }),
    });
    expect(res.status).toBe(201);
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

    const minute = async (at: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
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
    const { results } = await env.DB.prepare(
      `SELECT n.incident_id FROM notifications n JOIN incidents i ON i.id = n.incident_id
       WHERE i.source_id = ?1 AND n.event = 'escalated'`,
    )
      .bind(source.id)
      .all<{ incident_id: number }>();
    // The old one, once; none of the acknowledged, silenced or not yet due ones.
    expect(results).toEqual([{ incident_id: old.id }]);
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
