/**
 * The Jenkins Notification plugin's JSON payload (../shared/jenkins-notification-format.md §4), as a
 * valibot schema. Third-party input: unknown keys are dropped, optional fields may be absent or null,
 * types are strict (numbers as strings are rejected). Pure: no Hono, D1 or KV here.
 */
import * as v from "valibot";
import { hasPlainItemNames, jobFullName } from "./job";
import { PHASES, type Phase, STATUSES } from "./vocabulary";

/** Longest accepted job `url`: the job's identity, so it is validated, never cut (README "Limits"). */
export const MAX_URL_LENGTH = 4096;

export type { Phase, Status } from "./vocabulary";

// Display fields of any length are accepted and cut to their limits by ./bounds.ts: a 400 would be a
// lost alert. Only the identity (`url`, `build.number`) is refused when it is out of bounds.
const name = v.string();
const link = v.string();
const int64 = v.pipe(v.number(), v.safeInteger("expected an integer"));
const optional = <T extends v.GenericSchema>(schema: T) => v.nullish(schema);
const stringList = v.array(v.string());
const stringMap = v.record(v.string(), v.string());

/** `job.getUrl()`: one `job/<segment>/` per folder level, no leading slash. */
const JobPathSchema = v.pipe(
  v.string(),
  v.maxLength(MAX_URL_LENGTH, `at most ${MAX_URL_LENGTH} characters`),
  // Jenkins writes each item name with Util.rawEncode, whose output is a URL path segment (RFC 3986
  // pchar): no raw space, quote, backslash, control or non-ASCII character ever comes from it.
  v.regex(
    /^(?:job\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+\/)+$/,
    "expected a Jenkins job path such as job/folder/job/name/, each name percent-encoded",
  ),
  v.check((path) => jobFullName(path) !== undefined, "expected percent-encoded path segments"),
  v.check(hasPlainItemNames, "expected item names without an encoded / (%2F)"),
);

/** Plugins ≤ 1.5 said FINISHED for what is now FINALIZED. */
const PhaseSchema = v.pipe(
  v.picklist([...PHASES, "FINISHED"], `expected one of ${PHASES.join(", ")}`),
  v.transform((phase): Phase => (phase === "FINISHED" ? "FINALIZED" : phase)),
);

export const ScmSchema = v.object({
  url: optional(link),
  branch: optional(name),
  commit: optional(name),
  changes: optional(stringList),
  culprits: optional(stringList),
});

export const TestSummarySchema = v.object({
  total: int64,
  failed: int64,
  passed: int64,
  skipped: int64,
  failed_tests: optional(stringList),
});

export const BuildSchema = v.object({
  full_url: optional(link),
  number: v.pipe(
    v.number(),
    v.safeInteger("expected an integer"),
    v.minValue(1, "expected a build number of at least 1"),
  ),
  queue_id: optional(int64),
  timestamp: optional(int64),
  duration: optional(int64),
  phase: PhaseSchema,
  status: optional(v.picklist(STATUSES, `expected one of ${STATUSES.join(", ")}`)),
  url: optional(link),
  display_name: optional(name),
  scm: optional(ScmSchema),
  parameters: optional(stringMap),
  log: optional(v.string()),
  notes: optional(v.string()),
  test_summary: optional(TestSummarySchema),
  artifacts: optional(v.record(v.string(), stringMap)),
});

export const NotificationSchema = v.object({
  name,
  display_name: optional(name),
  url: JobPathSchema,
  build: BuildSchema,
});

export type Notification = v.InferOutput<typeof NotificationSchema>;
