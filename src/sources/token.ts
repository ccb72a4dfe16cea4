/**
 * Source tokens: `itoc_` + 32 base64url characters (192 random bits). Only their SHA-256 is ever
 * stored; the plain token exists in the creation response and in Jenkins, nowhere else.
 */

export const TOKEN_PREFIX = "itoc_";
const TOKEN_PATTERN = /^itoc_[A-Za-z0-9_-]{32}$/;

export function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return TOKEN_PREFIX + btoa(binary).replaceAll("+", "-").replaceAll("/", "_");
}

/** Whether `token` could have been issued by us: lets garbage be refused without a KV read. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
