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

/** The INSERT recording `entry`, to run in the change's own batch. */
export function auditStatement(db: D1Database, entry: AuditEntry, at = nowIso()): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO audit_log (at, actor, actor_kind, action, target, ip, details) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      at,
      entry.actor.name,
      entry.actor.kind,
      entry.action,
      entry.target,
      entry.actor.ip,
      entry.details ? JSON.stringify(entry.details) : null,
    );
}

/** Records `entry` on its own: for changes outside D1 (a source in KV), after the change succeeded. */
export async function recordAudit(db: D1Database, entry: AuditEntry): Promise<void> {
  await auditStatement(db, entry).run();
}
