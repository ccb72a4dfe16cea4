/**
 * What the timeline keeps of a delivery, bounded whatever part of it is large: the body exactly as
 * received (JSON or XML) when nothing in it was cut and it fits in 64 KiB; otherwise the bounded
 * document (./bounds.ts) as JSON, with `itoc360_truncated` naming what was cut, and if that is still
 * over 64 KiB, without its bulkiest fields. The same body is what a queue message carries (at most
 * 128 KB), so this one function bounds both.
 */
import type { Bounded } from "./bounds";
import type { BodyFormat } from "./parse";

export const STORED_BODY_LIMIT = 64 * 1024;

/**
 * Dropped in this order until the body fits: each is bounded already, but together (and with JSON's
 * six-byte escapes for control characters) they may not fit. What is left after the last one (names,
 * job path, build number, phase, status, timings, branch, commit, test counts) always does.
 */
const BULKY = [
  ["build", "log"],
  ["build", "artifacts"],
  ["build", "parameters"],
  ["build", "notes"],
  ["build", "scm", "changes"],
  ["build", "test_summary", "failed_tests"],
  ["build", "scm", "culprits"],
  ["build", "url"],
  ["build", "scm", "url"],
  ["build", "full_url"],
] as const;

export interface StoredBody {
  body: string;
  format: BodyFormat;
  truncated: boolean;
}

export interface Received {
  text: string;
  /** Its size in UTF-8 bytes. */
  bytes: number;
  format: BodyFormat;
}

/**
 * What a cut stored body says about itself besides the bounded document (read back by ../ingest/accept.ts).
 */
export interface StoredNotes {
  /** Dotted paths of the fields that were cut or left out. */
  itoc360_truncated: string[];
  /** Counts the cut lists no longer show. */
  itoc360_counts?: { changes: number };
  /** The job's key (`jobIdentity`), when `url` was cut and can no longer give it. */
  itoc360_job?: string;
}

/**
 * @param bounded.rewrite never keep the body as received: it carries keys of the stored notes' own
 *   (`itoc360_…`) that a sender wrote, which a queue consumer must not read as this Worker's notes.
 */
export function storedBody(
  received: Received,
  { payload, cut, changesCount, job, rewrite = false }: Bounded & { job?: string; rewrite?: boolean },
): StoredBody {
  if (!rewrite && cut.length === 0 && received.bytes <= STORED_BODY_LIMIT) {
    return { body: received.text, format: received.format, truncated: false };
  }
  const notes: StoredNotes = {
    itoc360_truncated: cut,
    ...(changesCount !== null ? { itoc360_counts: { changes: changesCount } } : {}),
    ...(job !== undefined && cut.includes("url") ? { itoc360_job: job } : {}),
  };
  const document = { ...payload, ...notes };
  let body = JSON.stringify(document);
  if (utf8Length(body) <= STORED_BODY_LIMIT) return { body, format: "json", truncated: true };
  // Rare: work on a copy, so the caller's payload is left as it is.
  const copy = JSON.parse(body) as Record<string, unknown> & { itoc360_truncated: string[] };
  for (const path of BULKY) {
    if (!dropPath(copy, path)) continue;
    copy.itoc360_truncated.push(path.join("."));
    body = JSON.stringify(copy);
    if (utf8Length(body) <= STORED_BODY_LIMIT) break;
  }
  return { body, format: "json", truncated: true };
}

/** Deletes `path` from `root`; false when there was nothing there. */
function dropPath(root: Record<string, unknown>, path: readonly string[]): boolean {
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string, unknown> | null)?.[key];
  const leaf = path.at(-1) as string;
  if (typeof parent !== "object" || parent === null || (parent as Record<string, unknown>)[leaf] == null)
    return false;
  delete (parent as Record<string, unknown>)[leaf];
  return true;
}

function utf8Length(text: string): number {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: most bodies need no encoding to be known small.
  return text.length * 3 <= STORED_BODY_LIMIT ? text.length : new TextEncoder().encode(text).byteLength;
}

/**
 * Jenkins prints plain-text endpoint URLs, `?token=` included, in the build console, and the console
 * can come back in `build.log`. The source's secrets (its whole token and the token's random part on
 * its own) are cut out of the body as received, before it is parsed, trimmed or derived from, so no
 * cut can leave a piece of one behind and no derived column (summary, culprits, branch, test names)
 * can carry one. Tokens are base64url, so the replacement cannot break the JSON or XML around them.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret && redacted.includes(secret)) redacted = redacted.replaceAll(secret, "[redacted]");
  }
  return redacted;
}
