/**
 * Notification rows (migrations/0006_notifications.sql): what each incident owes each destination,
 * and every attempt's outcome. The state changes are single statements guarded by the state they
 * expect, so a redelivered queue message, the sweep and a "send again" cannot send a row twice at
 * once or move it backwards.
 */
import { type AuditEntry, auditStatement, CHANGED } from "../audit/entry";

export type NotificationEvent = "opened" | "acknowledged" | "escalated" | "resolved";
export type NotificationState = "pending" | "waiting" | "delivered" | "failed" | "skipped";

export interface Notification {
  id: number;
  incident_id: number;
  destination_id: number;
  event: NotificationEvent;
  state: NotificationState;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  next_attempt_at: string;
  delivered_at: string | null;
  gave_up_at: string | null;
  /**
   * The Standard Webhooks `webhook-id`: random (`msg_` and 128 bits in hex), made once with the row, so
   * every retry and "send again" carry it and no other installation or restored database makes it again.
   * Null only for a row the previous Worker version wrote during an upgrade, until its claim sets it.
   */
  message_id: string | null;
}

const COLUMNS = `id, incident_id, destination_id, event, state, attempts, last_status, last_error, created_at,
  next_attempt_at, delivered_at, gave_up_at, message_id`;

/** How long one attempt may hold a row before another consumer may try it (the send times out sooner). */
const LEASE_MS = 60_000;

/**
 * The state a follow-up (acknowledged, escalated, resolved) starts in, from its "opened" to the same
 * destination: sent once "opened" was delivered, held while it is on its way (or while the incident's
 * "opened" entry is still to be routed: queues keep no order), never if it was not.
 */
const FOLLOW_UP_STATE = (incident: string, destination: string) => `
  CASE (SELECT state FROM notifications
        WHERE incident_id = ${incident} AND destination_id = ${destination} AND event = 'opened')
    WHEN 'delivered' THEN 'pending' WHEN 'pending' THEN 'waiting' WHEN 'waiting' THEN 'waiting'
    WHEN 'failed' THEN 'skipped' WHEN 'skipped' THEN 'skipped'
    ELSE CASE WHEN EXISTS (SELECT 1 FROM incident_events WHERE incident_id = ${incident}
                           AND type IN ('opened', 'unsilenced') AND routed_at IS NULL)
         THEN 'waiting' ELSE 'skipped' END END`;

export interface Owed {
  incidentId: number;
  destinationId: number;
  event: NotificationEvent;
  /** The destination also receives "opened": a follow-up waits for it. */
  afterOpened: boolean;
  /** "opened" of a silenced incident: held until the silence ends. */
  held: boolean;
}

/**
 * The statement that records one owed notification: new rows only (the same event routed again
 * changes nothing), except that "opened" held by a silence is released by the silence's end.
 */
export function oweStatement(db: D1Database, owed: Owed, now: string): D1PreparedStatement {
  const state =
    owed.event === "opened" || !owed.afterOpened
      ? owed.held
        ? "'waiting'"
        : "'pending'"
      : FOLLOW_UP_STATE("?1", "?2");
  return db
    .prepare(
      `INSERT INTO notifications (incident_id, destination_id, event, state, created_at, next_attempt_at,
         message_id)
       VALUES (?1, ?2, ?3, ${state}, ?4, ?4, 'msg_' || lower(hex(randomblob(16))))
       ON CONFLICT (incident_id, event, destination_id) DO UPDATE SET state = 'pending', next_attempt_at = ?4
         WHERE notifications.state = 'waiting' AND notifications.event = 'opened' AND ?5 = 0
       RETURNING id, state`,
    )
    .bind(owed.incidentId, owed.destinationId, owed.event, now, owed.held ? 1 : 0);
}

/** A row taken for an attempt: it always has its webhook-id by then. */
export type ClaimedNotification = Notification & { message_id: string };

/**
 * Takes a due pending row for one attempt (counting it), or null when it is not to be sent now:
 * already delivered or given up, held, not due yet, or in another consumer's hands.
 */
