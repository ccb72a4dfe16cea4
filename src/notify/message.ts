/**
 * One notification as it goes on the wire to one destination: its JSON body and headers, laid out for
 * the destination's kind. Pure: the caller sends it (./send.ts).
 */
import type { DestinationKind } from "../core/vocabulary";
import type { NotificationContent } from "./content";
import { slackMessage } from "./slack/message";
import { teamsMessage } from "./teams/message";
import { type Signing, signatureHeaders, webhookPayload } from "./webhook/message";

export interface OutgoingMessage {
  body: string;
  /** Beside `Content-Type: application/json`, which ./send.ts sets unless these name another. */
  headers: Record<string, string>;
}

/**
 * The message for a destination of `kind`. A webhook needs `signing` (its secret, the message's
 * `webhook-id` and the attempt's time); Slack and Teams ignore it.
 */
export function buildMessage(
  kind: DestinationKind,
  content: NotificationContent,
  signing?: Signing,
): OutgoingMessage {
  switch (kind) {
    case "slack":
      return { body: JSON.stringify(slackMessage(content)), headers: {} };
    case "teams":
      return { body: JSON.stringify(teamsMessage(content)), headers: {} };
    case "webhook": {
      if (!signing) throw new Error("a webhook message is always signed");
      const body = JSON.stringify(webhookPayload(content));
      return { body, headers: signatureHeaders(body, signing) };
    }
  }
}
