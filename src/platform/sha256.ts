/**
 * SHA-256 of a string's UTF-8 bytes, as 64 hex digits, synchronously: the job identity is derived in the
 * pure domain core, where `crypto.subtle.digest` (a promise) cannot be awaited. @noble/hashes does the
 * hashing (audited, no dependencies, runs in workerd as it is).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** `text` (as UTF-8) → its SHA-256 digest in lower-case hex. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