export async function claimNotification(
  db: D1Database,
  id: number,
  now: Date,
): Promise<ClaimedNotification | null> {
  const at = now.toISOString();
  return (
    db
      .prepare(
        // A row the previous Worker version wrote after the migration (migrations run before the new
        // code is live) has no message_id yet: it gets the one that version sent it under.
        `UPDATE notifications SET attempts = attempts + 1, lease_until = ?3,
         message_id = coalesce(message_id, 'itoc_incident' || incident_id || '_' || event || '_destination' || destination_id)
       WHERE id = ?1 AND state = 'pending' AND next_attempt_at <= ?4 AND (lease_until IS NULL OR lease_until < ?2)
       RETURNING ${COLUMNS}`,
      )
      // A queue message may come back a moment before the delay it was given: allow 2 s.
      .bind(
        id,
        at,
        new Date(now.getTime() + LEASE_MS).toISOString(),
        new Date(now.getTime() + 2000).toISOString(),
      )
      .first<ClaimedNotification>()
  );
}

/**
 * When a row that could not be claimed can be: a pending one not due yet (a queue message a little early)
 * or held by an attempt's lease (one cut short, or "send again" racing it), at the later of the two;
 * null when the row is done, held for "opened", or gone.
 */
export async function claimableAt(db: D1Database, id: number): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT max(next_attempt_at, coalesce(lease_until, '')) AS at FROM notifications
       WHERE id = ?1 AND state = 'pending'`,
    )
    .bind(id)
    .first<{ at: string }>();
  return row?.at ?? null;
}

/**
 * Delivered: the row is done (with where a Slack app's message landed, `posted`), and the follow-ups
 * held for it are released (their ids, to send).
 */
export async function markDelivered(
  db: D1Database,
  row: Notification,
  status: number,
  now: string,
  posted: SlackThread | null = null,
): Promise<number[]> {
  const [, released] = await db.batch<{ id: number }>([
    db
      .prepare(
        `UPDATE notifications SET state = 'delivered', last_status = ?2, last_error = NULL, delivered_at = ?3,
           lease_until = NULL, slack_channel = ?4, slack_ts = ?5 WHERE id = ?1`,
      )
      .bind(row.id, status, now, posted?.channel ?? null, posted?.ts ?? null),
    db
      .prepare(
        `UPDATE notifications SET state = 'pending', next_attempt_at = ?3
         WHERE incident_id = ?1 AND destination_id = ?2 AND state = 'waiting' AND event != 'opened' AND ?4 = 'opened'
         RETURNING id`,
      )
      .bind(row.incident_id, row.destination_id, now, row.event),
  ]);
  return (released?.results ?? []).map((r) => r.id);
}

/** Where an incident's first message to a Slack app destination is: its channel and `ts`. */
export interface SlackThread {
  channel: string;
  ts: string;
}

/** Where the incident's first message to a Slack app destination landed; null when it did not. */
export async function slackThreadOf(
  db: D1Database,
  incidentId: number,
  destinationId: number,
): Promise<SlackThread | null> {
  return db
    .prepare(
      `SELECT slack_channel AS channel, slack_ts AS ts FROM notifications
       WHERE incident_id = ?1 AND destination_id = ?2 AND event = 'opened' AND slack_ts IS NOT NULL`,
    )
    .bind(incidentId, destinationId)
    .first<SlackThread>();
}

/** Another attempt later: the answer is recorded, the row stays pending until `nextAt`. */
export async function markRetry(
  db: D1Database,
  id: number,
  status: number | null,
  error: string | null,
  nextAt: string,
): Promise<void> {
  await db
    .prepare(
      `UPDATE notifications SET last_status = ?2, last_error = ?3, next_attempt_at = ?4, lease_until = NULL
       WHERE id = ?1 AND state = 'pending'`,
    )
    .bind(id, status, error, nextAt)
    .run();
}

/**
 * Waiting for DESTINATIONS_KEY ({@link keyWaitSeconds}): the receiver was never tried, so the attempt
 * the claim counted is taken back; the row stays pending until `nextAt`, `last_error` saying why.
 */
export async function markKeyWait(db: D1Database, id: number, error: string, nextAt: string): Promise<void> {
  await db
    .prepare(
      `UPDATE notifications SET attempts = max(attempts - 1, 0), last_error = ?2, next_attempt_at = ?3,
         lease_until = NULL
       WHERE id = ?1 AND state = 'pending'`,
    )
    .bind(id, error, nextAt)
    .run();
}

/** Given up: the row is done, and if it was "opened", its held follow-ups will never be sent. */
export async function markFailed(
  db: D1Database,
  row: Pick<Notification, "id" | "incident_id" | "destination_id" | "event">,
  status: number | null,
  error: string | null,
  now: string,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE notifications SET state = 'failed', last_status = coalesce(?2, last_status), last_error = ?3,
           gave_up_at = ?4, lease_until = NULL
         WHERE id = ?1 AND state IN ('pending', 'waiting')`,
      )
      .bind(row.id, status, error, now),
    db
      .prepare(
        `UPDATE notifications SET state = 'skipped'
         WHERE incident_id = ?1 AND destination_id = ?2 AND state = 'waiting' AND event != 'opened' AND ?3 = 'opened'`,
      )
      .bind(row.incident_id, row.destination_id, row.event),
  ]);
}

