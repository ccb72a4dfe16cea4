/**
 * Personal API tokens as values: `itoc_pat_` and 43 characters of base64url (32 random bytes). The prefix
 * tells a reader (and a secret scanner) what a leaked string is, and lets authentication tell a personal
 * token from the ADMIN_TOKEN without a lookup. Only the SHA-256 is stored, as for source tokens.
 */
import { sha256Hex } from "../platform/sha256";

export const TOKEN_PREFIX = "itoc_pat_";

/** A new token's value, shown once. */
export function newTokenValue(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const base64 = btoa(String.fromCharCode(...bytes));
  return TOKEN_PREFIX + base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export const looksLikePersonalToken = (value: string) => value.startsWith(TOKEN_PREFIX);

/** What the table keeps instead of the token. */
export const tokenHash = (value: string) => sha256Hex(value);
