/**
 * What a person does to an incident, from the API or the dashboard: acknowledge or resolve it by hand,
 * or send one of its notifications again. The change is committed first; the notifications it owes
 * leave after the answer (`waitUntil`), and the outbox sweep sends whatever that misses.
 */
import type { Actor } from "../audit/actor";
import { type Action, acknowledgeIncident, resolveIncident } from "../incidents/store";
import { nowIso } from "../platform/clock";
import { enqueueEntries, enqueueSends } from "./outbox";
import { sendAgain } from "./store";

/** The hand actions on an incident: both idempotent (acting twice changes nothing). */
export const HAND_ACTIONS = { acknowledge: acknowledgeIncident, resolve: resolveIncident } as const;
export type HandAction = keyof typeof HAND_ACTIONS;

interface Context {
  env: Pick<Env, "DB" | "NOTIFY_QUEUE">;
  executionCtx: Pick<ExecutionContext, "waitUntil">;
}

/**
 * Acknowledges or resolves incident `id` as `actor` (the timeline names the verified actor, and the audit
 * log records the change in the same batch); false when there is no such incident, else whether this
 * call changed it (an incident already in that state is left as it is).
 */
export async function actOnIncident(
  c: Context,
  id: number,
  action: HandAction,
  who: Omit<Action, "at">,
): Promise<false | { changed: boolean }> {
  const { found, timeline } = await HAND_ACTIONS[action](c.env.DB, id, { ...who, at: nowIso() });
  if (!found) return false;
  c.executionCtx.waitUntil(enqueueEntries(c.env, timeline));
  return { changed: timeline.length > 0 };
}

/**
 * The same notification row pending again, with a fresh schedule and the same webhook-id; false when
 * the incident has no such notification or it is still being sent.
 */
export async function sendNotificationAgain(
  c: Context,
  incidentId: number,
  id: number,
  actor: Actor,
): Promise<boolean> {
  const audit = {
    actor,
    action: "notification.sent_again",
    target: `incident:${incidentId}`,
    details: { notification: id },
  } as const;
  const again = await sendAgain(c.env.DB, incidentId, id, nowIso(), audit);
  if (again) c.executionCtx.waitUntil(enqueueSends(c.env, [id]));
  return again;
}
