/**
 * Destinations with their secrets: creating one (its URL, and a webhook's signing secret, sealed under
 * the current key) and changing one (everything sealed again under the current key, which is how a
 * PATCH re-encrypts). Re-encrypting them all: {@link reencryptAll}; reading them decrypted: {@link readDestinationsToSend}.
 * Plaintext URLs and secrets live only in memory here and in the answer that creates them.
 */

import type { Actor } from "../../audit/actor";
import { changedFields } from "../../audit/diff";
import type { FieldProblem } from "../../platform/issues";
import { SLACK_API_ORIGIN } from "../slack/web-api";
import { newSigningSecret } from "../webhook/message";
import { auditedFields, destinationEntry } from "./audited";
import { type Keyring, open, seal, UnreadableSecret } from "./keyring";
import { addressProblem } from "./schema";
import { type Destination, type DestinationFields, getSealedDestination } from "./store";
import { urlDisplay } from "./url";
import { deleteDestination, insertDestination, saveDestination, writeSealed } from "./writes";

export interface NewDestination
  extends Pick<Destination, "name" | "kind" | "match" | "on" | "escalate_after_ms" | "slack_channel"> {
  /** Already checked against the SSRF rules; null for a Slack app. */
  url: string | null;
  /** A Slack app's bot token (with `slack_channel`); null for every other destination. */
  botToken: string | null;
}

/**
 * Creates a destination; `secret` is the webhook signing secret, to be shown this once (null otherwise).
 * "too-many", storing nothing, when there are MAX_DESTINATIONS already.
 */
export async function createDestination(
  db: D1Database,
  keyring: Keyring,
  input: NewDestination,
  at: string,
  actor: Actor,
): Promise<{ destination: Destination; secret: string | null } | "too-many"> {
  const { url, botToken, ...rest } = input;
  const fields: DestinationFields = {
    ...rest,
    url_display: url === null ? SLACK_API_ORIGIN : urlDisplay(new URL(url)),
    disabled_at: null,
    disabled_reason: null,
  };
  // A Slack app's bot token is sealed where a URL is (migrations/0012_slack_app.sql).
  const address = url ?? botToken;
  if (address === null) throw new Error("a destination needs a URL or a Slack app's bot token");
  const secret = input.kind === "webhook" ? newSigningSecret() : null;
  // The ciphertexts are bound to the row's id, so the row comes first (see the migration).
  const id = await insertDestination(db, fields, at);
  if (id === null) return "too-many";
  try {
    const sealedUrl = await seal(keyring, id, "url", address);
    const sealedSecret = secret === null ? null : await seal(keyring, id, "secret", secret);
    const audit = destinationEntry(actor, "destination.created", id, auditedFields(fields));
    await writeSealed(db, id, sealedUrl, sealedSecret, audit);
  } catch (err) {
    await deleteDestination(db, id, null).catch(() => {});
    throw err;
  }
  return { destination: { id, ...fields, created_at: at, updated_at: at }, secret };
}

/** The `disabled_reason` of a destination paused by hand (`"disabled": true`), as opposed to a receiver's 410. */
export const PAUSED_REASON = "disabled by hand";

export interface DestinationChange
  extends Partial<Pick<Destination, "name" | "match" | "on" | "escalate_after_ms">> {
  /** A new URL, already checked against the SSRF rules (not for a Slack app). */
  url?: string;
  /** A Slack app's new bot token and channel. */
  botToken?: string;
  channel?: string;
  /** false re-enables a disabled destination; true disables it by hand. */
  disabled?: boolean;
}

/** The stored fields after `change`; the URL's display and the disabled state follow it. */
export function applyChange(current: Destination, change: DestinationChange, at: string): DestinationFields {
  const { id: _id, created_at: _created, updated_at: _updated, ...fields } = current;
  const next: DestinationFields = {
    ...fields,
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.match !== undefined ? { match: change.match } : {}),
    ...(change.on !== undefined ? { on: change.on } : {}),
    ...(change.escalate_after_ms !== undefined ? { escalate_after_ms: change.escalate_after_ms } : {}),
    ...(change.url !== undefined ? { url_display: urlDisplay(new URL(change.url)) } : {}),
    ...(change.channel !== undefined ? { slack_channel: change.channel } : {}),
  };
  if (change.disabled === false) return { ...next, disabled_at: null, disabled_reason: null };
  if (change.disabled === true && next.disabled_at === null) {
    return { ...next, disabled_at: at, disabled_reason: PAUSED_REASON };
  }
  return next;
}

export type ChangeOutcome =
  | { changed: Destination }
  | { missing: true }
  | { invalid: FieldProblem }
  /** Its URL or secret was sealed under a key no longer in DESTINATIONS_KEY. */
  | { unreadable: string };

/**
 * Applies `change` to destination `id`, sealing its URL and secret again under the current key. `check`
 * may refuse the result (an escalation without its delay, say) before anything is written. Recorded as
 * `destination.disabled` when it disables one by hand, else as `destination.changed` with the fields that
 * changed.
 */
export async function changeDestination(
  db: D1Database,
  keyring: Keyring,
  id: number,
  change: DestinationChange,
  at: string,
  actor: Actor,
  check: (fields: DestinationFields) => FieldProblem | undefined = () => undefined,
): Promise<ChangeOutcome> {
  const current = await getSealedDestination(db, id);
  if (!current) return { missing: true };
  const app = current.slack_channel !== null;
  const given = { url: change.url, bot_token: change.botToken, channel: change.channel };
  const invalid = addressProblem(current.kind, given, app) ?? check(applyChange(current, change, at));
  if (invalid) return { invalid };
  const fields = applyChange(current, change, at);
  let plain: { url: string; secret: string | null };
  try {
    plain = {
      // The sealed address: a URL, or a Slack app's bot token.
      url: change.url ?? change.botToken ?? (await open(keyring, id, "url", current.url)),
      secret: current.secret && (await open(keyring, id, "secret", current.secret)),
    };
  } catch (err) {
    if (err instanceof UnreadableSecret) return { unreadable: err.message };
    throw err;
  }
  const url = await seal(keyring, id, "url", plain.url);
  const secret = plain.secret === null ? null : await seal(keyring, id, "secret", plain.secret);
  const details = changedFields(auditedFields(current), auditedFields(fields));
  if (change.url !== undefined) details.after.url = "changed"; // never the URL itself
  if (change.botToken !== undefined) details.after.bot_token = "changed"; // nor the token
  const disabling = current.disabled_at === null && fields.disabled_at !== null;
  const action = disabling ? "destination.disabled" : "destination.changed";
  const audit = destinationEntry(actor, action, id, details);
  if (!(await saveDestination(db, id, fields, url, secret, at, audit))) return { missing: true };
  return { changed: { id, ...fields, created_at: current.created_at, updated_at: at } };
}
