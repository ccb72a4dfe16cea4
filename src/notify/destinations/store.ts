/**
 * Destinations in D1 (migrations/0006_notifications.sql) as models: the JSON columns decoded once, here,
 * and the encrypted URL and secret kept sealed (src/notify/ opens them). Rows whose creation did not
 * finish (no URL ciphertext yet) are never read. Writes: ./writes.ts.
 */

import type { DestinationKind, NotifyEvent } from "../../core/vocabulary";
import type { Sealed } from "./keyring";
import type { DestinationMatch } from "./match";

interface DestinationRow {
  id: number;
  name: string;
  kind: DestinationKind;
  url_ciphertext: string;
  url_key_id: string;
  url_display: string;
  secret_ciphertext: string | null;
  secret_key_id: string | null;
  match: string;
  on_events: string;
  escalate_after_ms: number | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  slack_channel: string | null;
  created_at: string;
  updated_at: string;
}

/** A destination without its secrets: what the API shows (see toApiDestination). */
export interface Destination {
  id: number;
  name: string;
  kind: DestinationKind;
  /** The URL's scheme and host, never more. */
  url_display: string;
  match: DestinationMatch;
  on: NotifyEvent[];
  escalate_after_ms: number | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  /**
   * A Slack app destination's channel ID (its sealed `url` is then the bot token, and it posts through
   * the Web API); null for an incoming webhook and every other kind.
   */
  slack_channel: string | null;
  created_at: string;
  updated_at: string;
}

/** The fields a destination is created or saved with (its secrets apart). */
export type DestinationFields = Omit<Destination, "id" | "created_at" | "updated_at">;

/**
 * A destination with its URL (a Slack app's: its bot token) and signing secret (webhook only) still
 * encrypted.
 */
export interface SealedDestination extends Destination {
  url: Sealed;
  secret: Sealed | null;
}

function rowToDestination(row: DestinationRow): SealedDestination {
  const { url_ciphertext, url_key_id, secret_ciphertext, secret_key_id, match, on_events, ...rest } = row;
  return {
    ...rest,
    match: JSON.parse(match) as DestinationMatch,
    on: JSON.parse(on_events) as NotifyEvent[],
    url: { ciphertext: url_ciphertext, keyId: url_key_id },
    secret:
      secret_ciphertext !== null && secret_key_id !== null
        ? { ciphertext: secret_ciphertext, keyId: secret_key_id }
        : null,
  };
}

const COLUMNS = `id, name, kind, url_ciphertext, url_key_id, url_display, secret_ciphertext, secret_key_id,
  match, on_events, escalate_after_ms, disabled_at, disabled_reason, slack_channel, created_at, updated_at`;

/**
 * Every destination (or those with the given ids, or the Slack app destinations posting to
 * `slackChannel`), oldest first; or a page of them: `limit` of those after the id `after` (the API's
 * listing, keyset-paged like the others but oldest first).
 */
export async function listSealedDestinations(
  db: D1Database,
  options: {
    enabledOnly?: boolean;
    ids?: readonly number[];
    slackChannel?: string;
    after?: number;
    limit?: number;
  } = {},
): Promise<SealedDestination[]> {
  const conditions = ["url_ciphertext IS NOT NULL"];
  const params: (string | number)[] = [];
  const bind = (value: string | number) => `?${params.push(value)}`;
  if (options.enabledOnly) conditions.push("disabled_at IS NULL");
  if (options.ids)
    conditions.push(`id IN (SELECT value FROM json_each(${bind(JSON.stringify(options.ids))}))`);
  if (options.slackChannel !== undefined) conditions.push(`slack_channel = ${bind(options.slackChannel)}`);
  if (options.after !== undefined) conditions.push(`id > ${bind(options.after)}`);
  const limit = options.limit === undefined ? "" : `LIMIT ${bind(options.limit)}`;
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM destinations WHERE ${conditions.join(" AND ")} ORDER BY id ${limit}`)
    .bind(...params)
    .all<DestinationRow>();
  return results.map(rowToDestination);
}

export async function getSealedDestination(db: D1Database, id: number): Promise<SealedDestination | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM destinations WHERE id = ?1 AND url_ciphertext IS NOT NULL`)
    .bind(id)
    .first<DestinationRow>();
  return row ? rowToDestination(row) : null;
}
