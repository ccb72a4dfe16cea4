/**
 * Source lifecycle shared by the admin API and the dashboard: create (the only moment the plain
 * token exists), change and revoke. Changes drop the isolate's cached lookup at once.
 */
import { forgetSource } from "./cache";
import type { SourceRecord } from "./record";
import { getSource, markRevoked, saveSource, updateSource } from "./store";
import { generateToken, hashToken } from "./token";

export interface CreatedSource {
  record: SourceRecord;
  token: string;
  /** The URL to paste into Jenkins, token in the query. */
  webhookUrl: string;
  /** The same with the token as the Basic-auth password instead. */
  basicUrl: string;
}

export async function createSource(
  kv: KVNamespace,
  input: { name: string; quiet_lifecycle?: boolean },
  origin: string,
): Promise<CreatedSource> {
  const token = generateToken();
  const record: SourceRecord = {
    id: crypto.randomUUID(),
    name: input.name,
    provider: "jenkins",
    created_at: new Date().toISOString(),
    disabled: false,
    quiet_lifecycle: input.quiet_lifecycle ?? false,
  };
  await saveSource(kv, await hashToken(token), record);
  const webhookUrl = new URL("/webhooks/jenkins", origin);
  webhookUrl.searchParams.set("token", token);
  const basicUrl = new URL("/webhooks/jenkins", origin);
  basicUrl.username = "jenkins";
  basicUrl.password = token;
  return { record, token, webhookUrl: webhookUrl.href, basicUrl: basicUrl.href };
}

export async function changeSource(
  kv: KVNamespace,
  id: string,
  change: (record: SourceRecord) => SourceRecord,
): Promise<SourceRecord | null> {
  const updated = await updateSource(kv, id, change);
  if (!updated) return null;
  forgetSource(updated.hash);
  return updated.record;
}

/**
 * Revokes a source for good: the one-way `revoked:` keys first (what the token lookup obeys), then
 * the record's `disabled` flag for listings. Returns false when there is no such source.
 */
export async function revokeSource(kv: KVNamespace, id: string): Promise<boolean> {
  const found = await getSource(kv, id);
  if (!found) return false;
  const revokedAt = await markRevoked(kv, id, found.hash, new Date().toISOString());
  forgetSource(found.hash);
  await changeSource(kv, id, (record) => ({ ...record, disabled: true, revoked_at: revokedAt }));
  return true;
}
