/**
 * Slack users linked to people (table `slack_links`) and the one-time codes that link them
 * (`slack_link_codes`, only the code's SHA-256 kept). Linking uses the code up, links, and records
 * `slack.linked` in one batch, so a code links once however often it is posted.
 */
import type { Actor } from "../audit/actor";
import { auditStatement, CHANGED } from "../audit/entry";
import { nowIso, nowMs } from "../platform/clock";
import { sha256Hex } from "../platform/sha256";

/** How long a link code is good for. */
export const LINK_CODE_MINUTES = 15;

/** A Slack user as an interaction names them. */
export interface SlackUser {
  teamId: string;
  teamName: string;
  userId: string;
  userName: string;
}

/** The email of the person `teamId`/`userId` is linked to, or null. */
export async function linkedPerson(db: D1Database, teamId: string, userId: string): Promise<string | null> {
  return db
    .prepare("SELECT person FROM slack_links WHERE team_id = ?1 AND user_id = ?2")
    .bind(teamId, userId)
    .first<string>("person");
}

/** A new one-time code for `user` (128 random bits, base64url); only its hash is stored. */
export async function createLinkCode(db: D1Database, user: SlackUser): Promise<string> {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const code = btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  const expires = new Date(nowMs() + LINK_CODE_MINUTES * 60_000).toISOString();
  await db
    .prepare(
      `INSERT INTO slack_link_codes (code_hash, team_id, user_id, user_name, team_name, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
    )
    .bind(sha256Hex(code), user.teamId, user.userId, user.userName, user.teamName, expires)
    .run();
  return code;
}

/** The Slack user an unused, unexpired `code` would link, or null. */
export async function pendingLink(db: D1Database, code: string): Promise<SlackUser | null> {
  const row = await db
    .prepare(
      `SELECT team_id, team_name, user_id, user_name FROM slack_link_codes
       WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2`,
    )
    .bind(sha256Hex(code), nowIso())
    .first<{ team_id: string; team_name: string; user_id: string; user_name: string }>();
  return (
    row && { teamId: row.team_id, teamName: row.team_name, userId: row.user_id, userName: row.user_name }
  );
}

/** Uses `code` up and links its Slack user to `actor` (a person); false when the code is used, expired or unknown. */
export async function linkWithCode(
  db: D1Database,
  code: string,
  user: SlackUser,
  actor: Actor,
): Promise<boolean> {
  const at = nowIso();
  const hash = sha256Hex(code);
  const [used] = await db.batch([
    db
      .prepare(
        "UPDATE slack_link_codes SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
      )
      .bind(hash, at),
    // `WHERE true`: SQLite's upsert after INSERT … SELECT needs it to parse.
    db
      .prepare(
        `INSERT INTO slack_links (team_id, user_id, user_name, team_name, person, linked_at)
         SELECT team_id, user_id, user_name, team_name, ?3, ?2 FROM slack_link_codes
         WHERE code_hash = ?1 AND used_at = ?2 AND true
         ON CONFLICT (team_id, user_id) DO UPDATE SET user_name = excluded.user_name,
           team_name = excluded.team_name, person = excluded.person, linked_at = excluded.linked_at`,
      )
      .bind(hash, at, actor.name.toLowerCase()),
    auditStatement(
      db,
      {
        actor,
        action: "slack.linked",
        target: `person:${actor.name.toLowerCase()}`,
        details: { team: user.teamId, user: user.userId, name: user.userName },
      },
      at,
      { when: CHANGED },
    ),
  ]);
  return (used?.meta.changes ?? 0) > 0;
}

/** The Slack users linked to `person`, oldest link first. */
export async function linksOf(db: D1Database, person: string): Promise<(SlackUser & { linkedAt: string })[]> {
  const { results } = await db
    .prepare(
      `SELECT team_id, team_name, user_id, user_name, linked_at FROM slack_links WHERE person = ?1
       ORDER BY linked_at, team_id, user_id`,
    )
    .bind(person.toLowerCase())
    .all<{ team_id: string; team_name: string; user_id: string; user_name: string; linked_at: string }>();
  return results.map((row) => ({
    teamId: row.team_id,
    teamName: row.team_name,
    userId: row.user_id,
    userName: row.user_name,
    linkedAt: row.linked_at,
  }));
}

/** Unlinks a Slack user from `actor` (only their own link), recording `slack.unlinked`; false when there was none. */
export async function unlink(db: D1Database, teamId: string, userId: string, actor: Actor): Promise<boolean> {
  const person = actor.name.toLowerCase();
  const [deleted] = await db.batch([
    db
      .prepare("DELETE FROM slack_links WHERE team_id = ?1 AND user_id = ?2 AND person = ?3")
      .bind(teamId, userId, person),
    auditStatement(
      db,
      {
        actor,
        action: "slack.unlinked",
        target: `person:${person}`,
        details: { team: teamId, user: userId },
      },
      nowIso(),
      { when: CHANGED },
    ),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}
