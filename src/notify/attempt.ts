/**
 * One attempt at one notification: claim the row, build the destination's message (Slack, Teams or a
 * signed webhook: ./message.ts), POST it (./send.ts: SSRF rules again, no redirects, a timeout), and
 * record what the answer means (./retry.ts). Never logs the URL or the message: both are secrets.
 */

import { alertsByIds } from "../alerts/store";
import { toApiAlert } from "../alerts/view";
import { SYSTEM } from "../audit/actor";
import type { NotifyEvent } from "../core/vocabulary";
import { findIncident, type Incident } from "../incidents/store";
import { toApiIncident } from "../incidents/view";
import { nowMs } from "../platform/clock";
import { publicUrl } from "../platform/vars";
import type { NotificationContent } from "./content";
import { keyWaitError, keyWaitSeconds } from "./destinations/key-wait";
import { readDestinationForAttempt, type SendableDestination } from "./destinations/open";
import { allowsPrivateDestinations } from "./destinations/url";
import { disableDestination } from "./destinations/writes";
import { buildMessage } from "./message";
import { pace } from "./pacing";
import { outcomeOf, retrySchedule } from "./retry";
import { type SendResult as Answer, send } from "./send";
import {
  claimableAt,
  claimNotification,
  markDelivered,
  markFailed,
  markHeld,
  markKeyWait,
  markRetry,
  type Notification,
} from "./store";

export type AttemptResult =
  /** Nothing to do (done, held, or gone). */
  | { kind: "skipped" }
  /** Pending but not claimable yet (not due, or under another attempt's lease): look again after the delay. */
  | { kind: "later"; delaySeconds: number }
  | { kind: "delivered"; released: number[] }
  | { kind: "retry"; delaySeconds: number }
  /** The destination could not be read (DESTINATIONS_KEY): not an attempt; look again after the delay. */
  | { kind: "unreadable"; delaySeconds: number }
  | { kind: "failed" };

/**
 * What a message about `incident` says for `event`: the incident as the API shows it and the alert of
 * its latest build (the alert alone: its events, and their bodies, are not part of a message).
 */
export async function contentOf(
  env: Pick<Env, "DB" | "PUBLIC_URL">,
  incident: Incident,
  event: NotifyEvent,
  at: string,
): Promise<NotificationContent> {
  const alertId = incident.latest_alert_id;
  const [alert] = alertId === null ? [] : await alertsByIds(env.DB, [alertId]);
  return {
    event,
    incident: toApiIncident(incident),
    alert: alert ? toApiAlert(alert) : null,
    incidentUrl: incidentUrl(env, incident.id),
    at,
  };
}

/** The incident's page on the dashboard, when the Worker's public URL is known (var PUBLIC_URL). */
export const incidentUrl = (env: Pick<Env, "PUBLIC_URL">, incidentId: number): string | null =>
  publicUrl(env, `/incidents/${incidentId}`);

export async function attemptNotification(
  env: Env,
  id: number,
  now = new Date(nowMs()),
): Promise<AttemptResult> {
  const row = await claimNotification(env.DB, id, now);
  if (!row) return notClaimed(env.DB, id, now);
  const at = now.toISOString();
  // Enabled destinations only: a deleted or disabled one gets nothing more.
  const read = await readDestinationForAttempt(env.DB, env, row.destination_id);
  if ("missing" in read) {
    await markFailed(env.DB, row, null, "destination deleted or disabled", at);
    return { kind: "failed" };
  }
  const incident = await findIncident(env.DB, row.incident_id);
  if (!incident) {
    await markFailed(env.DB, row, null, "incident deleted", at);
    return { kind: "failed" };
  }
  if (row.event === "opened" && incident.silenced) {
    await markHeld(env.DB, row.id);
    return { kind: "skipped" };
  }
  if (row.event === "escalated" && incident.state !== "open") {
    // Acknowledged or resolved while the escalation waited: nobody is to be woken up any more.
    await markFailed(env.DB, row, null, `incident ${incident.state} before it was sent`, at);
    return { kind: "failed" };
  }
  if ("unreadable" in read) return waitForKey(env, row, read.unreadable, now);
  const { destination } = read;
  const content = await contentOf(env, incident, row.event, happenedAt(row, incident));
  const message = buildMessage(
    destination.kind,
    content,
    destination.secret === null
      ? undefined
      : {
          // The same for every attempt and every "send again": receivers dedupe on it.
          id: row.message_id,
          secret: destination.secret,
          // The receiver checks webhook-timestamp against its own clock (the spec's five minutes of
          // tolerance), so it is the platform's time of this attempt, never a clock moved by tests.
          timestamp: new Date(),
        },
  );
  await pace(destination);
  const answer = await send(destination.url, message, { allowPrivate: allowsPrivateDestinations(env) });
  return record(env, destination, row, answer, now);
}

