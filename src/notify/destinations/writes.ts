/**
 * Writing destinations (./store.ts has the model): created in two steps (the row, then its
 * ciphertexts, which are bound to its id), saved whole after a change, re-sealed after a key rotation,
 * deleted, disabled (a 410 from its receiver). SQL binds by name, from one column list per statement.
 * Each write that is a change carries its audit entry in its own batch, recorded only when a row changed.
 */

import type { Actor } from "../../audit/actor";
import { type AuditEntry, auditStatement, CHANGED } from "../../audit/entry";
import { namedParams } from "../../platform/db/params";
import type { Sealed } from "./keyring";
import type { DestinationFields, SealedDestination } from "./store";

/** The columns a write sets from a destination's fields, and from its sealed secrets. */
const FIELD_NAMES = [
  "name",
  "kind",
  "url_display",
  "match",
  "on_events",
  "escalate_after_ms",
  "disabled_at",
  "disabled_reason",
  "slack_channel",
] as const;
const SEALED_NAMES = ["url_ciphertext", "url_key_id", "secret_ciphertext", "secret_key_id"] as const;

const insertParams = namedParams([...FIELD_NAMES, "at", "max"] as const);

/**
 * The most destinations there may be. Every incident event is routed through each enabled one
 * ({@link routes}: globs included) and queues a message per match, so their number bounds what one
 * event costs (docs/performance.md "Globs").
 */
export const MAX_DESTINATIONS = 100;
const saveParams = namedParams(["id", "at", ...FIELD_NAMES, ...SEALED_NAMES] as const);
const sealParams = namedParams(["id", "old_url_ciphertext", ...SEALED_NAMES] as const);

const fieldValues = (fields: DestinationFields) => ({
  name: fields.name,
  kind: fields.kind,
  url_display: fields.url_display,
  match: JSON.stringify(fields.match),
  on_events: JSON.stringify(fields.on),
  escalate_after_ms: fields.escalate_after_ms,
  disabled_at: fields.disabled_at,
  disabled_reason: fields.disabled_reason,
  slack_channel: fields.slack_channel,
});

const sealedValues = (url: Sealed, secret: Sealed | null) => ({
  url_ciphertext: url.ciphertext,
  url_key_id: url.keyId,
  secret_ciphertext: secret?.ciphertext ?? null,
  secret_key_id: secret?.keyId ?? null,
});

/**
 * Step one of creating a destination: the row, without its ciphertexts (they are bound to the id this
 * returns). Until `writeSealed` fills them in, nothing reads the row. Null, storing nothing, when there
 * are MAX_DESTINATIONS already: counted in the INSERT's own statement, so two creations at once cannot
 * both pass the count.
 */
export async function insertDestination(
  db: D1Database,
  fields: DestinationFields,
  at: string,
): Promise<number | null> {
  const p = insertParams;
  const row = await p
    .bind(
      db,
      `INSERT INTO destinations (${FIELD_NAMES.join(", ")}, created_at, updated_at)
       SELECT ${FIELD_NAMES.map((name) => p.ref(name)).join(", ")}, ${p.ref("at")}, ${p.ref("at")}
       WHERE (SELECT count(*) FROM destinations) < ${p.ref("max")}
       RETURNING id`,
      { ...fieldValues(fields), at, max: MAX_DESTINATIONS },
    )
    .first<{ id: number }>();
  return row?.id ?? null;
}

/** Step two: the ciphertexts, bound to the row's id; the destination exists from here on, and is recorded. */
export async function writeSealed(
  db: D1Database,
  id: number,
  url: Sealed,
  secret: Sealed | null,
  audit: AuditEntry,
): Promise<void> {
  const p = sealParams;
  await db.batch([
    p.bind(
      db,
      `UPDATE destinations SET url_ciphertext = ${p.ref("url_ciphertext")}, url_key_id = ${p.ref("url_key_id")},
         secret_ciphertext = ${p.ref("secret_ciphertext")}, secret_key_id = ${p.ref("secret_key_id")}
       WHERE id = ${p.ref("id")}`,
      { id, old_url_ciphertext: null, ...sealedValues(url, secret) },
    ),
    auditStatement(db, audit, undefined, { when: CHANGED }),
  ]);
}

