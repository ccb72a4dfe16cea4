/**
 * Roles in D1 (table `roles`), by email or by Access group (`group:<name>`). D1 and not KV: taking a role
 * away must work at once, and KV reads may be a minute old. Every change is recorded in the audit log in
 * the same batch, and lowering or removing a person's role caps or revokes the tokens they created, so a
 * token never outranks its creator.
 */
import type { Actor } from "../audit/actor";
import { auditStatement } from "../audit/entry";
import { nowIso } from "../platform/clock";
import { isListedAdmin } from "./admins";
import { higher, ROLES, type Role } from "./roles";
import { BY_SOMEONE } from "./token-store";

export interface RoleGrant {
  subject: string;
  role: Role;
  updated_at: string;
  updated_by: string;
}

/** Who is asking: a verified name (email or common name) and the Access groups it belongs to. */
export interface Identity {
  name: string;
  groups: readonly string[];
}

export const GROUP_PREFIX = "group:";
/** D1 binds at most 100 parameters: a person in more groups is judged by the first 90 the assertion lists. */
const MAX_GROUPS = 90;

/** How a subject is stored: emails lower-cased, group names as Access sends them. */
export const normalSubject = (subject: string) =>
  subject.startsWith(GROUP_PREFIX) ? subject : subject.toLowerCase();

/** The highest role among the person's own grant, their groups' grants, and ADMINS; null without any. */
export async function roleOf(db: D1Database, env: Pick<Env, "ADMINS">, who: Identity): Promise<Role | null> {
  if (isListedAdmin(env, who.name)) return "admin";
  const subjects = [normalSubject(who.name), ...who.groups.slice(0, MAX_GROUPS).map((g) => GROUP_PREFIX + g)];
  const { results } = await db
    .prepare(`SELECT role FROM roles WHERE subject IN (${subjects.map(() => "?").join(", ")})`)
    .bind(...subjects)
    .all<{ role: Role }>();
  return results.reduce<Role | null>((best, row) => higher(best, row.role), null);
}

export async function listGrants(db: D1Database): Promise<RoleGrant[]> {
  const { results } = await db
    .prepare("SELECT subject, role, updated_at, updated_by FROM roles ORDER BY subject")
    .all<RoleGrant>();
  return results;
}

export async function getGrant(db: D1Database, subject: string): Promise<RoleGrant | null> {
  return db
    .prepare("SELECT subject, role, updated_at, updated_by FROM roles WHERE subject = ?")
    .bind(normalSubject(subject))
    .first<RoleGrant>();
}

/** Roles above `role`, as SQL text for `IN (…)` (constants, never input). */
const above = (role: Role) =>
  ROLES.slice(ROLES.indexOf(role) + 1)
    .map((r) => `'${r}'`)
    .join(", ") || "NULL";

/** Gives `subject` its role; a person's tokens above it come down to it. Returns the grant before. */
export async function putGrant(db: D1Database, subject: string, role: Role, actor: Actor) {
  const key = normalSubject(subject);
  const before = await getGrant(db, key);
  const at = nowIso();
  await db.batch([
    db
      .prepare(
        `INSERT INTO roles (subject, role, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (subject) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by`,
      )
      .bind(key, role, at, actor.name),
    db
      .prepare(
        `UPDATE api_tokens SET role = ? WHERE created_by = ? AND ${BY_SOMEONE} AND role IN (${above(role)})`,
      )
      .bind(role, key),
    auditStatement(
      db,
      {
        actor,
        action: "person.changed",
        target: `person:${key}`,
        details: { before: before?.role ?? null, after: role },
      },
      at,
    ),
  ]);
  return { before, after: { subject: key, role, updated_at: at, updated_by: actor.name } };
}

/** How many live tokens `subject` created (the admin token's aside). */
async function liveTokensOf(db: D1Database, subject: string): Promise<number> {
  const row = await db
    .prepare(
      `SELECT count(*) AS n FROM api_tokens WHERE created_by = ? AND ${BY_SOMEONE} AND revoked_at IS NULL`,
    )
    .bind(subject)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Takes `subject`'s role away, and revokes the tokens that person created (they may keep a role through a
 * group, which a later request's assertion shows; their tokens cannot know it). False when there was
 * neither a grant nor a live token of theirs.
 */
export async function deleteGrant(db: D1Database, subject: string, actor: Actor): Promise<boolean> {
  const key = normalSubject(subject);
  const [before, tokens] = await Promise.all([getGrant(db, key), liveTokensOf(db, key)]);
  // Someone whose role came only through a group has no grant, but may have tokens: D1 cannot see them
  // leave the group, so taking "their role" away is how an admin takes their tokens away.
  if (!before && tokens === 0) return false;
  const at = nowIso();
  await db.batch([
    db.prepare("DELETE FROM roles WHERE subject = ?").bind(key),
    db
      .prepare(
        `UPDATE api_tokens SET revoked_at = ? WHERE created_by = ? AND ${BY_SOMEONE} AND revoked_at IS NULL`,
      )
      .bind(at, key),
    auditStatement(
      db,
      {
        actor,
        action: "person.removed",
        target: `person:${key}`,
        details: { before: before?.role ?? null, after: null, tokens_revoked: tokens },
      },
      at,
    ),
  ]);
  return true;
}
