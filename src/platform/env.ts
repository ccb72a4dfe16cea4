/**
 * The app's Hono environment: bindings from wrangler.toml (generated into worker-configuration.d.ts
 * by `npm run cf-typegen`) and the variables every request has. Middleware that sets a variable of
 * its own declares it itself (`createMiddleware<{ Variables: … }>`), so a handler sees it only where
 * that middleware ran.
 */
import type { RequestIdVariables } from "hono/request-id";

export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables;
}
