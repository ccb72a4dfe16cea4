/**
 * A notification to a Slack app destination (a bot token and a channel): an incident's first message is
 * posted to the channel; every later one is a reply in that message's thread, and the first message is
 * first updated in place to the incident as it now reads (a resolved incident's says who or which build
 * resolved it, and has no buttons left). The update comes first because it is idempotent: when the
 * reply then fails, the attempt is made again whole and the update repeats harmlessly.
 */
import { asItNowReads, type NotificationContent } from "../content";
import type { SlackThread } from "../store";
import { slackMessage } from "./message";
import { callSlack, type SlackAnswer } from "./web-api";

export interface SlackApp {
  botToken: string;
  channel: string;
}

/**
 * Sends `content` with the app's token: a reply in `thread` (after updating its first message), or a
 * new message in the app's channel when there is no thread (the incident's first message, a test, or a
 * follow-up whose first message went elsewhere or nowhere). The answer is the post's, or the update's
 * when that one cannot be got past (a rate limit, a server error, no answer, a disabling error).
 */
export async function postToSlackApp(
  app: SlackApp,
  content: NotificationContent,
  thread: SlackThread | null,
  options: { base: string; allowPrivate: boolean },
): Promise<SlackAnswer> {
  if (thread) {
    const updated = await callSlack(
      options.base,
      "chat.update",
      app.botToken,
      { channel: thread.channel, ts: thread.ts, ...slackMessage(asItNowReads(content)) },
      options,
    );
    if (!updated.ok && (updated.disabling || isTransient(updated))) return updated;
    // The first message deleted, or too old to edit: the reply still tells the channel.
    if (!updated.ok) console.warn(JSON.stringify({ event: "slack_update_failed", error: updated.error }));
  }
  return callSlack(
    options.base,
    "chat.postMessage",
    app.botToken,
    {
      channel: thread?.channel ?? app.channel,
      ...slackMessage(content, { buttons: thread === null }),
      ...(thread ? { thread_ts: thread.ts } : {}),
    },
    options,
  );
}

/** An answer worth waiting out: none at all, a rate limit, or a server error. */
const isTransient = ({ status }: SlackAnswer) => status === null || status === 429 || status >= 500;
