/**
 * What the timeline keeps of a delivery: the body exactly as received, unless it is over 64 KiB, in
 * which case `build.log` (the one field that legitimately grows that large) keeps its last 32 KiB.
 */

export const STORED_BODY_LIMIT = 64 * 1024;
export const KEPT_LOG_BYTES = 32 * 1024;

export interface StoredBody {
  body: string;
  truncated: boolean;
}

/**
 * @param text the body as received
 * @param bytes its size in UTF-8 bytes
 * @param document `text` already parsed, so the common small case parses nothing again
 */
export function storedBody(text: string, bytes: number, document: Record<string, unknown>): StoredBody {
  if (bytes <= STORED_BODY_LIMIT) return { body: text, truncated: false };
  const build = document.build as Record<string, unknown>;
  if (typeof build.log !== "string") return { body: text, truncated: false };
  const log = new TextEncoder().encode(build.log);
  if (log.byteLength <= KEPT_LOG_BYTES) return { body: text, truncated: false };
  let start = log.byteLength - KEPT_LOG_BYTES;
  // Start on a character boundary: skip UTF-8 continuation bytes (10xxxxxx).
  while (((log[start] ?? 0) & 0xc0) === 0x80) start += 1;
  const kept = new TextDecoder().decode(log.subarray(start));
  return { body: JSON.stringify({ ...document, build: { ...build, log: kept } }), truncated: true };
}

/**
 * Jenkins prints plain-text endpoint URLs, `?token=` included, in the build console, and the console
 * can come back in `build.log`: the source's own token is cut out of anything stored. Tokens are
 * base64url, so the replacement cannot break the JSON around them.
 */
export function redactToken(stored: StoredBody, token: string): StoredBody {
  if (!stored.body.includes(token)) return stored;
  return { ...stored, body: stored.body.replaceAll(token, "[redacted token]") };
}
