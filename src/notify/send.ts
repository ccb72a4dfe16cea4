/**
 * Sending one message to one destination URL, once: the caller decides what a status means (retry,
 * give up, disable on 410). The URL is checked again against the SSRF rules first (they may have been
 * tightened since it was stored), redirects are not followed (a 3xx is a failure, as Standard Webhooks
 * advises, and following one could lead anywhere), and the request times out. Neither the URL nor the
 * body is ever logged.
 */

import { nowMs } from "../platform/clock";
import { checkDestinationUrl } from "./destinations/url";
import type { OutgoingMessage } from "./message";

/** Standard Webhooks recommends 15–30 s; Slack and Teams answer in well under a second. */
export const SEND_TIMEOUT_MS = 15_000;
/** How much of a receiver's answer is kept (Slack explains a refusal in it: `invalid_blocks`, `no_service`). */
const RESPONSE_EXCERPT = 200;

export type SendError = "timeout" | "network" | "url-refused";

export interface SendResult {
  /** The receiver's HTTP status; null when none came back. */
  status: number | null;
  /** A 2xx status. */
  ok: boolean;
  /** The receiver's Retry-After, in milliseconds from now, when it gave a valid one. */
  retryAfterMs: number | null;
  /** Why there is no status. */
  error: SendError | null;
  /** The start of the receiver's answer when it is text or JSON (at most `responseLimit` characters). */
  response: string | null;
}

export interface SendOptions {
  allowPrivate: boolean;
  timeoutMs?: number;
  /** How much of the answer to keep: 200 characters unless the caller reads the answer (Slack's Web API). */
  responseLimit?: number;
}

export async function send(url: string, message: OutgoingMessage, options: SendOptions): Promise<SendResult> {
  const failed = (error: SendError): SendResult => ({
    status: null,
    ok: false,
    retryAfterMs: null,
    error,
    response: null,
  });
  if (!checkDestinationUrl(url, options.allowPrivate).ok) return failed("url-refused");
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...message.headers,
        "User-Agent": "ITOC360-Notifications/1",
      },
      body: message.body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? SEND_TIMEOUT_MS),
    });
  } catch (err) {
    return failed((err as Error)?.name === "TimeoutError" ? "timeout" : "network");
  }
  return {
    status: res.status,
    ok: res.status >= 200 && res.status < 300,
    retryAfterMs: retryAfterMs(res.headers.get("Retry-After"), nowMs()),
    error: null,
    response: await excerpt(res, options.responseLimit ?? RESPONSE_EXCERPT),
  };
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; null if neither. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

async function excerpt(res: Response, limit: number): Promise<string | null> {
  const type = res.headers.get("Content-Type") ?? "";
  if (!res.body || !/^(text\/|application\/([\w.+-]+\+)?json)/i.test(type)) {
    await res.body?.cancel();
    return null;
  }
  // Read only what is kept: a receiver could answer with an endless body.
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
  } catch {
    // a broken answer body: what arrived is enough
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, limit) || null;
}
