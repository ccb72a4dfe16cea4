/**
 * Sources in Workers KV (binding SOURCES). Key scheme:
 *
 * | key                          | value                           | metadata     |
 * |------------------------------|---------------------------------|--------------|
 * | `source:<sha256 hex of token>` | SourceRecord as JSON          | none         |
 * | `source-id:<source id>`       | the token hash (to revoke by id) | SourceRecord |
 *
 * The webhook looks sources up by token hash (one read); the admin API lists `source-id:` keys and
 * reads every record from their metadata (no per-source read). Revoking sets `disabled` on both
 * keys rather than deleting, so the list keeps showing what was revoked and when. No TTLs.
 * KV is eventually consistent: a change is seen at once where it was made and within about 60 s
 * elsewhere (plus the 30 s isolate cache of ./cache.ts).
 */
import type { SourceRecord } from "./record";

const BY_HASH = "source:";
const BY_ID = "source-id:";

export async function findSourceByHash(kv: KVNamespace, hash: string): Promise<SourceRecord | null> {
  return kv.get<SourceRecord>(BY_HASH + hash, "json");
}

export async function saveSource(kv: KVNamespace, hash: string, record: SourceRecord): Promise<void> {
  await Promise.all([
    kv.put(BY_HASH + hash, JSON.stringify(record)),
    kv.put(BY_ID + record.id, hash, { metadata: record }),
  ]);
}

export async function listSources(kv: KVNamespace): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<SourceRecord>({ prefix: BY_ID, cursor });
    for (const key of page.keys) if (key.metadata) records.push(key.metadata);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return records.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/**
 * Applies `change` to a source; returns the updated record and its token hash, or null when there is
 * no such source.
 */
export async function updateSource(
  kv: KVNamespace,
  id: string,
  change: (record: SourceRecord) => SourceRecord,
): Promise<{ record: SourceRecord; hash: string } | null> {
  const { value: hash, metadata } = await kv.getWithMetadata<SourceRecord>(BY_ID + id);
  if (!hash || !metadata) return null;
  const record = change(metadata);
  await saveSource(kv, hash, record);
  return { record, hash };
}
