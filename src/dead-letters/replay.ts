/**
 * Replaying a dead letter: its original message goes back on the queue it died on, then its row is
 * deleted. Sent before deleting, so a failure between the two leaves the row to replay again; a
 * message sent twice is harmless, as storing a delivery is idempotent (../ingest/store.ts). The audit
 * entry goes with the deletion.
 */

import type { Actor } from "../audit/actor";
import { isReplayableQueue, REPLAYABLE_QUEUES } from "../platform/queue-names";
import { deleteDeadLetter, getDeadLetter } from "./store";

export type ReplayOutcome =
  | { replayed: true; queue: string }
  | { replayed: false; why: "not-found" | "no-queue" };

/** Throws when the queue refuses the message (the row is kept). */
export async function replayDeadLetter(env: Env, id: number, actor: Actor): Promise<ReplayOutcome> {
  const letter = await getDeadLetter(env.DB, id);
  if (!letter) return { replayed: false, why: "not-found" };
  if (!isReplayableQueue(letter.queue)) return { replayed: false, why: "no-queue" };
  await REPLAYABLE_QUEUES[letter.queue](env).send(letter.body);
  const details = { queue: letter.queue };
  await deleteDeadLetter(env.DB, id, {
    actor,
    action: "dead_letter.replayed",
    target: `dead_letter:${id}`,
    details,
  });
  console.log(JSON.stringify({ event: "dead_letter_replayed", queue: letter.queue, id }));
  return { replayed: true, queue: letter.queue };
}
