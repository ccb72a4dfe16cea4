/**
 * The app's Hono environment: bindings from wrangler.toml (generated into worker-configuration.d.ts
 * by `npm run cf-typegen`) and the per-request variables set by middleware.
 */
import type { RequestIdVariables } from "hono/request-id";
import type { DeferReason } from "./delivery/message";
import type { SourceRecord } from "./sources/record";

export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & {
    /** The authenticated webhook source (set by `requireSource`). */
    source: SourceRecord;
    /** The token it presented, kept only to redact it from what is stored. */
    sourceToken: string;
    /** Set by `meterSource` when the source is over its budget: the delivery goes to the queue. */
    overBudget: boolean;
    /** Why the delivery was deferred to the queue (for the log line). */
    deferReason: DeferReason;
  };
}
