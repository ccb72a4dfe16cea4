/**
 * What every statement that stores deliveries reads: the relation `delivery`, the new deliveries of one
 * write (a delivery seen before is not in it, so duplicates change nothing), and `touched`, one row per
 * (source, job) they belong to. Every statement is written once, set-based over these two relations, and
 * built for the two ways a write gets its deliveries ({@link Deliveries}):
 * - `one`: the webhook's synchronous path, one delivery bound as named parameters
 *   ({@link DELIVERY_PARAMS}); new when the event row with its fresh `event_uid` exists.
 * - `batch`: a queue batch, staged in the table `ingest_batch` by the batch's first statement and
 *   cleared by its last (a D1 batch is one transaction and D1 runs them one at a time, so no other write
 *   ever sees the staged rows).
 */
import { namedParams } from "../platform/db/params";

/** A delivery's values, by name: the columns of `delivery` and of the staging table (body last). */
export const DELIVERY_COLUMNS = [
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
  // 1 for a deploy (src/sources/policy.ts `isDeploy`): its alert keeps when it finished.
  "deploy",
  // The policy's `flaky` mode for the build (src/flaky/sql.ts).
  "flaky_mode",
  // Last: a statement binds the parameters up to the highest it uses, so only the event's insert
  // carries the body (up to 64 KiB) to D1.
  "body",
] as const;
export type DeliveryValues = Record<(typeof DELIVERY_COLUMNS)[number], unknown>;

/** The synchronous path's parameters (../platform/db/params.ts numbers them). */
export const DELIVERY_PARAMS = namedParams(DELIVERY_COLUMNS);
export const P = DELIVERY_PARAMS.ref;

/** The columns `delivery` carries (all but the body, which only the event row keeps). */
const ROW_COLUMNS = DELIVERY_COLUMNS.filter((column) => column !== "body");

/** Where a write's deliveries come from: one bound as parameters, or a staged queue batch. */
export type Deliveries = "one" | "batch";

/** The one delivery's event row exists: it is new. */
const IS_NEW = `EXISTS (SELECT 1 FROM events WHERE event_uid = ${P("uid")})`;

/**
 * The CTEs `delivery` and `touched` that open every statement of a write. A job's row in `touched`
 * carries the values of its latest delivery in the write (name, path, the policy's threshold; the
 * silence of its latest finished one: only a finished build reads the silences,
 * ../incidents/paging.ts), whether any of its deliveries finished a build or was green, and the
 * write's `stamp`: the time what the write derives (recoveries, incident changes, timeline entries) is
 * said to be learned, the latest time a delivery of the write was received.
 */
const CTES: Record<Deliveries, string> = {
  // One row straight from the parameters, not materialized: SQLite reads it in place (a temporary
  // table per statement would cost the synchronous path more than the statement's own work).
  one: `
delivery AS (
  SELECT 0 AS seq, ${ROW_COLUMNS.map((column) => `${P(column)} AS "${column}"`).join(", ")} WHERE ${IS_NEW}),
touched AS (
  SELECT 0 AS seq, ${P("source_id")} AS source_id, ${P("source_name")} AS source_name, ${P("job")} AS job,
         ${P("job_display_name")} AS job_display_name, ${P("job_path")} AS job_path,
         ${P("min_failures")} AS min_failures, ${P("silenced")} AS silenced,
         ${P("phase_rank")} >= 3 AS finished, ${P("kind")} = 'RESOLVE' AS green, ${P("received_at")} AS stamp
  WHERE ${IS_NEW})`,
  batch: `
delivery AS MATERIALIZED (
  SELECT seq, ${ROW_COLUMNS.map((column) => `"${column}"`).join(", ")} FROM ingest_batch
  WHERE EXISTS (SELECT 1 FROM events WHERE events.event_uid = ingest_batch.uid)),
touched AS MATERIALIZED (
  SELECT d.seq, d.source_id, d.source_name, d.job, d.job_display_name, d.job_path, d.min_failures,
         coalesce((SELECT p.silenced FROM delivery AS p
                   WHERE p.source_id = d.source_id AND p.job = d.job AND p.phase_rank >= 3
                   ORDER BY p.seq DESC LIMIT 1), d.silenced) AS silenced,
         j.finished, j.green, (SELECT max(received_at) FROM delivery) AS stamp
  FROM (SELECT max(seq) AS seq, max(phase_rank >= 3) AS finished, max(kind = 'RESOLVE') AS green
        FROM delivery GROUP BY source_id, job) AS j
  CROSS JOIN delivery AS d ON d.seq = j.seq)`,
};

/** The write's stamp (see {@link deliveryCtes}), in any statement that opens with them. */
export const WRITE_STAMP = "(SELECT stamp FROM touched LIMIT 1)";

/** The CTEs `delivery` and `touched` for deliveries `from`: the opening of every statement of a write. */
export const deliveryCtes = (from: Deliveries): string => CTES[from];
