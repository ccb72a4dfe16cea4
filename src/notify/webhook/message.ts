/**
 * Signed webhooks, per the Standard Webhooks specification: a JSON body `{type, timestamp, incident,
 * alert, incident_url, deploys_before}` (`timestamp`: when the event happened, the same on every attempt;
 * `deploys_before` as `GET /api/incidents/:id` answers it) and the
 * headers `webhook-id` (the notification row's {@link Notification.message_id}), `webhook-timestamp`
 * (Unix seconds of this attempt)
 * and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the base64-decoded
 * `whsec_` secret). Signed with the specification's own `standardwebhooks` package: its published build
 * is plain JavaScript (a pure-JS SHA-256 and base64, no Node APIs) and runs in workerd as it is
 * (test/notify/notify-messages.unit.test.ts signs and verifies there).
 */
import { Webhook } from "standardwebhooks";
import { bytesToBase64 } from "../../platform/base64";
import type { NotificationContent } from "../content";

/** Standard Webhooks asks for at least 24 random bytes (192 bits). */
const SECRET_BYTES = 32;

/** A new signing secret, `whsec_<base64 of 32 random bytes>`: shown once, stored encrypted. */
export const newSigningSecret = () =>
  `whsec_${bytesToBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))}`;

/** `incident.opened`, `incident.resolved`, …; `destination.test` for a test message. */
export const webhookType = (content: NotificationContent) =>
  content.event === "test" ? "destination.test" : `incident.${content.event}`;

export function webhookPayload(content: NotificationContent) {
  return {
    type: webhookType(content),
    timestamp: content.at,
    incident: content.incident,
    alert: content.alert,
    incident_url: content.incidentUrl,
    deploys_before: content.deploysBefore,
  };
}

export interface Signing {
  /** `webhook-id`: the same for every attempt at one message, so receivers can drop repeats; no dots. */
  id: string;
  /** The destination's `whsec_…` secret. */
  secret: string;
  /** When this attempt is made. */
  timestamp: Date;
}

/** The Standard Webhooks headers for `body`. */
export function signatureHeaders(body: string, { id, secret, timestamp }: Signing): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, timestamp, body),
  };
}
