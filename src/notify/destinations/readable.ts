/**
 * Which destinations DESTINATIONS_KEY cannot read: each row's URL and secret are decrypted in memory
 * and dropped, so a wrong key under the right id (which comparing key ids cannot see) shows as surely as
 * a key removed too soon. For /readyz, the API's destinations, re-encryption and the dashboard's banner:
 * the answer names rows and key ids, never a URL, a secret or a ciphertext.
 */

import { DESTINATIONS_KEY_UNUSABLE, type Keyring, loadKeyring } from "./keyring";
import { openDestination } from "./open";
import { listSealedDestinations, type SealedDestination } from "./store";

export interface UnreadableDestination {
  id: number;
  name: string;
  /** Why, naming the key id (`does not decrypt with key "k1"`), never a secret. */
  reason: string;
}

/** Why `row` does not decrypt under `keyring` (undefined: DESTINATIONS_KEY unusable), or null when it does. */
export async function unreadableReason(
  keyring: Keyring | undefined,
  row: SealedDestination,
): Promise<string | null> {
  if (!keyring) return DESTINATIONS_KEY_UNUSABLE;
  const opened = await openDestination(keyring, row);
  return "unreadable" in opened ? opened.unreadable : null;
}

/**
 * The enabled destinations DESTINATIONS_KEY cannot read (the ones notifications wait for), in id
 * order. One D1 query; the decryptions are CPU only (AES-GCM of a few hundred bytes a row).
 */
export async function unreadableDestinations(
  db: D1Database,
  env: Pick<Env, "DESTINATIONS_KEY">,
): Promise<UnreadableDestination[]> {
  const rows = await listSealedDestinations(db, { enabledOnly: true });
  if (rows.length === 0) return [];
  const keyring = await loadKeyring(env.DESTINATIONS_KEY);
  const found: UnreadableDestination[] = [];
  for (const row of rows) {
    const reason = await unreadableReason(keyring, row);
    if (reason !== null) found.push({ id: row.id, name: row.name, reason });
  }
  return found;
}
