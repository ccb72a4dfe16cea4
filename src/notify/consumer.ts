/**
 * NOTIFY_QUEUE's consumer: routes timeline entries to destinations (./route.ts) and sends notification
 * rows (./attempt.ts), one message at a time (max_concurrency = 1 in wrangler.toml keeps Slack's
 * pace, see ./pacing.ts). A retry is a new message delayed by the schedule, so the queue's own retries
 * (max_retries, then NOTIFY_DLQ) count only failures of this consumer itself, such as D1 being down.
 * The destinations are read once per batch; with none, a batch's entries are marked routed in one
 * statement. Each message may take up to MESSAGE_QUERIES D1 queries: what would not fit within
 * D1_QUERIES_PER_INVOCATION waits a second for the next invocation.
 */
import { listSealedDestinations, type SealedDestination } from "../db/destinations";
import { findIncident } from "../db/incidents";
import { backoffSeconds } from "../delivery/queued-delivery";
import { nowIso } from "../platform/clock";
import { queriesPerInvocation } from "../vars";
import { attemptNotification } from "./attempt";
import { enqueueSends } from "./outbox";
import { type NotifyMessage, readNotifyMessage } from "./queue-message";
import { routeEntry } from "./route";

/** The most D1 queries one message takes (a send: claim, destination, incident, alert, outcome). */
const MESSAGE_QUERIES = 10;

export async function consumeNotifications(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  let budget = queriesPerInvocation(env) - 2; // the destinations, and the batch's routed entries
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
  for (const { message, body } of messages) {
    if ("route" in body && destinations.length === 0) continue; // done above
    if (budget < MESSAGE_QUERIES) {
      message.retry({ delaySeconds: 1 });
      continue;
    }
    budget -= MESSAGE_QUERIES;
    try {
      if ("route" in body) await routeById(env, body.route, destinations);
      else await sendById(env, body.send);
      message.ack();
    } catch (err) {
      retry(message, err);
    }
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

async function routeById(env: Env, entryId: number, destinations: SealedDestination[]): Promise<void> {
  const entry = await env.DB.prepare(
    // Unrouted, or dead-lettered once and replayed from the dead letters (./dead-letters.ts).
    `SELECT id, incident_id, type FROM incident_events
     WHERE id = ?1 AND (routed_at IS NULL OR routed_at LIKE 'dead-lettered %')`,
  )
    .bind(entryId)
    .first<{ id: number; incident_id: number; type: string }>();
  if (!entry) return; // routed already, or gone
  const incident = await findIncident(env.DB, entry.incident_id);
  if (!incident) return;
  const ids = await routeEntry(env.DB, entry, incident, destinations, nowIso());
  await enqueueSends(env, ids);
}

async function sendById(env: Env, id: number): Promise<void> {
  const result = await attemptNotification(env, id);
  if (result.kind === "delivered") await enqueueSends(env, result.released);
  if (result.kind === "retry" || result.kind === "unreadable") {
    await enqueueSends(env, [id], result.delaySeconds);
  }
}
