/**
 * Personal API tokens in D1 (table `api_tokens`): created with their value shown once, listed without it,
 * revoked at once and for good (`revoked_at` is set once and never cleared: the one-way rule source
 * revocations follow), found by the SHA-256 of the value a request presents.
 */
import type { Actor } from "../audit/actor";
import { auditStatement } from "../audit/entry";
import { nowIso, nowMs } from "../platform/clock";
import type { Role } from "./roles";
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

/** Creates a token for `creator` (its role already checked against theirs); the value is in the answer only. */
export async function createToken(
  db: D1Database,
  init: { name: string; role: Role; expiresInMs: number },
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
        `INSERT INTO api_tokens (id, name, token_hash, role, created_by, created_by_kind, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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
      ),
    auditStatement(
      db,
      { actor: creator, action: "token.created", target: `token:${token.id}`, details },
      token.created_at,
    ),
  ]);
  return { token, value };
}

/** Tokens, newest first: all of them, or those `createdBy` created. */
export async function listTokens(db: D1Database, createdBy: string | null): Promise<ApiToken[]> {
  const where = createdBy === null ? "" : "WHERE created_by = ?";
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

/** The live token whose value this is (not revoked, not expired), or null. */
export async function findLiveToken(db: D1Database, value: string): Promise<ApiToken | null> {
  return db
    .prepare(
      `SELECT ${COLUMNS} FROM api_tokens
       WHERE token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
    )
    .bind(tokenHash(value), nowIso())
    .first<ApiToken>();
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
