/**
 * One audit-log entry: who did what to which target, when, and a short before/after. Written by the
 * action itself, in the same D1 batch as the change where the change is in D1 ({@link auditStatement}).
 */
import { nowIso } from "../platform/clock";
import type { Actor } from "./actor";

/** Every action the audit log records (docs/people.md "Audit log" lists them for readers). */
export const AUDIT_ACTIONS = [
  "source.created",
  "source.changed",
  "source.revoked",
  "source.rotated",
  "policy.changed",
  "silence.created",
  "silence.ended",
  "destination.created",
  "destination.changed",
  "destination.disabled",
  "destination.deleted",
  "destination.reencrypted",
  "destination.tested",
  "heartbeat.changed",
  "incident.acknowledged",
  "incident.resolved",
  "notification.sent_again",
  "dead_letter.replayed",
  "dead_letter.discarded",
  "person.changed",
  "person.removed",
  "token.created",
  "token.revoked",
  "admin_token.signed_in",
  "admin_token.used",
  "slack.linked",
  "slack.unlinked",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  /** What was acted on: `<kind>:<id>` (`source:…`, `incident:12`, `person:alice@example.com`), or null. */
  target: string | null;
  /** A short before/after or summary; never a secret (no token, URL or signing secret). */
  details?: Record<string, unknown>;
}

/** How a statement in a change's batch depends on the statement before it (constant SQL, never input). */
export interface AuditCondition {
  /** Records the entry only when this holds: {@link CHANGED}, so a repeat or a refused change records nothing. */
  when?: string;
  /** The target is `<insertedKind>:<rowid of the row the previous INSERT created>` (an id not known before). */
  insertedKind?: string;
}

/** The INSERT recording `entry`, to run in the change's own batch (after the change, when `condition` reads it). */
export function auditStatement(
  db: D1Database,
  entry: AuditEntry,
  at = nowIso(),
  condition: AuditCondition = {},
): D1PreparedStatement {
  const target = condition.insertedKind ? "?5 || ':' || last_insert_rowid()" : "?5";
  return db
    .prepare(
      `INSERT INTO audit_log (at, actor, actor_kind, action, target, ip, details)
       SELECT ?1, ?2, ?3, ?4, ${target}, ?6, ?7 ${condition.when ? `WHERE ${condition.when}` : ""}`,
    )
    .bind(
      at,
      entry.actor.name,
      entry.actor.kind,
      entry.action,
      condition.insertedKind ?? entry.target,
      entry.actor.ip,
      details(entry),
    );
}

/** The entry's details as stored; an actor acting through Slack says so there (`via`), its name stays the email. */
function details({ actor, details }: AuditEntry): string | null {
  const all = actor.via ? { ...details, via: actor.via } : details;
  return all ? JSON.stringify(all) : null;
}

/** `auditStatement`'s condition: the batch's previous statement changed (inserted, updated, deleted) a row. */
export const CHANGED = "changes() > 0";

/** Where and as whom a change outside D1 (a source in KV) is recorded, after it succeeded. */
export interface Recorder {
  db: D1Database;
  actor: Actor;
}

/** Records `entry` on its own: for changes outside D1 (a source in KV), after the change succeeded. */
export async function recordAudit(db: D1Database, entry: AuditEntry): Promise<void> {
  await auditStatement(db, entry).run();
}
