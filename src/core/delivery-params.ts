/**
 * The parameters every statement that stores a delivery may use, by name, and the condition each
 * statement after the event's insert acts on: that the event row with this delivery's fresh
 * `event_uid` exists, i.e. that the delivery is new (duplicates change nothing).
 */
import { namedParams } from "../platform/db/params";

/** Every value a delivery's statements use, by name (../platform/db/params.ts numbers them). */
export const DELIVERY_PARAMS = namedParams([
  "uid",
  "source_id",
  "source_name",
  "job",
  "job_display_name",
  "build_number",
  "build_url",
  "phase",
  "phase_rank",
  "status",
  "kind",
  "priority",
  "title",
  "branch",
  "commit",
  "received_at",
  "state",
  "finished_ts",
  "duration_ms",
  "culprits",
  "changes_count",
  "test_summary",
  "summary",
  "build_timestamp",
  "body_truncated",
  "body_format",
  "deferred",
  // The source's noise policy and silences applied to this build (src/incidents/paging.ts).
  "incident_priority",
  "min_failures",
  "silenced",
  "job_path",
  // Last: a statement binds the parameters up to the highest it uses, so only the event's insert
  // carries the body (up to 64 KiB) to D1.
  "body",
]);
export const P = DELIVERY_PARAMS.ref;

/** True only for a delivery not seen before. */
export const IS_NEW = `EXISTS (SELECT 1 FROM events WHERE event_uid = ${P("uid")})`;
