/**
 * Slack's Web API for a Slack app destination: `chat.postMessage` and `chat.update`, authorised by the
 * app's bot token. Unlike an incoming webhook, the Web API answers most refusals with a 200 and
 * `{"ok": false, "error": "<name>"}`, so an answer is a success only when the HTTP status is 2xx and
 * `ok` is true; the error's name is what the notification records. A rate limit comes back as 429
 * `ratelimited` with a Retry-After, which {@link send} reads. Sent through {@link send}, so the SSRF rules,
 * the timeout and "no redirects" hold here too; the token travels only in the Authorization header and is
 * never logged. The base is SLACK_API_BASE (a local receiver in tests and local development).
 */
import { type SendResult, send } from "../send";

export const SLACK_API_ORIGIN = "https://slack.com";
const DEFAULT_BASE = `${SLACK_API_ORIGIN}/api`;

/**
 * Errors after which nothing sent with this token to this channel can succeed until a person fixes it
 * (invites the app, reinstalls it, picks another channel): the destination is disabled, with the name.
 */
const DISABLING = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "missing_scope",
]);

/** `chat.postMessage` echoes the whole message; ours stay far below this. */
const ANSWER_LIMIT = 256 * 1024;

export interface SlackAnswer {
  /** The HTTP status; null when none came back. */
  status: number | null;
  /** 2xx and `ok: true`. */
  ok: boolean;
  retryAfterMs: number | null;
  /** Slack's error name (`channel_not_found`), or why there was no readable answer; null when ok. */
  error: string | null;
  /** The destination cannot be sent to any more (a {@link DISABLING} error). */
  disabling: boolean;
  /** Where the message is: `chat.postMessage`'s and `chat.update`'s `channel` and `ts`. */
  channel: string | null;
  ts: string | null;
}

/** The Web API's base URL: SLACK_API_BASE without its trailing slash, else Slack's own. */
export const slackApiBase = (env: Pick<Env, "SLACK_API_BASE">): string =>
  (env.SLACK_API_BASE || DEFAULT_BASE).replace(/\/+$/, "");

export async function callSlack(
  base: string,
  method: "chat.postMessage" | "chat.update",
  token: string,
  args: Record<string, unknown>,
  options: { allowPrivate: boolean },
): Promise<SlackAnswer> {
  const answer = await send(
    `${base}/${method}`,
    {
      body: JSON.stringify(args),
      // Slack reads a JSON body only with the charset named.
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json; charset=utf-8" },
    },
    { allowPrivate: options.allowPrivate, responseLimit: ANSWER_LIMIT },
  );
  return readAnswer(answer);
}

/** What an answer says, from its status and its JSON. Pure. */
export function readAnswer(answer: SendResult): SlackAnswer {
  const body = parse(answer.response);
  const ok = answer.ok && body?.ok === true;
  const slackError = typeof body?.error === "string" ? body.error.slice(0, 100) : null;
  const error = ok
    ? null
    : (slackError ?? answer.error ?? (answer.ok ? "unreadable answer" : `HTTP ${answer.status}`));
  return {
    status: answer.status,
    ok,
    retryAfterMs: answer.retryAfterMs,
    error,
    disabling: slackError !== null && DISABLING.has(slackError),
    channel: ok && typeof body?.channel === "string" ? body.channel : null,
    ts: ok && typeof body?.ts === "string" ? body.ts : null,
  };
}

function parse(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
