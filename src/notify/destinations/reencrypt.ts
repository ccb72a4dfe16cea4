/**
 * After a key rotation (docs/notifications.md "DESTINATIONS_KEY and key rotation"): every destination still under an older key is
 * decrypted and sealed again under the current one, each row written only while it still holds what
 * was read (a PATCH meanwhile wins). Rows already under the current key are decrypted too (in memory,
 * then dropped): a wrong key under the right id shows as unreadable rather than as nothing to do.
 */

import type { Actor } from "../../audit/actor";
import { auditStatement, CHANGED } from "../../audit/entry";
import { destinationEntry } from "./audited";
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
 * Rewrites destinations still under an older key under the current one, in one D1 batch within `budget`
 * queries (each row is two: its rewrite, and its audit entry, recorded only when the rewrite happened),
 * and lists every row that does not decrypt, whatever its key id (decrypting costs no query).
 */
export async function reencryptAll(
  db: D1Database,
  keyring: Keyring,
  budget: number,
  actor: Actor,
): Promise<Reencryption> {
  const current = (sealed: SealedDestination) =>
    sealed.url.keyId === keyring.currentId &&
    (sealed.secret?.keyId ?? keyring.currentId) === keyring.currentId;
  const unreadable: number[] = [];
  const statements: D1PreparedStatement[] = [];
  let remaining = 0;
  for (const row of await listSealedDestinations(db)) {
    const stale = !current(row);
    if (stale && statements.length + 2 > budget) {
      remaining += 1;
      continue;
    }
    try {
      const url = await open(keyring, row.id, "url", row.url);
      const secret = row.secret && (await open(keyring, row.id, "secret", row.secret));
      if (!stale) continue; // it reads: nothing to rewrite
      const sealedSecret = secret === null ? null : await seal(keyring, row.id, "secret", secret);
      statements.push(
        resealStatement(db, row, await seal(keyring, row.id, "url", url), sealedSecret),
        auditStatement(
          db,
          destinationEntry(actor, "destination.reencrypted", row.id, { key_id: keyring.currentId }),
          undefined,
          { when: CHANGED },
        ),
      );
    } catch (err) {
      if (!(err instanceof UnreadableSecret)) throw err;
      unreadable.push(row.id);
    }
  }
  const results = statements.length > 0 ? await db.batch(statements) : [];
  // Every other result is an audit entry's.
  const rewrites = results.filter((_, i) => i % 2 === 0);
  const reencrypted = rewrites.reduce((sum, result) => sum + result.meta.changes, 0);
  return { reencrypted, unreadable, remaining };
}
