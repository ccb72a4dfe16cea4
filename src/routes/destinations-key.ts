/**
 * The destination routes need DESTINATIONS_KEY (src/notify/destinations/keyring.ts): without a usable one they answer
 * 503 rather than store a URL they could not read back, or in the clear. Runs after the admin check,
 * so only an admin learns that the key is missing.
 */
import { createMiddleware } from "hono/factory";
import { DESTINATIONS_KEY_UNUSABLE, type Keyring, loadKeyring } from "../notify/destinations/keyring";
import { problem } from "../platform/http/problem";

export const destinationsKeyUnusable = () =>
  problem(503, {
    slug: "destinations-key-unusable",
    title: "Service unavailable",
    detail: DESTINATIONS_KEY_UNUSABLE,
  });

/** Sets `keyring`, or 503. */
export const requireDestinationsKey = () =>
  createMiddleware<{ Bindings: Env; Variables: { keyring: Keyring } }>(
    async function requireDestinationsKey(c, next) {
      const keyring = await loadKeyring(c.env.DESTINATIONS_KEY);
      if (!keyring) throw destinationsKeyUnusable();
      c.set("keyring", keyring);
      await next();
    },
  );
