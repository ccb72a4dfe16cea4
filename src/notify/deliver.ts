/**
 * One message to one destination, whatever its form: a POST to its URL (a Slack incoming webhook, Teams,
 * a signed webhook: ./message.ts lays it out, ./send.ts sends it) or a Slack app's Web API calls
 * (./slack/app.ts). The answer says the same things for both: whether it arrived, what to record, and
 * whether the destination can take nothing more (a 410, a Slack app's revoked token or lost channel).
 */
import type { NotificationContent } from "./content";
import type { SendableDestination } from "./destinations/open";
import { buildMessage } from "./message";
import { paced } from "./pacing";
import { send } from "./send";
import { postToSlackApp } from "./slack/app";
import type { SlackThread } from "./store";
import type { Signing } from "./webhook/message";

export interface Delivery {
  /** The receiver's HTTP status; null when none came back. */
  status: number | null;
  /** Arrived: a 2xx (and, from Slack's Web API, `ok: true`). */
  ok: boolean;
  retryAfterMs: number | null;
  /** What went wrong, in a few words (`HTTP 500`, `timeout`, Slack's `channel_not_found`); null when ok. */
  error: string | null;
  /** Why the destination is to be disabled (`410 Gone`, `Slack: token_revoked`); null when it is not. */
  disable: string | null;
  /** Where a Slack app's message landed; null for every other destination. */
  posted: SlackThread | null;
}

export interface DeliverOptions {
  allowPrivate: boolean;
  /** Slack's Web API base ({@link slackApiBase}). */
  slackApiBase: string;
  /** A webhook's signing; Slack and Teams ignore it. */
  signing?: Signing;
  /** A Slack app's thread for this incident, when its first message was posted. */
  thread?: SlackThread | null;
}

/** Sends `content` to `destination`, no sooner than its pace allows ({@link paced}). */
export const deliver = (
  destination: SendableDestination,
  content: NotificationContent,
  options: DeliverOptions,
): Promise<Delivery> => paced(destination, () => deliverNow(destination, content, options));

async function deliverNow(
  destination: SendableDestination,
  content: NotificationContent,
  options: DeliverOptions,
): Promise<Delivery> {
  const { botToken, slack_channel: channel, url } = destination;
  if (botToken !== null && channel !== null) {
    const answer = await postToSlackApp({ botToken, channel }, content, options.thread ?? null, {
      base: options.slackApiBase,
      allowPrivate: options.allowPrivate,
    });
    const { status, ok, retryAfterMs, error } = answer;
    const posted =
      answer.channel !== null && answer.ts !== null ? { channel: answer.channel, ts: answer.ts } : null;
    return { status, ok, retryAfterMs, error, disable: answer.disabling ? `Slack: ${error}` : null, posted };
  }
  if (url === null) throw new Error(`destination ${destination.id} has neither a URL nor a Slack app`);
  const message = buildMessage(destination.kind, content, options.signing);
  const answer = await send(url, message, { allowPrivate: options.allowPrivate });
  return {
    status: answer.status,
    ok: answer.ok,
    retryAfterMs: answer.retryAfterMs,
    error: answer.error ?? (answer.ok ? null : `HTTP ${answer.status}`),
    disable: answer.status === 410 ? "410 Gone" : null,
    posted: null,
  };
}
