/**
 * What the audit log says about a destination: its settings and its receiver's host, never its URL (a
 * Slack or Teams URL is itself the credential) nor its signing secret or a Slack app's bot token.
 */
import type { AuditEntry } from "../../audit/entry";
import type { DestinationFields } from "./store";

/** The fields an entry shows: the host stands for the URL (`url_display` is only scheme and host). */
export function auditedFields(fields: DestinationFields): Record<string, unknown> {
  return {
    name: fields.name,
    kind: fields.kind,
    host: new URL(fields.url_display).host,
    // A Slack app's channel is no secret (its bot token is, and never appears).
    ...(fields.slack_channel !== null ? { channel: fields.slack_channel } : {}),
    match: fields.match,
    on: fields.on,
    escalate_after_ms: fields.escalate_after_ms,
    disabled: fields.disabled_at !== null,
  };
}

/** The entry for `action` on destination `id`. */
export const destinationEntry = (
  actor: AuditEntry["actor"],
  action: AuditEntry["action"],
  id: number,
  details?: Record<string, unknown>,
): AuditEntry => ({ actor, action, target: `destination:${id}`, ...(details ? { details } : {}) });
