/**
 * NOTIFY_QUEUE's messages (versioned, like EVENTS_QUEUE's): a timeline entry to route to destinations,
 * or one notification row to send. They carry ids only: the rows in D1 are the truth, so a message
 * that arrives twice, late, or after a "send again" finds the row's current state.
 */
import * as v from "valibot";

const Id = v.pipe(v.number(), v.integer(), v.minValue(1));

export const NotifyMessageSchema = v.union([
  v.object({ v: v.literal(1), route: Id }),
  v.object({ v: v.literal(1), send: Id }),
]);
export type NotifyMessage = v.InferOutput<typeof NotifyMessageSchema>;

export const routeMessage = (entryId: number): NotifyMessage => ({ v: 1, route: entryId });
export const sendMessage = (notificationId: number): NotifyMessage => ({ v: 1, send: notificationId });

export function readNotifyMessage(body: unknown): NotifyMessage | null {
  const result = v.safeParse(NotifyMessageSchema, body);
  return result.success ? result.output : null;
}
