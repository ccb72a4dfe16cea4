/**
 * Destinations decrypted for sending: for the queue consumer and the test route, never for an answer or
 * a log line.
 */
import { type Destination, listSealedDestinations, type SealedDestination } from "../db/destinations";
import { DestinationsKeyUnusable, type Keyring, loadKeyring, open, UnreadableSecret } from "./keyring";

/** A destination with its URL and signing secret in the clear: for sending, never for an answer or a log. */
export interface DeliveryDestination extends Destination {
  url: string;
  /** The webhook's `whsec_…` signing secret; null for Slack and Teams. */
  secret: string | null;
}

/**
 * The enabled destinations (or, with `ids`, those of them), decrypted for delivery. Throws
 * DestinationsKeyUnusable when DESTINATIONS_KEY is unset or malformed (retry later: nothing can be
 * sent). A destination whose secrets do not decrypt (its key was dropped too soon) is left out, with one
 * `destination_unreadable` log line naming its id and key id.
 */
export async function readDestinationsForDelivery(
  db: D1Database,
  env: Pick<Env, "DESTINATIONS_KEY">,
  ids?: readonly number[],
): Promise<DeliveryDestination[]> {
  const keyring = await loadKeyring(env.DESTINATIONS_KEY);
  if (!keyring) throw new DestinationsKeyUnusable();
  const rows = await listSealedDestinations(db, { enabledOnly: true, ids });
  const opened = await Promise.all(rows.map((row) => openForDelivery(keyring, row)));
  return opened.filter((destination): destination is DeliveryDestination => destination !== null);
}

/** One destination decrypted, or null (logged) when it does not decrypt. */
export async function openForDelivery(
  keyring: Keyring,
  row: SealedDestination,
): Promise<DeliveryDestination | null> {
  const { url, secret, ...destination } = row;
  try {
    return {
      ...destination,
      url: await open(keyring, row.id, "url", url),
      secret: secret && (await open(keyring, row.id, "secret", secret)),
    };
  } catch (err) {
    if (!(err instanceof UnreadableSecret)) throw err;
    console.error(
      JSON.stringify({
        event: "destination_unreadable",
        destination_id: row.id,
        key_id: url.keyId,
        error: err.message,
      }),
    );
    return null;
  }
}
