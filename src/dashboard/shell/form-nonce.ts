/**
 * One-time form nonces, so that reloading the answer to a form post (the "source is ready" page, a new destination's)
 * cannot do the post's work twice. The form carries a fresh nonce, `<issued, unix seconds>.<128
 * random bits, base64url>`; the post that uses it records `form-nonce:<sha256 hex of the nonce>` → what
 * it created, and a post that finds the record answers "already done" instead. The nonce itself is
 * never stored, and nothing secret is: the record holds a source id (or `destination:<id>`), never a
 * token or a signing secret.
 *
 * A nonce is good for NONCE_SECONDS after it was issued, and its record outlives that, so an old
 * nonce is refused as expired rather than found unrecorded.
 *
 * The record lives in Workers KV (binding SOURCES, key scheme in ../../sources/store.ts), which is
 * eventually consistent: a write is seen at once in the location that made it and within about 60 s
 * elsewhere. That is enough for a reload, which comes from the same browser to the same location
 * moments later. It is not a lock: two posts of one nonce at the same instant (a double click that
 * beats the first answer) can both find no record. Doing the same in D1 with a unique key would
 * close that gap, at the cost of a table and a migration.
 */
import * as v from "valibot";
import { nowMs } from "../../platform/clock";

const PREFIX = "form-nonce:";
/** How long a form stays usable after it was rendered. */
export const NONCE_SECONDS = 24 * 60 * 60;
/** How long a used nonce's record is kept: past the nonce's own life (KV's minimum TTL is 60 s). */
const RECORD_SECONDS = NONCE_SECONDS + 60 * 60;
/** Clock difference between isolates tolerated for a nonce issued "in the future". */
const SKEW_SECONDS = 5 * 60;

export const FormNonceSchema = v.pipe(v.string(), v.regex(/^\d{1,12}\.[A-Za-z0-9_-]{22}$/));

export function newFormNonce(now = nowMs()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const random = btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  return `${Math.floor(now / 1000)}.${random}`;
}

/** Whether a well-formed nonce is still within its life. */
export function isCurrent(nonce: string, now = nowMs()): boolean {
  const issued = Number(nonce.split(".")[0]);
  const age = now / 1000 - issued;
  return age <= NONCE_SECONDS && age >= -SKEW_SECONDS;
}

async function key(nonce: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(nonce));
  return PREFIX + [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** What a post with this nonce created (a source id, `destination:<id>`), or null if none has been recorded. */
export async function usedFor(kv: KVNamespace, nonce: string): Promise<string | null> {
  return kv.get(await key(nonce));
}

/** Records that the post with this nonce created `id`. */
export async function recordUse(kv: KVNamespace, nonce: string, id: string): Promise<void> {
  await kv.put(await key(nonce), id, { expirationTtl: RECORD_SECONDS });
}
