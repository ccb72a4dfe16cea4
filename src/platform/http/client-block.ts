/**
 * Clients (by IP) that went over a failed-authentication cap. The Rate Limiting binding only answers
 * when asked (and counts the asking), so the verdict is remembered in the isolate for one limiter
 * period: until it expires, that client's failures are answered 429 without asking the limiter again.
 */

import { nowMs } from "../clock";
import { problem } from "./problem";

const BLOCK_MS = 60_000;
const MAX_BLOCKED = 10_000;
const blocked = new Map<string, number>();

/** The client's IP as Cloudflare saw it; a placeholder where there is none (local tests). */
export function clientIp(headers: Headers): string {
  return headers.get("CF-Connecting-IP") ?? "unknown";
}

export function isBlockedClient(ip: string, now = nowMs()): boolean {
  const until = blocked.get(ip);
  if (until === undefined) return false;
  if (until > now) return true;
  blocked.delete(ip);
  return false;
}

export function blockClient(ip: string, now = nowMs()): void {
  if (blocked.size >= MAX_BLOCKED) blocked.clear();
  blocked.set(ip, now + BLOCK_MS);
}

export const tooManyRequests = (detail = "Too many failed attempts from this address; retry later.") =>
  problem(429, {
    slug: "too-many-requests",
    title: "Too many requests",
    detail,
    headers: { "Retry-After": "60" },
  });
