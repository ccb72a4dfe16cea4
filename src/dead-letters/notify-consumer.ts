/**
 * NOTIFY_DLQ's consumer: a notification message the consumer kept failing on (D1 down for an hour,
 * a bug) is shown as given up on its incident ("dead-lettered") and stored with the other dead
 * letters, where it can be replayed (GET /api/dead-letters). A replayed send finds the row failed:
 * "send again" on the incident is what sends it. A dead-lettered routing message marks its timeline
 * entry `dead-lettered …` instead of routed, so the sweep stops putting it back every minute, and a
 * replay of the dead letter routes it after all (./consumer.ts accepts such an entry).
 */

import { readNotifyMessage } from "../notify/queue-message";
import { markFailed } from "../notify/store";
import { nowIso } from "../platform/clock";
import { consumeDeadLetters } from "./consumer";

export async function consumeNotifyDeadLetters(
  batch: MessageBatch<unknown>,
  env: Env,
  queue: string,
): Promise<void> {
  const at = nowIso();
  for (const message of batch.messages) {
    const body = readNotifyMessage(message.body);
    if (!body) continue;
    if ("route" in body) {
      // Kept as a dead letter (replayable); marked routed so the sweep does not queue it every minute.
      await env.DB.prepare(
        "UPDATE incident_events SET routed_at = 'dead-lettered ' || ?2 WHERE id = ?1 AND routed_at IS NULL",
      )
        .bind(body.route, at)
        .run();
      continue;
    }
    const row = await env.DB.prepare(
      "SELECT id, incident_id, destination_id, event FROM notifications WHERE id = ?1",
    )
      .bind(body.send)
      .first<{ id: number; incident_id: number; destination_id: number; event: "opened" }>();
    if (row) await markFailed(env.DB, row, null, "dead-lettered", at);
  }
  await consumeDeadLetters(batch, env, queue);
}
