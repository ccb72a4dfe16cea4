/**
 * NOTIFY_DLQ's consumer: a notification message the consumer kept failing on (D1 down for an hour,
 * a bug) is shown as given up on its incident ("dead-lettered") and stored with the other dead
 * letters, where it can be replayed (GET /api/dead-letters). A replayed send finds the row failed:
 * "send again" on the incident is what sends it.
 */
import { markFailed } from "../db/notifications";
import { consumeDeadLetters } from "../delivery/dead-letter-consumer";
import { readNotifyMessage } from "./queue-message";

export async function consumeNotifyDeadLetters(
  batch: MessageBatch<unknown>,
  env: Env,
  queue: string,
): Promise<void> {
  const at = new Date().toISOString();
  for (const message of batch.messages) {
    const body = readNotifyMessage(message.body);
    if (!body || !("send" in body)) continue;
    const row = await env.DB.prepare(
      "SELECT id, incident_id, destination_id, event FROM notifications WHERE id = ?1",
    )
      .bind(body.send)
      .first<{ id: number; incident_id: number; destination_id: number; event: "opened" }>();
    if (row) await markFailed(env.DB, row, null, "dead-lettered", at);
  }
  await consumeDeadLetters(batch, env, queue);
}
