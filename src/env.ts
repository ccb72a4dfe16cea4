/**
 * The app's Hono environment: bindings from wrangler.toml (generated into worker-configuration.d.ts
 * by `npm run cf-typegen`) and the per-request variables set by middleware.
 */
import type { SourceRecord } from "./sources/record";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The authenticated webhook source (set by `requireSource`). */
    source: SourceRecord;
    /** The token it presented, kept only to redact it from what is stored. */
    sourceToken: string;
  };
}