/** A key mistake is not the receiver's failure: the row waits ({@link keyWaitSeconds}), its schedule untouched. */
async function waitForKey(env: Env, row: Notification, reason: string, now: Date): Promise<AttemptResult> {
  const delaySeconds = keyWaitSeconds(retrySchedule(env), now.getTime() - Date.parse(row.created_at));
  const nextAt = new Date(now.getTime() + delaySeconds * 1000).toISOString();
  await markKeyWait(env.DB, row.id, keyWaitError(reason), nextAt);
  logAttempt(row, { attempt: row.attempts - 1, status: null, outcome: "unreadable" });
  return { kind: "unreadable", delaySeconds };
}

/** A row the claim refused: "later" while it is pending (its sender keeps no copy), else nothing to do. */
async function notClaimed(db: D1Database, id: number, now: Date): Promise<AttemptResult> {
  const at = await claimableAt(db, id);
  if (at === null) return { kind: "skipped" };
  return { kind: "later", delaySeconds: Math.max(1, Math.ceil((Date.parse(at) - now.getTime()) / 1000)) };
}

/**
 * When the notified event happened, the same on every attempt (a retry hours later must not say the
 * incident opened then): the incident's own time for it, or when the row was owed (an escalation).
 */
export function happenedAt(
  row: Pick<Notification, "event" | "created_at">,
  incident: Pick<Incident, "opened_at" | "acknowledged_at" | "resolved_at">,
): string {
  switch (row.event) {
    case "opened":
      return incident.opened_at;
    case "acknowledged":
      return incident.acknowledged_at ?? row.created_at;
    case "resolved":
      return incident.resolved_at ?? row.created_at;
    case "escalated":
      return row.created_at;
  }
}

async function record(
  env: Env,
  destination: SendableDestination,
  row: Notification,
  answer: Answer,
  now: Date,
): Promise<AttemptResult> {
  const at = now.toISOString();
  const outcome = outcomeOf(answer.status, row.attempts, retrySchedule(env), answer.retryAfterMs);
  const error = answer.error ?? (answer.ok ? null : `HTTP ${answer.status}`);
  logAttempt(row, {
    kind: destination.kind,
    attempt: row.attempts,
    status: answer.status,
    outcome: outcome.kind,
  });
  switch (outcome.kind) {
    case "delivered":
      return { kind: "delivered", released: await markDelivered(env.DB, row, answer.status as number, at) };
    case "retry": {
      const nextAt = new Date(now.getTime() + outcome.delaySeconds * 1000).toISOString();
      await markRetry(env.DB, row.id, answer.status, error, nextAt);
      return { kind: "retry", delaySeconds: outcome.delaySeconds };
    }
    case "failed":
      // The Worker disables it itself, and the audit log says so (SYSTEM).
      if (outcome.disable) await disableDestination(env.DB, destination.id, "410 Gone", at, SYSTEM);
      await markFailed(env.DB, row, answer.status, error, at);
      return { kind: "failed" };
  }
}

/** One log line per attempt: ids and outcome only, never the destination's URL or the message. */
function logAttempt(row: Notification, fields: Record<string, unknown>): void {
  console.log(
    JSON.stringify({
      event: "notification_attempt",
      notification_id: row.id,
      incident_id: row.incident_id,
      destination_id: row.destination_id,
      type: row.event,
      ...fields,
    }),
  );
}
