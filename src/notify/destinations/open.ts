/**
 * Destinations decrypted for sending: for the queue consumer and the test route, never for an answer or
 * a log line.
 */

import {
  DESTINATIONS_KEY_UNUSABLE,
  DestinationsKeyUnusable,
  type Keyring,
  loadKeyring,
  open,
  UnreadableSecret,
} from "./keyring";
import { type Destination, listSealedDestinations, type SealedDestination } from "./store";

/** A destination with its secrets in the clear: for sending, never for an answer or a log. */
export interface SendableDestination extends Destination {
  /** Where its messages are POSTed; null for a Slack app, which posts through the Web API. */
  url: string | null;
  /** A Slack app's bot token (it posts to `slack_channel`); null for every other destination. */
  botToken: string | null;
  /** The webhook's `whsec_…` signing secret; null for Slack and Teams. */
  secret: string | null;
}

/**
 * The enabled destinations (or, with `ids`, those of them), decrypted for sending. Throws
 * DestinationsKeyUnusable when DESTINATIONS_KEY is unset or malformed (retry later: nothing can be
 * sent). A destination whose secrets do not decrypt (its key was dropped too soon) is left out, with one
 * `destination_unreadable` log line naming its id and key id.
 */
export async function readDestinationsToSend(
  db: D1Database,
  env: Pick<Env, "DESTINATIONS_KEY">,
  ids?: readonly number[],
): Promise<SendableDestination[]> {
  const keyring = await loadKeyring(env.DESTINATIONS_KEY);
  if (!keyring) throw new DestinationsKeyUnusable();
  const rows = await listSealedDestinations(db, { enabledOnly: true, ids });
  const opened = await Promise.all(rows.map((row) => openForSending(keyring, row)));
  return opened.filter((destination): destination is SendableDestination => destination !== null);
}

/** One destination for one attempt: decrypted, gone (deleted or disabled), or unreadable and why. */
export type DestinationRead =
  | { destination: SendableDestination }
  | { missing: true }
  | { unreadable: string };

/**
 * Enabled destination `id` for one attempt. Unlike {@link readDestinationsToSend}, a key mistake
 * (DESTINATIONS_KEY unset or malformed, or this row not decrypting under it) is an answer, not a
 * throw or an absence: the notification waits for the key rather than failing.
 */
export async function readDestinationForAttempt(
  db: D1Database,
  env: Pick<Env, "DESTINATIONS_KEY">,
  id: number,
): Promise<DestinationRead> {
  const [row] = await listSealedDestinations(db, { enabledOnly: true, ids: [id] });
  if (!row) return { missing: true };
  const keyring = await loadKeyring(env.DESTINATIONS_KEY);
  if (!keyring) return { unreadable: DESTINATIONS_KEY_UNUSABLE };
  return openLogged(keyring, row);
}

/** One destination decrypted, or null (logged) when it does not decrypt. */
export async function openForSending(
  keyring: Keyring,
  row: SealedDestination,
): Promise<SendableDestination | null> {
  const opened = await openLogged(keyring, row);
  return "destination" in opened ? opened.destination : null;
}

async function openLogged(keyring: Keyring, row: SealedDestination) {
  const opened = await openDestination(keyring, row);
  if ("unreadable" in opened) {
    console.error(
      JSON.stringify({
        event: "destination_unreadable",
        destination_id: row.id,
        key_id: row.url.keyId,
        error: opened.unreadable,
      }),
    );
  }
  return opened;
}

/** `row` decrypted, or why not (a sentence naming the key id, never a ciphertext). Logs nothing. */
export async function openDestination(
  keyring: Keyring,
  row: SealedDestination,
): Promise<{ destination: SendableDestination } | { unreadable: string }> {
  const { url, secret, ...destination } = row;
  try {
    // A Slack app's sealed `url` is its bot token (migrations/0012_slack_app.sql).
    const address = await open(keyring, row.id, "url", url);
    const app = row.slack_channel !== null;
    return {
      destination: {
        ...destination,
        url: app ? null : address,
        botToken: app ? address : null,
        secret: secret && (await open(keyring, row.id, "secret", secret)),
      },
    };
  } catch (err) {
    if (!(err instanceof UnreadableSecret)) throw err;
    return { unreadable: err.message };
  }
}
