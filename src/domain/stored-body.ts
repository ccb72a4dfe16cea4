/**
 * What the timeline keeps of a delivery: the body exactly as received (JSON or XML), unless it is
 * over 64 KiB, in which case `build.log` (the one field that legitimately grows that large) keeps its
 * last 32 KiB and the body is kept as JSON.
 */
import type { BodyFormat } from "./parse";

export const STORED_BODY_LIMIT = 64 * 1024;
export const KEPT_LOG_BYTES = 32 * 1024;

export interface StoredBody {
  body: string;
  format: BodyFormat;
  truncated: boolean;
}

/**
 * @param text the body as received
 * @param bytes its size in UTF-8 bytes
 * @param document `text` already parsed (the JSON-shaped form, for XML too)
 */
export function storedBody(
  text: string,
  bytes: number,
  document: Record<string, unknown>,
  format: BodyFormat = "json",
): StoredBody {
  const asReceived = { body: text, format, truncated: false };
  if (bytes <= STORED_BODY_LIMIT) return asReceived;
  const build = document.build as Record<string, unknown>;
  if (typeof build.log !== "string") return asReceived;
  const log = new TextEncoder().encode(build.log);
  if (log.byteLength <= KEPT_LOG_BYTES) return asReceived;
  let start = log.byteLength - KEPT_LOG_BYTES;
  // Start on a character boundary: skip UTF-8 continuation bytes (10xxxxxx).
  while (((log[start] ?? 0) & 0xc0) === 0x80) start += 1;
  const kept = new TextDecoder().decode(log.subarray(start));
  return {
    body: JSON.stringify({ ...document, build: { ...build, log: kept } }),
    format: "json",
    truncated: true,
  };
}

/**
 * Jenkins prints plain-text endpoint URLs, `?token=` included, in the build console, and the console
 * can come back in `build.log`: the source's own token is cut out of anything stored. Tokens are
 * base64url, so the replacement cannot break the JSON or XML around them.
 */
export function redactToken(stored: StoredBody, token: string): StoredBody {
  if (!stored.body.includes(token)) return stored;
  return { ...stored, body: stored.body.replaceAll(token, "[redacted token]") };
}
