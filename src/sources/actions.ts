/**
 * Source lifecycle shared by the admin API and the dashboard: create and rotate (the only moments a
 * plain token exists), change and revoke. Changes drop the isolate's cached lookups at once, and are
 * recorded in the audit log once KV has them (never a token or a URL carrying one).
 */
import { type Recorder, recordAudit } from "../audit/entry";

import { nowIso, nowMs } from "../platform/clock";
import { forgetSource } from "./cache";
import type { SourceRecord } from "./model";
import { planRotation, type SourceTokens, workingHashes } from "./rotation";
import { getSource, markRevoked, saveRotation, saveSource, updateSource } from "./store";
import { generateToken, hashToken } from "./token";

/** A token as handed out, once: the token and the Jenkins URLs that carry it. */
export interface IssuedToken {
  token: string;
  /** The URL to paste into Jenkins, token in the query. */
  webhookUrl: string;
  /** The same with the token as the Basic-auth password instead. */
  basicUrl: string;
}

export interface CreatedSource extends IssuedToken {
  record: SourceRecord;
}

export async function createSource(
  kv: KVNamespace,
  input: { name: string; quiet_lifecycle?: boolean },
  origin: string,
  by: Recorder,
): Promise<CreatedSource> {
  const issued = issueToken(origin);
  const record: SourceRecord = {
    id: crypto.randomUUID(),
    name: input.name,
    provider: "jenkins",
    created_at: nowIso(),
    disabled: false,
    quiet_lifecycle: input.quiet_lifecycle ?? false,
  };
  await saveSource(kv, [await hashToken(issued.token)], record);
  await recordAudit(by.db, {
    actor: by.actor,
    action: "source.created",
    target: `source:${record.id}`,
    details: { name: record.name, quiet_lifecycle: record.quiet_lifecycle },
  });
  return { record, ...issued };
}

function issueToken(origin: string): IssuedToken {
  const token = generateToken();
  const webhookUrl = new URL("/webhooks/jenkins", origin);
  webhookUrl.searchParams.set("token", token);
  const basicUrl = new URL("/webhooks/jenkins", origin);
  basicUrl.username = "jenkins";
  basicUrl.password = token;
  return { token, webhookUrl: webhookUrl.href, basicUrl: basicUrl.href };
}

/** Changes a source's name or lifecycle setting; null when there is no such source. */
export async function changeSource(
  kv: KVNamespace,
  id: string,
  change: (record: SourceRecord) => SourceRecord,
  by: Recorder,
): Promise<SourceRecord | null> {
  let before: SourceRecord | undefined;
  const updated = await applyChange(kv, id, (current) => {
    before = current;
    return change(current);
  });
  if (!updated || !before) return null;
  const shown = ({ name, quiet_lifecycle }: SourceRecord) => ({ name, quiet_lifecycle });
  await recordAudit(by.db, {
    actor: by.actor,
    action: "source.changed",
    target: `source:${id}`,
    details: { before: shown(before), after: shown(updated) },
  });
  return updated;
}

async function applyChange(
  kv: KVNamespace,
  id: string,
  change: (record: SourceRecord) => SourceRecord,
): Promise<SourceRecord | null> {
  const updated = await updateSource(kv, id, change);
  if (!updated) return null;
  forgetAll(updated.tokens);
  return updated.record;
}

/**
 * Revokes a source for good: the one-way `revoked:` keys of every token that still works and its
 * `revoked-id:` key first (what the token lookup obeys), then the record's `disabled` flag for
 * listings. Returns false when there is no such source.
 */
export async function revokeSource(kv: KVNamespace, id: string, by: Recorder): Promise<boolean> {
  const found = await getSource(kv, id);
  if (!found) return false;
  const now = nowMs();
  const at = new Date(now).toISOString();
  const revokedAt = await markRevoked(kv, id, workingHashes(found.tokens, now), at);
  forgetAll(found.tokens);
  await applyChange(kv, id, (record) => ({ ...record, disabled: true, revoked_at: revokedAt }));
  await recordAudit(by.db, { actor: by.actor, action: "source.revoked", target: `source:${id}` });
  return true;
}

export interface RotatedSource extends IssuedToken {
  record: SourceRecord;
  tokens: SourceTokens;
}

/**
 * Gives a source a new token and retires the old ones `graceMs` from now (at once for 0): see
 * ./rotation.ts. "missing" for no such source, "revoked" for a revoked one (its tokens stay refused).
 */
export async function rotateSource(
  kv: KVNamespace,
  id: string,
  graceMs: number,
  origin: string,
  by: Recorder,
): Promise<RotatedSource | "missing" | "revoked"> {
  const found = await getSource(kv, id);
  if (!found) return "missing";
  if (found.record.disabled) return "revoked";
  const issued = issueToken(origin);
  const plan = planRotation(found.tokens, await hashToken(issued.token), graceMs, nowMs());
  await saveRotation(kv, found.record, plan);
  forgetAll(found.tokens);
  await recordAudit(by.db, {
    actor: by.actor,
    action: "source.rotated",
    target: `source:${id}`,
    details: { grace_seconds: Math.round(graceMs / 1000) },
  });
  return { record: found.record, tokens: plan.tokens, ...issued };
}

function forgetAll(tokens: SourceTokens): void {
  forgetSource(tokens.current);
  for (const token of tokens.previous) forgetSource(token.hash);
}
