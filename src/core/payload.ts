/**
 * The Jenkins Notification plugin's JSON payload (docs/jenkins-wire-format.md §3), as a
 * valibot schema. Third-party input: unknown keys are dropped, optional fields may be absent or null,
 * types are strict (numbers as strings are rejected). Pure: no Hono, D1 or KV here.
 */
import * as v from "valibot";
import { PHASES, type Phase, STATUSES } from "./vocabulary";

export type { Phase, Status } from "./vocabulary";

// Display fields of any length are accepted and cut to their limits by ./bounds.ts: a 400 would be a
// lost alert. Only the identity (a `url` naming no job, `build.number`) is refused.
const name = v.string();
const link = v.string();
/** Java longs, accepted while a JavaScript number holds them exactly (≤ 2^53). */
const safeInteger = v.pipe(v.number(), v.safeInteger("expected an integer"));
const stringList = v.array(v.string());
const stringMap = v.record(v.string(), v.string());

/**
 * `job.getUrl()`, of any length: the job's identity is read from it by {@link jobIdentity} in the
 * accept pipeline (which refuses a url naming no job), not here, so a stored body whose url had to be
 * cut can carry the identity it had instead.
 */
const JobUrlSchema = v.string();

/** Plugins ≤ 1.5 said FINISHED for what is now FINALIZED. */
const PhaseSchema = v.pipe(
  v.picklist([...PHASES, "FINISHED"], `expected one of ${PHASES.join(", ")}`),
  v.transform((phase): Phase => (phase === "FINISHED" ? "FINALIZED" : phase)),
);

export const ScmSchema = v.object({
  url: v.nullish(link),
  branch: v.nullish(name),
  commit: v.nullish(name),
  changes: v.nullish(stringList),
  culprits: v.nullish(stringList),
});

export const TestSummarySchema = v.object({
  total: safeInteger,
  failed: safeInteger,
  passed: safeInteger,
  skipped: safeInteger,
  failed_tests: v.nullish(stringList),
});

export const BuildSchema = v.object({
  full_url: v.nullish(link),
  number: v.pipe(
    v.number(),
    v.safeInteger("expected an integer"),
    v.minValue(1, "expected a build number of at least 1"),
  ),
  queue_id: v.nullish(safeInteger),
  timestamp: v.nullish(safeInteger),
  duration: v.nullish(safeInteger),
  phase: PhaseSchema,
  status: v.nullish(v.picklist(STATUSES, `expected one of ${STATUSES.join(", ")}`)),
  url: v.nullish(link),
  display_name: v.nullish(name),
  scm: v.nullish(ScmSchema),
  parameters: v.nullish(stringMap),
  log: v.nullish(v.string()),
  notes: v.nullish(v.string()),
  test_summary: v.nullish(TestSummarySchema),
  artifacts: v.nullish(v.record(v.string(), stringMap)),
});

export const JenkinsPayloadSchema = v.object({
  name,
  display_name: v.nullish(name),
  url: JobUrlSchema,
  build: BuildSchema,
});

export type JenkinsPayload = v.InferOutput<typeof JenkinsPayloadSchema>;
