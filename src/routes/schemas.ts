/**
 * What the admin API answers, as valibot schemas: the OpenAPI document's response components
 * (../routes/openapi.ts) and what test/routes/api-answers.test.ts checks real answers against. Nothing
 * parses with them at run time. Objects are not strict, so the document leaves room for fields added
 * later; the test refuses undocumented ones.
 */
import * as v from "valibot";
import {
  AlertStateSchema,
  JobStateSchema,
  KindSchema,
  PHASES,
  PrioritySchema,
  STATUSES,
} from "../core/vocabulary";
import { HEARTBEAT_MODES } from "../heartbeats/rules";
import { SourceIdSchema } from "../sources/model";
import { FLAKY_MODES } from "../sources/policy";

export const Integer = v.pipe(v.number(), v.integer());
export const Timestamp = v.pipe(v.string(), v.isoTimestamp());
const Phase = v.picklist(PHASES);
const Status = v.picklist(STATUSES);
export const NextCursor = v.pipe(
  v.nullable(v.string()),
  v.description("Pass as `cursor` for the next page; null on the last page."),
);

export const TestSummarySchema = v.object({
  total: Integer,
  failed: Integer,
  passed: Integer,
  skipped: Integer,
  failed_tests: v.array(v.string()),
});

/** `toApiAlert` in src/routes/alerts.ts: the Alert model (src/alerts/store.ts) and its provider. */
export const AlertSchema = v.object({
  id: Integer,
  source_id: v.string(),
  source_name: v.string(),
  provider: v.literal("jenkins"),
  job: v.string(),
  job_display_name: v.string(),
  build_number: Integer,
  build_url: v.nullable(v.string()),
  phase: Phase,
  status: v.nullable(Status),
  kind: KindSchema,
  priority: PrioritySchema,
  state: AlertStateSchema,
  resolved_at: v.nullable(Timestamp),
  resolved_by_build: v.nullable(Integer),
  flapping: v.boolean(),
  title: v.string(),
  summary: v.nullable(v.string()),
  branch: v.nullable(v.string()),
  commit: v.nullable(v.string()),
  culprits: v.nullable(v.array(v.string())),
  changes_count: v.nullable(Integer),
  test_summary: v.nullable(TestSummarySchema),
  duration_ms: v.nullable(Integer),
  event_count: Integer,
  purged_events: v.pipe(Integer, v.description("Events of this alert that retention has purged.")),
  first_seen_at: Timestamp,
  last_seen_at: Timestamp,
});

/** One delivery in an alert's timeline: its document as `payload` (XML read as JSON), never the stored text. */
export const AlertEventSchema = v.object({
  id: Integer,
  phase: Phase,
  status: v.nullable(Status),
  kind: KindSchema,
  priority: PrioritySchema,
  build_timestamp: Integer,
  received_at: Timestamp,
  body_format: v.picklist(["json", "xml"]),
  body_truncated: v.boolean(),
  payload: v.unknown(),
});

export const AlertWithEventsSchema = v.object({ ...AlertSchema.entries, events: v.array(AlertEventSchema) });
export const AlertListSchema = v.object({ alerts: v.array(AlertSchema), next_cursor: NextCursor });

/** A job's heartbeat (src/heartbeats/rules.ts): durations in milliseconds. */
export const HeartbeatSchema = v.object({
  mode: v.pipe(
    v.picklist(HEARTBEAT_MODES),
    v.description(
      "learned from the job's build starts, set by hand (manual), off, or learning (too few starts yet)",
    ),
  ),
  every: v.pipe(v.nullable(Integer), v.description("How often a build is expected to start, in ms.")),
  grace: v.pipe(v.nullable(Integer), v.description("How late it may start before it is missed, in ms.")),
  due_at: v.pipe(
    v.nullable(Timestamp),
    v.description(
      "When the next build is missed; null when off, learning, or once a miss opened (until the next build).",
    ),
  ),
});

