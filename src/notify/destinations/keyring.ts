/**
 * Secrets at rest: destination URLs and webhook signing secrets are AES-256-GCM encrypted (Web Crypto)
 * under DESTINATIONS_KEY, a Worker secret of its own (not derived from ADMIN_TOKEN: rotating one must
 * not touch the other). It holds one or more keys, `<id>:<base64 of 32 random bytes>`, comma-separated:
 * the first encrypts, every one decrypts, so a key is rotated by putting a new one first, re-encrypting
 * (POST /api/destinations/reencrypt), then dropping the old one (docs/notifications.md "DESTINATIONS_KEY and key rotation").
 *
 * Each ciphertext is base64(iv ‖ ciphertext ‖ tag) with a random 12-byte IV, stored beside the id of
 * its key; its associated data is `destination:<id>:<field>`, so a ciphertext copied into another row
 * or field does not decrypt there.
 */
import { base64ToBytes, bytesToBase64 } from "../../platform/base64";

export interface Keyring {
  /** The id of the key new ciphertexts are made with: the first in DESTINATIONS_KEY. */
  currentId: string;
  keys: ReadonlyMap<string, CryptoKey>;
}

/** What a destination keeps encrypted. */
export type SealedField = "url" | "secret";

export interface Sealed {
  ciphertext: string;
  keyId: string;
}

export const DESTINATIONS_KEY_UNUSABLE =
  "DESTINATIONS_KEY is not set or not valid: expected `<id>:<base64 of 32 random bytes>`, comma-separated";

/** Thrown for a ciphertext whose key is not in DESTINATIONS_KEY, or that does not decrypt. */
export class UnreadableSecret extends Error {
  override name = "UnreadableSecret";
}

const ENTRY = /^([A-Za-z0-9_-]{1,32}):(.*)$/;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** DESTINATIONS_KEY's keys in order, or undefined when it is unset or any entry is malformed. */
export function parseDestinationsKey(value: string | undefined): [string, Uint8Array][] | undefined {
  if (!value) return undefined;
  const entries: [string, Uint8Array][] = [];
  for (const text of value.split(",")) {
    const [, id = "", material = ""] = ENTRY.exec(text.trim()) ?? [];
    const bytes = base64ToBytes(material);
    // A broken entry (an old key mistyped) would leave its rows unreadable: refuse the whole value.
    if (!id || bytes?.length !== KEY_BYTES || entries.some(([seen]) => seen === id)) return undefined;
    entries.push([id, bytes]);
  }
  return entries;
}

export async function loadKeyring(value: string | undefined): Promise<Keyring | undefined> {
  const entries = parseDestinationsKey(value);
  const [first] = entries ?? [];
  if (!entries || !first) return undefined;
  const keys = new Map<string, CryptoKey>();
  for (const [id, material] of entries) {
    keys.set(id, await crypto.subtle.importKey("raw", material, "AES-GCM", false, ["encrypt", "decrypt"]));
  }
  return { currentId: first[0], keys };
}

const associatedData = (destinationId: number, field: SealedField) =>
  new TextEncoder().encode(`destination:${destinationId}:${field}`);

/** `plaintext` encrypted under the current key, for `field` of destination `destinationId`. */
export async function seal(
  keyring: Keyring,
  destinationId: number,
  field: SealedField,
  plaintext: string,
): Promise<Sealed> {
  const key = keyring.keys.get(keyring.currentId);
  if (!key) throw new UnreadableSecret("the current key is missing from the keyring");
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const encrypted = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: associatedData(destinationId, field) },
    key,
    new TextEncoder().encode(plaintext),
  );
  const sealed = new Uint8Array(IV_BYTES + encrypted.byteLength);
  sealed.set(iv);
  sealed.set(new Uint8Array(encrypted), IV_BYTES);
  return { ciphertext: bytesToBase64(sealed), keyId: keyring.currentId };
}

/** The plaintext of `sealed`; UnreadableSecret when its key is gone or it was not made for this field. */
export async function open(
  keyring: Keyring,
  destinationId: number,
  field: SealedField,
  sealed: Sealed,
): Promise<string> {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) throw new UnreadableSecret(`key "${sealed.keyId}" is not in DESTINATIONS_KEY`);
  const bytes = base64ToBytes(sealed.ciphertext);
  if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) throw new UnreadableSecret("malformed ciphertext");
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: bytes.subarray(0, IV_BYTES),
        additionalData: associatedData(destinationId, field),
      },
      key,
      bytes.subarray(IV_BYTES),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new UnreadableSecret(`does not decrypt with key "${sealed.keyId}"`);
  }
}

/** Thrown where DESTINATIONS_KEY is needed outside a request (the queue consumer): unset or malformed. */
export class DestinationsKeyUnusable extends Error {
  override name = "DestinationsKeyUnusable";
  constructor() {
    super(DESTINATIONS_KEY_UNUSABLE);
  }
}
