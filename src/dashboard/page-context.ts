/** What the dashboard's route modules share: their Hono env, with the CSP nonce secureHeaders sets. */
import type { AppEnv } from "../env";

export type DashboardEnv = AppEnv & { Variables: { secureHeadersNonce?: string } };

export const nonce = (c: { get: (key: "secureHeadersNonce") => string | undefined }) =>
  c.get("secureHeadersNonce") ?? "";