/** The Job model (src/jobs/store.ts). */
export const JobSchema = v.object({
  id: Integer,
  source_id: v.string(),
  source_name: v.string(),
  job: v.string(),
  display_name: v.string(),
  state: JobStateSchema,
  last_build: v.nullable(Integer),
  last_status: v.nullable(Status),
  last_success_build: v.nullable(Integer),
  failing_since_build: v.nullable(Integer),
  failing_streak: Integer,
  flapping: v.boolean(),
  last_duration_ms: v.nullable(Integer),
  median_duration_ms: v.nullable(Integer),
  updated_at: Timestamp,
  job_path: v.pipe(
    v.string(),
    v.description("The path as displayed (a multibranch feature%2Fx reads feature/x)."),
  ),
  heartbeat: HeartbeatSchema,
});

export const JobListSchema = v.object({ jobs: v.array(JobSchema), next_cursor: NextCursor });

/** SourceRecord (src/sources/model.ts). */
export const SourceSchema = v.object({
  id: SourceIdSchema,
  name: v.string(),
  provider: v.literal("jenkins"),
  created_at: Timestamp,
  disabled: v.boolean(),
  quiet_lifecycle: v.optional(v.boolean()),
  revoked_at: v.optional(Timestamp),
});

const Globs = v.array(v.string());
const Filter = v.object({ include: Globs, exclude: Globs });

/** Policy (src/sources/policy.ts): what is stored, every key present, defaults filled in. */
export const PolicyAnswerSchema = v.object({
  branches: Filter,
  jobs: Filter,
  min_consecutive_failures: Integer,
  flaky: v.picklist(FLAKY_MODES),
  priorities: v.object({
    FAILURE: PrioritySchema,
    UNSTABLE: PrioritySchema,
    ABORTED: PrioritySchema,
    NOT_BUILT: PrioritySchema,
    MISSED_BUILD: PrioritySchema,
  }),
  silent_after: v.nullable(v.string()),
  deploy_jobs: v.pipe(
    Globs,
    v.description("Jobs whose green builds are deploys (docs/incidents.md “Deploys”)."),
  ),
});

/** A source as `PATCH /api/sources/:id` answers it: its record and its policy. */
export const SourceWithPolicySchema = v.object({ ...SourceSchema.entries, policy: PolicyAnswerSchema });

/** SourceStats (src/sources/stats.ts): deliveries counted for a source, rejections by problem slug. */
export const SourceStatsSchema = v.object({
  accepted: Integer,
  deferred: Integer,
  rejected: v.record(v.string(), Integer),
  last_rejection: v.nullable(v.object({ at: Timestamp, status: Integer, problem: v.string() })),
});

export const SourceWithStatsSchema = v.object({
  ...SourceWithPolicySchema.entries,
  stats: SourceStatsSchema,
});
export const SourceListSchema = v.object({ sources: v.array(SourceWithStatsSchema) });

export const CreatedSourceSchema = v.object({
  ...SourceSchema.entries,
  token: v.pipe(v.string(), v.description("The source's token: shown only in this answer.")),
  webhook_url: v.pipe(v.string(), v.url(), v.description("The URL to paste into Jenkins.")),
});

/** A source's tokens, never their values: the current one, and rotated-out ones still in their grace. */
export const TokenViewSchema = v.object({
  current: v.boolean(),
  expires_at: v.optional(v.pipe(Timestamp, v.description("When a rotated-out token stops working."))),
});

/** One source as `GET /api/sources/:id` shows it: with its counters and its tokens. */
export const SourceDetailSchema = v.object({
  ...SourceWithStatsSchema.entries,
  tokens: v.array(TokenViewSchema),
});

export const RotatedSourceSchema = v.object({
  ...SourceSchema.entries,
  token: v.pipe(v.string(), v.description("The new token: shown only in this answer.")),
  webhook_url: v.pipe(v.string(), v.url(), v.description("The URL to paste into Jenkins.")),
  basic_url: v.pipe(v.string(), v.url(), v.description("The same, the token as the Basic-auth password.")),
  tokens: v.array(TokenViewSchema),
});

/** RFC 9457 problem details, as src/platform/http/problem.ts renders every error. */
export const ProblemSchema = v.object({
  type: v.pipe(v.string(), v.startsWith("urn:itoc360:problem:")),
  title: v.string(),
  status: Integer,
  detail: v.optional(v.string()),
  errors: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
});
