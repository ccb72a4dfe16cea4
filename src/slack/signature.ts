/**
 * Slack's request signature (api.slack.com/authentication/verifying-requests-from-slack): `X-Slack-Signature`
 * is `v0=` and the hex HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>` under the app's signing
 * secret. A timestamp more than five minutes from now, either way, is refused, so a captured request
 * cannot be replayed later.
 */
import { nowMs } from "../platform/clock";

/** How far a request's timestamp may be from now, in seconds (Slack's own advice). */
export const MAX_SKEW_SECONDS = 5 * 60;

const encoder = new TextEncoder();

/** `v0=` and the hex HMAC-SHA256 of `v0:<timestamp>:<body>` under `secret`. */
export async function slackSignature(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`v0:${timestamp}:${body}`));
  return `v0=${[...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Why a request's signature fails, or null when it holds. */
export async function signatureProblem(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
  now = nowMs(),
): Promise<string | null> {
  if (!timestamp || !signature) return "X-Slack-Request-Timestamp and X-Slack-Signature are required.";
  if (!/^\d{1,12}$/.test(timestamp)) return "X-Slack-Request-Timestamp is not a Unix time.";
  if (Math.abs(now / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
    return "The request is too old or too new.";
  const expected = encoder.encode(await slackSignature(secret, timestamp, body));
  const given = encoder.encode(signature);
  // Constant time: workerd's timingSafeEqual needs equal lengths, and a length says nothing secret.
  const same = expected.byteLength === given.byteLength && crypto.subtle.timingSafeEqual(expected, given);
  return same ? null : "The signature does not match.";
}
