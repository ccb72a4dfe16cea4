/**
 * NOTIFY_QUEUE's consumer: routes timeline entries to destinations (./route.ts) and hands notification
 * rows to their destinations' senders ({@link DestinationSender}), which make the attempts: this
 * consumer never waits on a receiver, so one that hangs delays nobody else. A retry is a new message
 * delayed by the schedule, so the queue's own retries (max_retries, then NOTIFY_DLQ) count only
 * failures of this consumer itself, such as D1 being down. The destinations are read once per batch;
 * with none, a batch's entries are marked routed in one statement. Each route may take up to
 * MESSAGE_QUERIES D1 queries: what would not fit within D1_QUERIES_PER_INVOCATION waits a second for
 * the next invocation. The rows to hand over are read in one query for the whole batch.
 */

import { findIncident } from "../incidents/store";
import { backoffSeconds } from "../platform/backoff";
import { nowIso } from "../platform/clock";
import { queriesPerInvocation } from "../platform/vars";
import { listSealedDestinations, type SealedDestination } from "./destinations/store";
import { enqueueSends } from "./outbox";
import { type NotifyMessage, readNotifyMessage } from "./queue-message";
import { routeEntry } from "./route";
import { handOver } from "./sender";
import { handOverNotifications } from "./store";

/** The most D1 queries routing one entry takes (the entry, the incident, the rows it owes). */
const MESSAGE_QUERIES = 10;

export async function consumeNotifications(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // The destinations, the batch's routed entries, and the rows handed over.
  let budget = queriesPerInvocation(env) - 3;
  const messages: { message: Message<unknown>; body: NotifyMessage }[] = [];
  for (const message of batch.messages) {
    const body = readNotifyMessage(message.body);
    if (body) messages.push({ message, body });
    else {
      console.error(JSON.stringify({ event: "notify_message_unreadable", message_id: message.id }));
      message.ack();
    }
  }
  const routes = messages.filter(({ body }) => "route" in body);
  let destinations: SealedDestination[] = [];
  try {
    if (routes.length > 0) destinations = await listSealedDestinations(env.DB, { enabledOnly: true });
    if (routes.length > 0 && destinations.length === 0) {
      await markRouted(
        env.DB,
        routes.map(({ body }) => (body as { route: number }).route),
      );
      for (const { message } of routes) message.ack();
    }
  } catch (err) {
    for (const { message } of routes) retry(message, err);
  }
  const sends: { message: Message<unknown> | null; id: number }[] = [];
  for (const { message, body } of messages) {
    if (!("route" in body)) {
      sends.push({ message, id: body.send });
      continue;
    }
    if (destinations.length === 0) continue; // done above
    if (budget < MESSAGE_QUERIES) {
      message.retry({ delaySeconds: 1 });
      continue;
    }
    budget -= MESSAGE_QUERIES;
    try {
      // Routed and acknowledged: if the hand-over below fails, its rows are queued to send instead.
      for (const id of await routeById(env, body.route, destinations)) sends.push({ message: null, id });
      message.ack();
    } catch (err) {
      retry(message, err);
    }
  }
  if (sends.length === 0) return;
  try {
    // A row not yet due goes too: its sender's claim skips it, and the sweep brings it back when due.
    const rows = await handOverNotifications(
      env.DB,
      sends.map(({ id }) => id),
      nowIso(),
    );
    await handOver(env, rows);
    for (const { message } of sends) message?.ack();
  } catch (err) {
    for (const { message } of sends) if (message) retry(message, err);
    // Rows just routed have no message of their own to retry: they get one (a refusal is left to the sweep).
    await enqueueSends(
      env,
      sends.filter(({ message }) => message === null).map(({ id }) => id),
      1,
    );
  }
}

function retry(message: Message<unknown>, err: unknown): void {
  console.error(
    JSON.stringify({ event: "notify_message_retry", attempts: message.attempts, error: String(err) }),
  );
  message.retry({ delaySeconds: backoffSeconds(message.attempts) });
}

/** Entries nobody is to hear about (no destination): routed, owing nothing. */
async function markRouted(db: D1Database, ids: number[]): Promise<void> {
  await db
    .prepare(
      `UPDATE incident_events SET routed_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1)) AND routed_at IS NULL`,
    )
    .bind(JSON.stringify(ids), nowIso())
    .run();
}

/** The ids of the notification rows `entryId` makes owed and sendable now. */
async function routeById(env: Env, entryId: number, destinations: SealedDestination[]): Promise<number[]> {
  const entry = await env.DB.prepare(
    // Unrouted, or dead-lettered once and replayed from the dead letters
    // (../dead-letters/notify-consumer.ts).
    `SELECT id, incident_id, type FROM incident_events
     WHERE id = ?1 AND (routed_at IS NULL OR routed_at LIKE 'dead-lettered %')`,
  )
    .bind(entryId)
    .first<{ id: number; incident_id: number; type: string }>();
  if (!entry) return []; // routed already, or gone
  const incident = await findIncident(env.DB, entry.incident_id);
  if (!incident) return [];
  return routeEntry(env.DB, entry, incident, destinations, nowIso());
}
