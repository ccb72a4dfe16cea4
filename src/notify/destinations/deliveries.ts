/**
 * Each destination's recent deliveries, for the dashboard's destinations page: the last few
 * notifications owed to it, newest first, with how their last attempt went (state, attempts, status,
 * error). Test messages are not stored, so they are not among them.
 */
import type { Notification } from "../store";

/** How many notifications per destination the page shows. */
export const RECENT_DELIVERIES = 5;

/** A notification as a destination's list shows it. */
export type Delivery = Pick<
  Notification,
  | "id"
  | "incident_id"
  | "event"
  | "state"
  | "attempts"
  | "last_status"
  | "last_error"
  | "created_at"
  | "delivered_at"
  | "gave_up_at"
>;

/**
 * The query: `?1` the destination ids (a JSON array), `?2` how many each. Each destination's rows are read
 * newest incident first from `notifications_by_destination`, at most `?2` of them, so what it reads
 * follows the number of destinations, not of notifications (measured: 42 rows for two destinations,
 * with 20 or with 2,000 notifications each).
 */
export const RECENT_DELIVERIES_SQL = `SELECT n.destination_id, n.id, n.incident_id, n.event, n.state, n.attempts,
  n.last_status, n.last_error, n.created_at, n.delivered_at, n.gave_up_at
  FROM json_each(?1) d
  JOIN notifications n ON n.id IN (
    SELECT id FROM notifications WHERE destination_id = d.value ORDER BY incident_id DESC, id DESC LIMIT ?2)
  ORDER BY n.destination_id, n.incident_id DESC, n.id DESC`;

/**
 * Destination id → its last {@link RECENT_DELIVERIES} notifications, newest first, in one query
 * ({@link RECENT_DELIVERIES_SQL}).
 */
export async function recentDeliveries(
  db: D1Database,
  destinationIds: readonly number[],
): Promise<Map<number, Delivery[]>> {
  const found = new Map<number, Delivery[]>(destinationIds.map((id) => [id, []]));
  if (destinationIds.length === 0) return found;
  const { results } = await db
    .prepare(RECENT_DELIVERIES_SQL)
    .bind(JSON.stringify(destinationIds), RECENT_DELIVERIES)
    .all<Delivery & { destination_id: number }>();
  for (const { destination_id, ...delivery } of results) found.get(destination_id)?.push(delivery);
  return found;
}
