/**
 * Standard base64 (RFC 4648 §4, padded) over bytes, with the platform's own atob/btoa, which work on
 * "binary strings" (one character per byte, 0–255): the two helpers below convert between those and
 * bytes, one byte per character, so no character outside that range ever reaches btoa.
 */

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The bytes of `text`, or undefined when it is not padded standard base64. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  // atob also accepts unpadded input and ASCII whitespace: hold stored values to the canonical form.
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}
