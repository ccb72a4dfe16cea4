/**
 * The audit log in D1 (migrations/0010 `audit_log`) as models, decoded once here. Listed newest first by
 * `(at, id)`, keyset-paged by the id of the last row seen: each filter (actor, action, target) has an index
 * on `(column, at)` (and every secondary index ends with the rowid, `id`), so a filtered page, with or
 * without a time range, is one index range scan read backwards, never a sort.
 */
import type { ActorKind } from "./actor";
import type { AuditAction } from "./entry";

/** One recorded change as the API and the dashboard show it. */
export interface AuditRecord {
  id: number;
  at: string;
  actor: { kind: ActorKind; name: string; ip: string | null };
  action: AuditAction;
  target: string | null;
  details: Record<string, unknown> | null;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  actor_kind: ActorKind;
  action: AuditAction;
  target: string | null;
  ip: string | null;
  details: string | null;
}

const rowToRecord = (row: AuditRow): AuditRecord => ({
  id: row.id,
  at: row.at,
  actor: { kind: row.actor_kind, name: row.actor, ip: row.ip },
  action: row.action,
  target: row.target,
  details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
});

/** The columns a listing may be filtered on, each with its own index; only these names reach the SQL. */
export const AUDIT_FILTER_COLUMNS = ["actor", "action", "target"] as const;
type FilterColumn = (typeof AUDIT_FILTER_COLUMNS)[number];

export interface AuditFilters extends Partial<Record<FilterColumn, string>> {
  /** From this instant on (inclusive). */
  from?: string;
  /** Before this instant (exclusive). */
  to?: string;
}

/** The listing's statement: its SQL and binds (exported so a test can read its query plan). */
export function auditQuery(
  filters: AuditFilters,
  limit: number,
  before?: number,
): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [];
  const bind = (value: string | number) => `?${params.push(value)}`;
  const where: string[] = [];
  for (const column of AUDIT_FILTER_COLUMNS) {
    const value = filters[column];
    if (value !== undefined) where.push(`${column} = ${bind(value)}`);
  }
  if (filters.from !== undefined) where.push(`at >= ${bind(filters.from)}`);
  if (filters.to !== undefined) where.push(`at < ${bind(filters.to)}`);
  if (before !== undefined) {
    where.push(`(at, id) < (SELECT at, id FROM audit_log WHERE id = ${bind(before)})`);
  }
  const sql = `SELECT id, at, actor, actor_kind, action, target, ip, details FROM audit_log
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY at DESC, id DESC LIMIT ${bind(limit)}`;
  return { sql, params };
}

/**
 * Up to `limit` entries, newest first, older than the entry `before` (an id from the last page). Should
 * that entry have been purged since, so has everything older (retention goes oldest first): the page is
 * empty, rightly.
 */
export async function listAudit(
  db: D1Database,
  filters: AuditFilters,
  limit: number,
  before?: number,
): Promise<AuditRecord[]> {
  const { sql, params } = auditQuery(filters, limit, before);
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<AuditRow>();
  return results.map(rowToRecord);
}
