/**
 * NOTIFY_QUEUE's consumer: routes timeline entries to destinations (./route.ts) and sends notification
 * rows (./send.ts), one message at a time (max_concurrency = 1 in wrangler.toml keeps Slack's pace,
 * see ./pacing.ts). A retry is a new message delayed by the schedule, so the queue's own retries
 * (max_retries, then NOTIFY_DLQ) count only failures of this consumer itself, such as D1 being down.
 */

import { listSealedDestinations } from "../db/destinations";
import { getIncident } from "../db/incidents";
import { backoffSeconds } from "../delivery/queued-delivery";
import { attemptNotification } from "./attempt";
import { enqueueSends } from "./outbox";
import { readNotifyMessage } from "./queue-message";
import { routeEntry } from "./route";

export async function consumeNotifications(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const body = readNotifyMessage(message.body);
    if (!body) {
      console.error(JSON.stringify({ event: "notify_message_unreadable", message_id: message.id }));
      message.ack();
      continue;
    }
    try {
      if ("route" in body) await routeById(env, body.route);
      else await sendById(env, body.send);
      message.ack();
    } catch (err) {
      console.error(
        JSON.stringify({ event: "notify_message_retry", attempts: message.attempts, error: String(err) }),
      );
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

async function routeById(env: Env, entryId: number): Promise<void> {
  const entry = await env.DB.prepare(
    "SELECT id, incident_id, type FROM incident_events WHERE id = ?1 AND routed_at IS NULL",
  )
    .bind(entryId)
    .first<{ id: number; incident_id: number; type: string }>();
  if (!entry) return; // routed already, or gone
  const found = await getIncident(env.DB, entry.incident_id);
  if (!found) return;
  const destinations = await listSealedDestinations(env.DB, { enabledOnly: true });
  const ids = await routeEntry(env.DB, entry, found.incident, destinations, new Date().toISOString());
  await enqueueSends(env, ids);
}

async function sendById(env: Env, id: number): Promise<void> {
  const result = await attemptNotification(env, id);
  if (result.kind === "delivered") await enqueueSends(env, result.released);
  if (result.kind === "retry") await enqueueSends(env, [id], result.delaySeconds);
}
