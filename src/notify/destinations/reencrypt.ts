/**
 * After a key rotation (docs/notifications.md "DESTINATIONS_KEY and key rotation"): every destination still under an older key is
 * decrypted and sealed again under the current one, each row written only while it still holds what
 * was read (a PATCH meanwhile wins). Rows already under the current key are decrypted too (in memory,
 * then dropped): a wrong key under the right id shows as unreadable rather than as nothing to do.
 */

import { type Keyring, open, seal, UnreadableSecret } from "./keyring";
import { listSealedDestinations, type SealedDestination } from "./store";
import { resealStatement } from "./writes";

export interface Reencryption {
  /** Rows now under the current key that were not before. */
  reencrypted: number;
  /** Rows whose key is not in DESTINATIONS_KEY any more, or that do not decrypt: left as they are. */
  unreadable: number[];
  /** Rows still under an older key, past this call's query budget: call again. */
  remaining: number;
}

/**
 * Rewrites destinations still under an older key under the current one, at most `budget` rows in one
 * D1 batch (each row is one query of the invocation's budget), and lists every row that does not
 * decrypt, whatever its key id (decrypting costs no query).
 */
export async function reencryptAll(db: D1Database, keyring: Keyring, budget: number): Promise<Reencryption> {
  const current = (sealed: SealedDestination) =>
    sealed.url.keyId === keyring.currentId &&
    (sealed.secret?.keyId ?? keyring.currentId) === keyring.currentId;
  const unreadable: number[] = [];
  const statements: D1PreparedStatement[] = [];
  let remaining = 0;
  for (const row of await listSealedDestinations(db)) {
    const stale = !current(row);
    if (stale && statements.length >= budget) {
      remaining += 1;
      continue;
    }
    try {
      const url = await open(keyring, row.id, "url", row.url);
      const secret = row.secret && (await open(keyring, row.id, "secret", row.secret));
      if (!stale) continue; // it reads: nothing to rewrite
      const sealedSecret = secret === null ? null : await seal(keyring, row.id, "secret", secret);
      statements.push(resealStatement(db, row, await seal(keyring, row.id, "url", url), sealedSecret));
    } catch (err) {
      if (!(err instanceof UnreadableSecret)) throw err;
      unreadable.push(row.id);
    }
  }
  const results = statements.length > 0 ? await db.batch(statements) : [];
  const reencrypted = results.reduce((sum, result) => sum + result.meta.changes, 0);
  return { reencrypted, unreadable, remaining };
}
