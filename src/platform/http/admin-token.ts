/**
 * What counts as a usable ADMIN_TOKEN: at least 32 characters and not the placeholder that
 * `.dev.vars.example` ships. Anything weaker signs nobody in (guarding alerts with a guessable secret);
 * without Cloudflare Access the admin API and the dashboard then answer 503, and /readyz says so.
 */
import { problem } from "./problem";

const MIN_ADMIN_TOKEN_LENGTH = 32;

/** `.dev.vars.example`'s value (test/platform/http/admin-auth.test.ts reads that file, so the two stay in step). */
const EXAMPLE_ADMIN_TOKEN = "change-me-to-a-long-random-string";

export const ADMIN_TOKEN_UNUSABLE = `ADMIN_TOKEN is not set, is the example placeholder, or is shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters`;

export function isUsableAdminToken(token: string | undefined): token is string {
  return typeof token === "string" && token.length >= MIN_ADMIN_TOKEN_LENGTH && token !== EXAMPLE_ADMIN_TOKEN;
}

export const adminTokenUnusable = () =>
  problem(503, { slug: "admin-token-unusable", title: "Service unavailable", detail: ADMIN_TOKEN_UNUSABLE });
