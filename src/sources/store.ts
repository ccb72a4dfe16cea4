/**
 * Sources in Workers KV (binding SOURCES). Key scheme:
 *
 * | key                             | value                                  | metadata           | written by               |
 * |---------------------------------|----------------------------------------|--------------------|--------------------------|
 * | `source:<sha256 hex of token>`  | SourceRecord as JSON                   | none               | create, change, rotate   |
 * | `source-id:<source id>`         | a token hash (`tokens:` wins)          | SourceRecord       | create, change           |
 * | `tokens:<source id>`            | SourceTokens as JSON (./rotation.ts)   | `{previous_until}` | rotate only              |
 * | `revoked:<sha256 hex of token>` | the revocation time                    | none               | revoke, rotate (no grace)|
 * | `expires:<sha256 hex of token>` | when a rotated-out token stops         | none               | rotate only              |
 * | `revoked-id:<source id>`        | the revocation time                    | none               | revoke only              |
 * | `form-nonce:<sha256 hex>`       | what a form post created: a source id, | none               | dashboard forms          |
 * |                                 | or `destination:<id>`                  |                    |                          |
 *
 * Invariants (why: SECURITY.md "Revocation" and "Rotation"): `revoked*` keys are one-way facts, never deleted;
 * an `expires:` time is only ever written earlier; `tokens:` is written by rotations only, so a PATCH
 * cannot move the current token. Only the dashboard form's `form-nonce:` keys expire. KV is
 * eventually consistent (~60 s elsewhere than where written), plus the 30 s isolate cache.
 */

import { nowIso, nowMs } from "../platform/clock";
import type { SourceRecord } from "./model";
import { type RotationPlan, type SourceTokens, workingHashes } from "./rotation";

export const KEYS = {
  byHash: "source:",
  byId: "source-id:",
  tokens: "tokens:",
  revoked: "revoked:",
  expires: "expires:",
  revokedId: "revoked-id:",
} as const;

/** A source by id, revoked or not (the queue consumer stores what was accepted before a revoke). */
export async function findSourceById(kv: KVNamespace, id: string): Promise<SourceRecord | null> {
  const { metadata } = await kv.getWithMetadata<SourceRecord>(KEYS.byId + id);
  return metadata ?? null;
}

/** Writes a source's record under each of its token hashes (the first is the current one) and its id. */
export async function saveSource(kv: KVNamespace, hashes: string[], record: SourceRecord): Promise<void> {
  const [current] = hashes;
  if (current === undefined) throw new Error("a source needs a token");
  await Promise.all([
    ...hashes.map((hash) => kv.put(KEYS.byHash + hash, JSON.stringify(record))),
    kv.put(KEYS.byId + record.id, current, { metadata: record }),
  ]);
}

export async function listSources(kv: KVNamespace): Promise<SourceRecord[]> {
  const [records, revoked] = await Promise.all([
    listKeys<SourceRecord>(kv, KEYS.byId),
    listKeys<never>(kv, KEYS.revokedId),
  ]);
  const revokedIds = new Set(revoked.map((key) => key.name.slice(KEYS.revokedId.length)));
  return records
    .flatMap((key) => (key.metadata ? [withRevocation(key.metadata, revokedIds.has(key.metadata.id))] : []))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** A record as listed: disabled once revoked, whatever a later write said. */
function withRevocation(record: SourceRecord, revoked: boolean): SourceRecord {
  return revoked ? { ...record, disabled: true, revoked_at: record.revoked_at ?? "unknown" } : record;
}

/** Source id → until when a rotated-out token of it still works, for sources where one does. */
export async function listRotations(kv: KVNamespace, now = nowMs()): Promise<Map<string, string>> {
  const keys = await listKeys<{ previous_until: string | null }>(kv, KEYS.tokens);
  return new Map(
    keys.flatMap(({ name, metadata }) => {
      const until = metadata?.previous_until;
      return until && Date.parse(until) > now ? [[name.slice(KEYS.tokens.length), until] as const] : [];
    }),
  );
}

async function listKeys<M>(kv: KVNamespace, prefix: string): Promise<KVNamespaceListKey<M>[]> {
  const keys: KVNamespaceListKey<M>[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<M>({ prefix, cursor });
    keys.push(...page.keys);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return keys;
}

export interface FoundSource {
  record: SourceRecord;
  tokens: SourceTokens;
}

/** A source by id and its token hashes, with its revocation applied; null when there is none. */
export async function getSource(kv: KVNamespace, id: string): Promise<FoundSource | null> {
  const [{ value: hash, metadata }, revokedAt, tokens] = await Promise.all([
    kv.getWithMetadata<SourceRecord>(KEYS.byId + id),
    kv.get(KEYS.revokedId + id),
    kv.get<SourceTokens>(KEYS.tokens + id, "json"),
  ]);
  if (!hash || !metadata) return null;
  const record = revokedAt === null ? metadata : { ...metadata, disabled: true, revoked_at: revokedAt };
  return { record, tokens: tokens ?? { current: hash, previous: [] } };
}

/**
 * Applies `change` to a source's record (under every token that still works); returns the updated
 * source, or null when there is none. A read-modify-write: fine for names and settings, never for
 * revocation or for which token is current.
 */
export async function updateSource(
  kv: KVNamespace,
  id: string,
  change: (record: SourceRecord) => SourceRecord,
  now = nowMs(),
): Promise<FoundSource | null> {
  const found = await getSource(kv, id);
  if (!found) return null;
  const record = change(found.record);
  await saveSource(kv, workingHashes(found.tokens, now), record);
  return { record, tokens: found.tokens };
}

/**
 * Writes a rotation: the new token's record first (alone it is harmless), then the bookkeeping, then
 * the old tokens' one-way `revoked:`/`expires:` keys. A rotation that fails part way can be repeated:
 * the repeat retires every token the failed one listed, no later than it would have.
 */
export async function saveRotation(kv: KVNamespace, record: SourceRecord, plan: RotationPlan): Promise<void> {
  await kv.put(KEYS.byHash + plan.tokens.current, JSON.stringify(record));
  await kv.put(KEYS.tokens + record.id, JSON.stringify(plan.tokens), {
    metadata: { previous_until: plan.tokens.previous[0]?.expires_at ?? null },
  });
  const at = nowIso();
  await Promise.all([
    ...plan.revoke.map((hash) => kv.put(KEYS.revoked + hash, at)),
    ...plan.expire.map((token) => kv.put(KEYS.expires + token.hash, token.expires_at)),
  ]);
}

/** Writes the one-way revocation keys of a source's tokens (idempotent: the first time is kept). */
export async function markRevoked(
  kv: KVNamespace,
  id: string,
  hashes: string[],
  at: string,
): Promise<string> {
  const earlier = await kv.get(KEYS.revokedId + id);
  const revokedAt = earlier ?? at;
  // The keys the token lookup obeys first: a revoke that fails after them has still revoked the
  // tokens, and one that fails before them shows nothing revoked, so it is done again.
  await Promise.all(hashes.map((hash) => kv.put(KEYS.revoked + hash, revokedAt)));
  await kv.put(KEYS.revokedId + id, revokedAt);
  return revokedAt;
}