/** Saves every field and both ciphertexts (PATCH: what was read, changed, and sealed again). */
export async function saveDestination(
  db: D1Database,
  id: number,
  fields: DestinationFields,
  url: Sealed,
  secret: Sealed | null,
  at: string,
  audit: AuditEntry,
): Promise<boolean> {
  const p = saveParams;
  const [result] = await db.batch([
    p.bind(
      db,
      `UPDATE destinations SET name = ${p.ref("name")}, url_display = ${p.ref("url_display")},
         match = ${p.ref("match")}, on_events = ${p.ref("on_events")},
         escalate_after_ms = ${p.ref("escalate_after_ms")}, disabled_at = ${p.ref("disabled_at")},
         disabled_reason = ${p.ref("disabled_reason")}, slack_channel = ${p.ref("slack_channel")},
         url_ciphertext = ${p.ref("url_ciphertext")},
         url_key_id = ${p.ref("url_key_id")}, secret_ciphertext = ${p.ref("secret_ciphertext")},
         secret_key_id = ${p.ref("secret_key_id")}, updated_at = ${p.ref("at")}
       WHERE id = ${p.ref("id")} AND url_ciphertext IS NOT NULL`,
      { id, ...fieldValues(fields), ...sealedValues(url, secret), at },
    ),
    auditStatement(db, audit, at, { when: CHANGED }),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}

/**
 * Statements that rewrite rows' ciphertexts (key rotation), each only while the row still holds the
 * ciphertext it was read with, so a PATCH saved meanwhile is never overwritten with older values.
 */
export function resealStatement(
  db: D1Database,
  destination: SealedDestination,
  url: Sealed,
  secret: Sealed | null,
): D1PreparedStatement {
  const p = sealParams;
  return p.bind(
    db,
    `UPDATE destinations SET url_ciphertext = ${p.ref("url_ciphertext")}, url_key_id = ${p.ref("url_key_id")},
       secret_ciphertext = ${p.ref("secret_ciphertext")}, secret_key_id = ${p.ref("secret_key_id")}
     WHERE id = ${p.ref("id")} AND url_ciphertext = ${p.ref("old_url_ciphertext")}`,
    { id: destination.id, old_url_ciphertext: destination.url.ciphertext, ...sealedValues(url, secret) },
  );
}

/**
 * Deletes a destination, recorded as `actor`'s when it existed (null: undoing a creation that failed half
 * way, which is no change anyone made).
 */
export async function deleteDestination(db: D1Database, id: number, actor: Actor | null): Promise<boolean> {
  const remove = db.prepare("DELETE FROM destinations WHERE id = ?1").bind(id);
  const audit: AuditEntry | null = actor && {
    actor,
    action: "destination.deleted",
    target: `destination:${id}`,
  };
  const [result] = await db.batch(
    audit ? [remove, auditStatement(db, audit, undefined, { when: CHANGED })] : [remove],
  );
  return (result?.meta.changes ?? 0) > 0;
}

/**
 * Disables a destination that is still enabled (a 410 from its receiver, say): returns whether this call
 * disabled it. Nothing is sent to it until a PATCH with `"disabled": false`.
 */
export async function disableDestination(
  db: D1Database,
  id: number,
  reason: string,
  at: string,
  actor: Actor,
): Promise<boolean> {
  const audit: AuditEntry = {
    actor,
    action: "destination.disabled",
    target: `destination:${id}`,
    details: { reason },
  };
  const [result] = await db.batch([
    db
      .prepare(
        `UPDATE destinations SET disabled_at = ?2, disabled_reason = ?3, updated_at = ?2
         WHERE id = ?1 AND disabled_at IS NULL AND url_ciphertext IS NOT NULL`,
      )
      .bind(id, at, reason),
    auditStatement(db, audit, at, { when: CHANGED }),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}
