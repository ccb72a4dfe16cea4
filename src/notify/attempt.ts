/**
 * One attempt at one notification: claim the row, send the destination its message (./deliver.ts: a
 * Slack, Teams or signed webhook message POSTed with the SSRF rules again, no redirects and a timeout, or a
 * Slack app's Web API calls in the incident's thread), and record what the answer means (./retry.ts).
 * Never logs the URL, a token or the message: all are secrets.
 */

import { alertsByIds } from "../alerts/store";
import { toApiAlert } from "../alerts/view";
import { SYSTEM } from "../audit/actor";
import type { NotifyEvent } from "../core/vocabulary";
import { deploysBefore } from "../incidents/deploys-before";
import { findIncident, type Incident } from "../incidents/store";
import { toApiIncident } from "../incidents/view";
import { nowMs } from "../platform/clock";
import { publicUrl } from "../platform/vars";
import type { NotificationContent } from "./content";
import { type Delivery, deliver } from "./deliver";
import { keyWaitError, keyWaitSeconds } from "./destinations/key-wait";
import { readDestinationForAttempt, type SendableDestination } from "./destinations/open";
import { allowsPrivateDestinations } from "./destinations/url";
import { disableDestination } from "./destinations/writes";
import { outcomeOf, retrySchedule } from "./retry";
import { slackApiBase } from "./slack/web-api";
import {
  claimableAt,
  claimNotification,
  markDelivered,
  markFailed,
  markHeld,
  markKeyWait,
  markRetry,
  type Notification,
  slackThreadOf,
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
 * What a message about `incident` says for `event`: the incident as the API shows it, the alert of its
 * latest build (the alert alone: its events, and their bodies, are not part of a message) and the deploys
 * before it.
 */
export async function contentOf(
  env: Pick<Env, "DB" | "PUBLIC_URL">,
  incident: Incident,
  event: NotifyEvent,
  at: string,
): Promise<NotificationContent> {
  const alertId = incident.latest_alert_id;
  const [[alert], deploys] = await Promise.all([
    alertId === null ? [] : alertsByIds(env.DB, [alertId]),
    deploysBefore(env.DB, incident),
  ]);
  return {
    event,
    incident: toApiIncident(incident),
    alert: alert ? toApiAlert(alert) : null,
    incidentUrl: incidentUrl(env, incident.id),
    at,
    deploysBefore: deploys,
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
  // A Slack app's follow-up replies in the thread of the incident's first message to it, while that is in
  // the destination's channel: after a change of channel it posts afresh there, never touching the old
  // channel (whose error, say is_archived, would disable the destination again).
  const first =
    destination.botToken !== null && row.event !== "opened"
      ? await slackThreadOf(env.DB, row.incident_id, row.destination_id)
      : null;
  const thread = first?.channel === destination.slack_channel ? first : null;
  const delivery = await deliver(destination, content, {
    allowPrivate: allowsPrivateDestinations(env),
    slackApiBase: slackApiBase(env),
    thread,
    signing:
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
  });
  return record(env, destination, row, delivery, now);
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
  delivery: Delivery,
  now: Date,
): Promise<AttemptResult> {
  const at = now.toISOString();
  const { status, error } = delivery;
  // A 2xx that is not a success (Slack's `ok: false`) is retried like no answer; a disabling answer ends it.
  const outcome = delivery.disable
    ? ({ kind: "failed", disable: true } as const)
    : outcomeOf(
        delivery.ok || status === null || status >= 300 ? status : null,
        row.attempts,
        retrySchedule(env),
        delivery.retryAfterMs,
      );
  logAttempt(row, {
    kind: destination.kind,
    attempt: row.attempts,
    status,
    outcome: outcome.kind,
    ...(delivery.ok ? {} : { error }),
  });
  switch (outcome.kind) {
    case "delivered":
      return {
        kind: "delivered",
        released: await markDelivered(env.DB, row, status as number, at, delivery.posted),
      };
    case "retry": {
      const nextAt = new Date(now.getTime() + outcome.delaySeconds * 1000).toISOString();
      await markRetry(env.DB, row.id, status, error, nextAt);
      return { kind: "retry", delaySeconds: outcome.delaySeconds };
    }
    case "failed":
      // The Worker disables it itself (a 410, a Slack app's lost token or channel: the delivery's
      // reason), and the audit log says so (SYSTEM).
      if (delivery.disable) await disableDestination(env.DB, destination.id, delivery.disable, at, SYSTEM);
      await markFailed(env.DB, row, status, error, at);
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
