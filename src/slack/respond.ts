/**
 * Answers to a Slack interaction through its `response_url`, after the HTTP answer (`waitUntil`). Only
 * Slack's own host is called in production (`https://hooks.slack.com/…`, where Slack's response URLs
 * live); with ALLOW_PRIVATE_DESTINATIONS (tests, local development) the destinations' rules apply.
 */
import { allowsPrivateDestinations, checkDestinationUrl } from "../notify/destinations/url";

export const SLACK_RESPONSE_ORIGIN = "https://hooks.slack.com";

/** Whether `text` may be called as a response URL. */
export function responseUrlAllowed(env: Pick<Env, "ALLOW_PRIVATE_DESTINATIONS">, text: string): boolean {
  const allowPrivate = allowsPrivateDestinations(env);
  const verdict = checkDestinationUrl(text, allowPrivate);
  return verdict.ok && (allowPrivate || verdict.url.origin === SLACK_RESPONSE_ORIGIN);
}

/** A message only the presser sees; the channel's message stays as it is. */
export const ephemeral = (text: string) => ({ response_type: "ephemeral", replace_original: false, text });

/** The channel's message, replaced by `message` (the incident's own Slack message as it reads now). */
export const replacing = (message: object) => ({ ...message, replace_original: true });

/** Posts `message` to `url`; a failure is logged, never thrown (the action is already done). */
export async function respond(url: string, message: unknown): Promise<void> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(message),
    });
    if (!res.ok) console.warn(JSON.stringify({ event: "slack_response_failed", status: res.status }));
  } catch (err) {
    console.warn(JSON.stringify({ event: "slack_response_failed", error: String(err) }));
  }
}