/** "opened" of an incident silenced since it was owed: held until the silence ends. */
export async function markHeld(db: D1Database, id: number): Promise<void> {
  await db
    .prepare(
      `UPDATE notifications SET state = 'waiting', lease_until = NULL WHERE id = ?1 AND state = 'pending'`,
    )
    .bind(id)
    .run();
}

/**
 * "Send again" (the incident page): a delivered or given-up row goes back to pending with a fresh
 * schedule, under the same webhook-id (a receiver that already processed it may drop it).
 */
export async function sendAgain(
  db: D1Database,
  incidentId: number,
  id: number,
  now: string,
  audit: AuditEntry,
): Promise<boolean> {
  const [again] = await db.batch([
    db
      .prepare(
        `UPDATE notifications SET state = 'pending', attempts = 0, next_attempt_at = ?3, gave_up_at = NULL,
           lease_until = NULL
         WHERE id = ?1 AND incident_id = ?2 AND state IN ('delivered', 'failed', 'skipped') RETURNING id`,
      )
      .bind(id, incidentId, now),
    auditStatement(db, audit, now, { when: CHANGED }),
    // "opened" again: the follow-ups skipped because it had given up wait for it once more.
    db
      .prepare(
        `UPDATE notifications SET state = 'waiting'
         WHERE incident_id = ?2 AND state = 'skipped' AND event != 'opened'
           AND destination_id = (SELECT destination_id FROM notifications WHERE id = ?1 AND event = 'opened')`,
      )
      .bind(id, incidentId),
  ]);
  return (again?.results.length ?? 0) > 0;
}

/** A notification as the incident shows it: with its destination's name and kind (null once deleted). */
export interface ListedNotification extends Notification {
  destination_name: string | null;
  destination_kind: string | null;
}

export async function notificationsOf(db: D1Database, incidentId: number): Promise<ListedNotification[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS.replace(/(\w+)/g, "n.$1")}, d.name AS destination_name, d.kind AS destination_kind
       FROM notifications n LEFT JOIN destinations d ON d.id = n.destination_id
       WHERE n.incident_id = ?1 ORDER BY n.id`,
    )
    .bind(incidentId)
    .all<ListedNotification>();
  return results;
}

/**
 * Pending rows whose time has long passed (`before`) and that no destination's sender has been given
 * since `handedOverBefore`: their queue message, or the sender's hold on them, was lost (the sweep sends
 * them again). Also, at once, a row whose lease ran out before `before`: every ending of an attempt
 * clears the lease, so its attempt was cut short (a sender restarted by a deploy, D1 failing after the
 * claim), and its sender, whose claim the lease turned away meanwhile, no longer holds it.
 */
export async function overdueNotifications(
  db: D1Database,
  before: string,
  handedOverBefore: string,
  limit: number,
): Promise<number[]> {
  const { results } = await db
    .prepare(
      `SELECT id FROM notifications INDEXED BY notifications_due
       WHERE state = 'pending' AND next_attempt_at < ?1
         AND (handed_over_at IS NULL OR handed_over_at < ?3 OR lease_until < ?1)
       ORDER BY next_attempt_at LIMIT ?2`,
    )
    .bind(before, limit, handedOverBefore)
    .all<{ id: number }>();
  return results.map((r) => r.id);
}

/**
 * Of `ids`, the rows still pending, with their destinations, in id order (the order they were owed),
 * noted as handed over to their senders now. Rows done, held or gone are left out.
 */
export async function handOverNotifications(
  db: D1Database,
  ids: number[],
  now: string,
): Promise<{ id: number; destination_id: number }[]> {
  const { results } = await db
    .prepare(
      `UPDATE notifications SET handed_over_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1)) AND state = 'pending'
       RETURNING id, destination_id`,
    )
    .bind(JSON.stringify(ids), now)
    .all<{ id: number; destination_id: number }>();
  return results.sort((a, b) => a.id - b.id);
}
