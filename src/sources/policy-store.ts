/**
 * Each source's noise policy (migrations/0005 `source_policies`): one row per source that has one,
 * holding the whole normalised policy as JSON. No row means the defaults. Ingest reads policies
 * through the isolate cache (src/sources/policy-cache.ts), not from here.
 */
import { type AuditEntry, auditStatement } from "../audit/entry";
import { DEFAULT_POLICY, type Policy, readStoredPolicy } from "./policy";

interface PolicyRow {
  source_id: string;
  policy: string;
}

/**
 * A stored row as a Policy, under the bounds it was written with ({@link readStoredPolicy}). One that
 * does not parse at all (never expected) reads as the defaults, logged, rather than failing every
 * delivery of its source.
 */
function decode(row: PolicyRow): Policy {
  try {
    return readStoredPolicy(JSON.parse(row.policy));
  } catch {
    console.error(
      JSON.stringify({ message: "stored policy unreadable, defaults used", source_id: row.source_id }),
    );
    return DEFAULT_POLICY;
  }
}

/** A source's policy; the defaults when it has none. */
export async function readPolicy(db: D1Database, sourceId: string): Promise<Policy> {
  const row = await db
    .prepare("SELECT source_id, policy FROM source_policies WHERE source_id = ?1")
    .bind(sourceId)
    .first<PolicyRow>();
  return row ? decode(row) : DEFAULT_POLICY;
}

/** Every stored policy by source id (sources absent from the map have the defaults). */
export async function readPolicies(db: D1Database): Promise<Map<string, Policy>> {
  const { results } = await db.prepare("SELECT source_id, policy FROM source_policies").all<PolicyRow>();
  return new Map(results.map((row) => [row.source_id, decode(row)]));
}

/** Replaces a source's policy with `policy` (already validated and normalised), recording `audit` with it. */
export async function writePolicy(
  db: D1Database,
  sourceId: string,
  policy: Policy,
  now: Date,
  audit: AuditEntry,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO source_policies (source_id, policy, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (source_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`,
      )
      .bind(sourceId, JSON.stringify(policy), now.toISOString()),
    auditStatement(db, audit, now.toISOString()),
  ]);
}

/**
 * The policies that check for silence (`silent_after` set), for the cron trigger: one query, no
 * index needed (a row per source). Revoked sources are included: revocation lives in KV, and the
 * cron, which reads each source's record for its name anyway, skips the disabled ones.
 */
export async function policiesWithSilentAfter(
  db: D1Database,
): Promise<{ source_id: string; policy: Policy }[]> {
  const { results } = await db
    .prepare(
      `SELECT source_id, policy FROM source_policies
       WHERE json_extract(policy, '$.silent_after') IS NOT NULL`,
    )
    .all<PolicyRow>();
  return results
    .map((row) => ({ source_id: row.source_id, policy: decode(row) }))
    .filter(({ policy }) => policy.silent_after !== null);
}
