/**
 * Sources in Workers KV (binding SOURCES). Key scheme:
 *
 * | key                            | value                              | metadata     | written by     |
 * |--------------------------------|------------------------------------|--------------|----------------|
 * | `source:<sha256 hex of token>` | SourceRecord as JSON               | none         | create, change |
 * | `source-id:<source id>`        | the token hash (to find it by id)  | SourceRecord | create, change |
 * | `revoked:<sha256 hex of token>`| the revocation time                | none         | revoke only    |
 * | `revoked-id:<source id>`       | the revocation time                | none         | revoke only    |
 * | `form-nonce:<sha256 hex>`      | the source id a form post created  | none         | dashboard form |
 *
 * The webhook looks a token up by hash: `source:` and `revoked:` read in parallel, and a token with a
 * `revoked:` key is refused whatever its record says. Revocation is a one-way fact: nothing but
 * revoke writes the `revoked*` keys and nothing deletes them, so a change that reads a record and
 * writes it back (a PATCH racing a DELETE, or one served from a location whose KV cache is still
 * ~60 s old) cannot undo it. Listings mark a source disabled when its `revoked-id:` key exists.
 * Only the `form-nonce:` keys of the dashboard's one-time source form expire (a TTL set in
 * ../dashboard/form-nonce.ts, which owns them); nothing else has a TTL.
 *
 * KV is eventually consistent: a write is seen at once where it was made and within about 60 s
 * elsewhere (a missing key is cached like a present one), plus the 30 s isolate cache of ./cache.ts.
 */
import type { SourceRecord } from "./record";

const BY_HASH = "source:";
const BY_ID = "source-id:";
const REVOKED = "revoked:";
const REVOKED_ID = "revoked-id:";

/** The enabled source a token hash belongs to, or null (unknown or revoked). */
export async function findSourceByHash(kv: KVNamespace, hash: string): Promise<SourceRecord | null> {
  const [record, revoked] = await Promise.all([
    kv.get<SourceRecord>(BY_HASH + hash, "json"),
    kv.get(REVOKED + hash),
  ]);
  if (!record || revoked !== null || record.disabled) return null;
  return record;
}

/** A source by id, revoked or not (the queue consumer stores what was accepted before a revoke). */
export async function findSourceById(kv: KVNamespace, id: string): Promise<SourceRecord | null> {
  const { metadata } = await kv.getWithMetadata<SourceRecord>(BY_ID + id);
  return metadata ?? null;
}

export async function saveSource(kv: KVNamespace, hash: string, record: SourceRecord): Promise<void> {
  await Promise.all([
    kv.put(BY_HASH + hash, JSON.stringify(record)),
    kv.put(BY_ID + record.id, hash, { metadata: record }),
  ]);
}

export async function listSources(kv: KVNamespace): Promise<SourceRecord[]> {
  const [records, revoked] = await Promise.all([
    listKeys<SourceRecord>(kv, BY_ID),
    listKeys<never>(kv, REVOKED_ID),
  ]);
  const revokedIds = new Set(revoked.map((key) => key.name.slice(REVOKED_ID.length)));
  return records
    .flatMap((key) => (key.metadata ? [withRevocation(key.metadata, revokedIds.has(key.metadata.id))] : []))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** A record as listed: disabled once revoked, whatever a later write said. */
function withRevocation(record: SourceRecord, revoked: boolean): SourceRecord {
  return revoked ? { ...record, disabled: true, revoked_at: record.revoked_at ?? "unknown" } : record;
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

/** A source by id and its token hash, with its revocation applied; null when there is none. */
export async function getSource(
  kv: KVNamespace,
  id: string,
): Promise<{ record: SourceRecord; hash: string } | null> {
  const [{ value: hash, metadata }, revokedAt] = await Promise.all([
    kv.getWithMetadata<SourceRecord>(BY_ID + id),
    kv.get(REVOKED_ID + id),
  ]);
  if (!hash || !metadata) return null;
  const record = revokedAt === null ? metadata : { ...metadata, disabled: true, revoked_at: revokedAt };
  return { record, hash };
}

/**
 * Applies `change` to a source's record; returns the updated record and its token hash, or null when
 * there is no such source. A read-modify-write: fine for names and settings, never for revocation.
 */
export async function updateSource(
  kv: KVNamespace,
  id: string,
  change: (record: SourceRecord) => SourceRecord,
): Promise<{ record: SourceRecord; hash: string } | null> {
  const found = await getSource(kv, id);
  if (!found) return null;
  const record = change(found.record);
  await saveSource(kv, found.hash, record);
  return { record, hash: found.hash };
}

/** Writes the one-way revocation keys of a source (idempotent: the first time is kept). */
export async function markRevoked(kv: KVNamespace, id: string, hash: string, at: string): Promise<string> {
  const earlier = await kv.get(REVOKED_ID + id);
  const revokedAt = earlier ?? at;
  // The key the token lookup obeys first: a revoke that fails after it has still revoked the token,
  // and one that fails before it shows nothing revoked, so it is done again.
  await kv.put(REVOKED + hash, revokedAt);
  await kv.put(REVOKED_ID + id, revokedAt);
  return revokedAt;
}
