/**
 * A destination's recent deliveries (the dashboard's destinations page): the last few notifications of
 * each destination asked about, newest incident first, none of another destination's.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  RECENT_DELIVERIES,
  RECENT_DELIVERIES_SQL,
  recentDeliveries,
} from "../../../src/notify/destinations/deliveries";

/** `count` notifications ("opened", delivered) of destination `destination`, for incidents 1…count. */
async function owe(destination: number, count: number) {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
     INSERT INTO notifications (incident_id, destination_id, event, state, attempts, last_status, created_at,
       next_attempt_at, delivered_at)
     SELECT i, ?1, 'opened', 'delivered', 1, 200, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
       '2026-01-01T00:00:01.000Z' FROM n`,
  )
    .bind(destination, count)
    .run();
}

describe("recentDeliveries", () => {
  it("gives each destination its last notifications, newest incident first, and an empty list to one without", async () => {
    await owe(9001, 300);
    await owe(9002, 2);
    const found = await recentDeliveries(env.DB, [9001, 9002, 9003]);
    expect(found.get(9001)?.map((d) => d.incident_id)).toEqual([300, 299, 298, 297, 296]);
    expect(found.get(9001)).toHaveLength(RECENT_DELIVERIES);
    expect(found.get(9002)?.map((d) => d.incident_id)).toEqual([2, 1]);
    expect(found.get(9003)).toEqual([]);
    expect(found.get(9001)?.[0]).toMatchObject({ event: "opened", state: "delivered", last_status: 200 });
    expect(await recentDeliveries(env.DB, [])).toEqual(new Map());
  });

  it("reads as many rows for 2,000 notifications a destination as for 20 (the page's cost)", async () => {
    const rowsRead = async (ids: number[]) =>
      (await env.DB.prepare(RECENT_DELIVERIES_SQL).bind(JSON.stringify(ids), RECENT_DELIVERIES).all()).meta
        .rows_read;
    await Promise.all([owe(9101, 20), owe(9102, 20), owe(9201, 2000), owe(9202, 2000)]);
    const few = await rowsRead([9101, 9102]);
    const many = await rowsRead([9201, 9202]);
    console.log(JSON.stringify({ measured: "recent deliveries rows_read", few, many }));
    expect(many).toBe(few);
    // Measured: 42 rows for the 10 shown (the index, the rows, the sort); at most five a row shown.
    expect(few).toBeLessThanOrEqual(5 * 2 * RECENT_DELIVERIES);
  });
});
