/**
 * Personal API tokens in D1 (table `api_tokens`): created with their value shown once, listed without it,
 * revoked at once and for good (`revoked_at` is set once and never cleared: the one-way rule source
 * revocations follow), found by the SHA-256 of the value a request presents.
 */
import type { Actor } from "../audit/actor";
import { auditStatement } from "../audit/entry";
import { nowIso, nowMs } from "../platform/clock";
import { isListedAdmin } from "./admins";
import { higher, isRole, lower, type Role } from "./roles";
import { newTokenValue, tokenHash } from "./token";

/** A token as it is listed: never its value or hash. */
export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  created_by: string;
  created_by_kind: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

const COLUMNS =
  "id, name, role, created_by, created_by_kind, created_at, expires_at, revoked_at, last_used_at";

/**
 * Creates a token for `creator` (its role already checked against theirs), keeping the Access groups their
 * role may have come through ({@link tokenRole}); the value is in the answer only.
 */
export async function createToken(
  db: D1Database,
  init: { name: string; role: Role; expiresInMs: number; creatorGroups?: readonly string[] },
  creator: Actor,
): Promise<{ token: ApiToken; value: string }> {
  const value = newTokenValue();
  const token: ApiToken = {
    id: crypto.randomUUID(),
    name: init.name,
    role: init.role,
    created_by: creator.name,
    created_by_kind: creator.kind,
    created_at: nowIso(),
    expires_at: new Date(nowMs() + init.expiresInMs).toISOString(),
    revoked_at: null,
    last_used_at: null,
  };
  const details = { name: token.name, role: token.role, expires_at: token.expires_at };
  await db.batch([
    db
      .prepare(
        `INSERT INTO api_tokens (id, name, token_hash, role, created_by, created_by_kind, created_at, expires_at,
           creator_groups)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        token.id,
        token.name,
        tokenHash(value),
        token.role,
        token.created_by,
        token.created_by_kind,
        token.created_at,
        token.expires_at,
        JSON.stringify(init.creatorGroups ?? []),
      ),
    auditStatement(
      db,
      { actor: creator, action: "token.created", target: `token:${token.id}`, details },
      token.created_at,
    ),
  ]);
  return { token, value };
}

/**
 * SQL: the token was made by a verified person or service, not the admin token, whose `created_by` is a
 * label typed at sign-in (proving nothing: "bob@example.com" must not hand bob the break-glass tokens).
 */
export const BY_SOMEONE = "created_by_kind <> 'admin-token'";

/** Whether `owner` (a verified name) created `token` ({@link BY_SOMEONE}). */
export const isOwnedBy = (token: ApiToken, owner: string) =>
  token.created_by === owner && token.created_by_kind !== "admin-token";

/** Tokens, newest first: all of them, or those `createdBy` created ({@link isOwnedBy}). */
export async function listTokens(db: D1Database, createdBy: string | null): Promise<ApiToken[]> {
  const where = createdBy === null ? "" : `WHERE created_by = ? AND ${BY_SOMEONE}`;
  const statement = db.prepare(
    `SELECT ${COLUMNS} FROM api_tokens ${where} ORDER BY created_at DESC LIMIT 500`,
  );
  const { results } = await (createdBy === null ? statement : statement.bind(createdBy)).all<ApiToken>();
  return results;
}

export async function getToken(db: D1Database, id: string): Promise<ApiToken | null> {
  return db.prepare(`SELECT ${COLUMNS} FROM api_tokens WHERE id = ?`).bind(id).first<ApiToken>();
}

/** Revokes token `id` now (revoking it again changes nothing). */
export async function revokeToken(db: D1Database, token: ApiToken, actor: Actor): Promise<void> {
  if (token.revoked_at) return;
  const at = nowIso();
  await db.batch([
    db.prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").bind(at, token.id),
    auditStatement(
      db,
      { actor, action: "token.revoked", target: `token:${token.id}`, details: { name: token.name } },
      at,
    ),
  ]);
}

/** A live token, with the roles its creator's own grant and recorded groups' grants give now. */
export interface LiveToken extends ApiToken {
  creator_grants: Role[];
}

/**
 * The live token whose value this is (not revoked, not expired), or null. Its creator's grants come in
 * the same query (their subject is stored lower-cased, `normalSubject`), so capping costs no round trip.
 */
export async function findLiveToken(db: D1Database, value: string): Promise<LiveToken | null> {
  const row = await db
    .prepare(
      `SELECT ${COLUMNS},
         (SELECT json_group_array(r.role) FROM roles r
          WHERE r.subject = lower(t.created_by)
             OR r.subject IN (SELECT 'group:' || g.value FROM json_each(t.creator_groups) g)) AS creator_grants
       FROM api_tokens t
       WHERE token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
    )
    .bind(tokenHash(value), nowIso())
    .first<ApiToken & { creator_grants: string }>();
  if (!row) return null;
  const grants = (JSON.parse(row.creator_grants) as unknown[]).filter(isRole);
  return { ...row, creator_grants: grants };
}

/**
 * What a token may do now: its role, but never above its creator's, so a token does not outlive its
 * creator's role coming down through a group's grant or ADMINS (which lowering a person's own grant,
 * `putGrant`, cannot reach). The admin token's tokens stay as made. A creator who has since left
 * an Access group is not seen: no assertion comes with a token (docs/people.md says so).
 */
export function tokenRole(env: Pick<Env, "ADMINS">, token: LiveToken): Role | null {
  if (token.created_by_kind === "admin-token" || isListedAdmin(env, token.created_by)) return token.role;
  return lower(token.role, token.creator_grants.reduce<Role | null>(higher, null));
}

/** Notes a use, at most once an hour per token (a row written per request would cost D1 writes for nothing). */
export function touchToken(db: D1Database, id: string): Promise<unknown> {
  const at = nowIso();
  const hourAgo = new Date(nowMs() - 3_600_000).toISOString();
  return db
    .prepare(
      "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    )
    .bind(at, id, hourAgo)
    .run();
}
