import * as v from "valibot";

/** A webhook source: one Jenkins (or one group of jobs) posting with one token. */
export interface SourceRecord {
  id: string;
  name: string;
  provider: "jenkins";
  created_at: string;
  disabled: boolean;
  /** QUEUED, STARTED and successful builds are recorded but open no alert (docs/alerts.md "Alert states"). */
  quiet_lifecycle?: boolean;
  revoked_at?: string;
}

export const MAX_SOURCE_NAME_LENGTH = 100;

export const SourceNameSchema = v.pipe(
  v.string("expected a string"),
  v.trim(),
  v.minLength(1, "must not be empty"),
  v.maxLength(MAX_SOURCE_NAME_LENGTH, `at most ${MAX_SOURCE_NAME_LENGTH} characters`),
);

/**
 * Source ids are `crypto.randomUUID()` values (./actions.ts). Anything else names no source and is
 * answered before any KV access: a long one would overflow KV's 512-byte key limit (a 500).
 */
const SOURCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isSourceId = (id: string): boolean => SOURCE_ID.test(id);

/** A source id as a schema, for the API's description (the routes check ids with `isSourceId`). */
export const SourceIdSchema = v.pipe(v.string(), v.regex(SOURCE_ID, "expected a source id"));
