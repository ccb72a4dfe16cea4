/**
 * A source's noise policy (docs/incidents.md "Noise policy"): which of its builds page (job and branch globs),
 * after how many failures in a row, with which priority, and how long a silence of the whole source
 * may last before it is an incident of its own, and which jobs deploy (their green builds are change events).
 * Pure: the routes validate with `PolicySchema`, src/sources/policy-store.ts stores what it outputs, ingest
 * and the cron ask `pagingPriority`, `keepsJob` and `isDeploy`.
 */
import * as v from "valibot";
import { branchName } from "../core/branch";
import {
  type Phase,
  PRIORITY_BY_STATUS,
  type Priority,
  PrioritySchema,
  type Status,
} from "../core/vocabulary";
import { durationMs, durationSchema, UNIT_MS } from "../platform/duration";
import { GlobBoundsSchema, globMatcher, MAX_GLOB_LENGTH } from "../platform/glob";

export { branchName };

export const MAX_GLOBS = 20;
export const MAX_CONSECUTIVE_FAILURES = 100;
export const MIN_SILENT_AFTER_MS = 15 * UNIT_MS.m;
export const MAX_SILENT_AFTER_MS = 30 * UNIT_MS.d;

/** The results that can page (SUCCESS never does). */
export const PAGING_STATUSES = [
  "FAILURE",
  "UNSTABLE",
  "ABORTED",
  "NOT_BUILT",
] as const satisfies readonly Status[];
/**
 * What a build that failed only on known-flaky tests does (docs/incidents.md "Flaky tests"): `page` as any
 * other, `mark` opens or joins an incident marked flaky, `ignore` opens none (its alert is still stored).
 */
export const FLAKY_MODES = ["page", "mark", "ignore"] as const;
export type FlakyMode = (typeof FLAKY_MODES)[number];

/** The keys of `priorities`: each paging result, and a build a heartbeat expected that never came. */
export const POLICY_PRIORITY_KEYS = [...PAGING_STATUSES, "MISSED_BUILD"] as const;
export type PolicyPriorityKey = (typeof POLICY_PRIORITY_KEYS)[number];

const GlobSchema = v.pipe(
  v.string(),
  v.minLength(1, "must not be empty"),
  v.maxLength(MAX_GLOB_LENGTH, `at most ${MAX_GLOB_LENGTH} characters`),
  GlobBoundsSchema,
);
const GlobsSchema = v.optional(
  v.pipe(v.array(GlobSchema), v.maxLength(MAX_GLOBS, `at most ${MAX_GLOBS} globs`)),
  [],
);
/**
 * Globs as stored by an earlier release, whose bounds were wider (50 globs a list, 512 characters, any
 * number of `**`): a stored policy keeps working as it was written rather than falling back to the
 * defaults (which would drop its filters and its `silent_after`); the current bounds apply when it is
 * next saved. The matcher handles them all in linear time, only more slowly.
 */
const StoredGlobsSchema = v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []);

/** Include (empty: everything) and exclude (wins over include). */
const filterSchema = (globs: typeof GlobsSchema | typeof StoredGlobsSchema) =>
  v.optional(v.strictObject({ include: globs, exclude: globs }), {});

/** A priority, defaulting to the product's own (../core/vocabulary.ts) when left out. */
const priority = (fallback: Priority) => v.optional(PrioritySchema, fallback);

/**
 * What a client sends; everything optional, and the output is the whole policy with defaults in
 * place of what was left out. Unknown keys are refused: a misspelt `branch` would otherwise store
 * the defaults in silence.
 */
const policySchema = (globs: typeof GlobsSchema | typeof StoredGlobsSchema) =>
  v.strictObject({
    branches: filterSchema(globs),
    jobs: filterSchema(globs),
    min_consecutive_failures: v.optional(
      v.pipe(
        v.number(),
        v.integer("expected a whole number"),
        v.minValue(1, "at least 1"),
        v.maxValue(MAX_CONSECUTIVE_FAILURES, `at most ${MAX_CONSECUTIVE_FAILURES}`),
      ),
      1,
    ),
    flaky: v.optional(v.picklist(FLAKY_MODES, `expected one of ${FLAKY_MODES.join(", ")}`), "mark"),
    priorities: v.optional(
      v.strictObject({
        FAILURE: priority(PRIORITY_BY_STATUS.FAILURE),
        UNSTABLE: priority(PRIORITY_BY_STATUS.UNSTABLE),
        ABORTED: priority(PRIORITY_BY_STATUS.ABORTED),
        NOT_BUILT: priority(PRIORITY_BY_STATUS.NOT_BUILT),
        // Not a build result: the build never came, which says less than a failure does.
        MISSED_BUILD: priority("MEDIUM"),
      }),
      {},
    ),
    silent_after: v.optional(v.nullable(durationSchema(MIN_SILENT_AFTER_MS, MAX_SILENT_AFTER_MS)), null),
    // Globs over the job's path as displayed, like `jobs`: their green builds are deploys.
    deploy_jobs: globs,
  });

export const PolicySchema = v.pipe(
  policySchema(GlobsSchema),
  v.description(
    "A source's noise policy (docs/incidents.md “Noise policy”), replaced whole: keys left out take their defaults.",
  ),
);

/** A policy with every key present (what is stored and answered). */
export type Policy = v.InferOutput<typeof PolicySchema>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** No filter, a page on the first failure, the product's priorities, no silence check. */
export const DEFAULT_POLICY: Policy = deepFreeze(v.parse(PolicySchema, {}));

const StoredPolicySchema = policySchema(StoredGlobsSchema);

/** A policy from input already validated (a parsed request): throws when it is not one. */
export function parsePolicy(input: unknown): Policy {
  return v.parse(PolicySchema, input);
}

/** A stored policy, under the bounds it was written with ({@link StoredGlobsSchema}); throws when it is none. */
export function readStoredPolicy(input: unknown): Policy {
  return v.parse(StoredPolicySchema, input);
}

/** How long the source may send nothing before a source_silent incident opens; null: never. */
export function silentAfterMs(policy: Policy): number | null {
  return policy.silent_after === null ? null : durationMs(policy.silent_after);
}

/**
 * Compiled matchers per glob list. A policy comes from the isolate's policy cache, the same object
 * for every delivery within 30 s, so its regular expressions are built once rather than per build.
 * Plain values keyed weakly: nothing here outlives its policy or belongs to a request.
 */
const matchers = new WeakMap<readonly string[], (path: string) => boolean>();

function matchesAnyOf(globs: readonly string[], path: string): boolean {
  let matcher = matchers.get(globs);
  if (!matcher) {
    const each = globs.map(globMatcher);
    matcher = (candidate) => each.some((matches) => matches(candidate));
    matchers.set(globs, matcher);
  }
  return matcher(path);
}

/**
 * Whether the policy keeps a job's builds: the job (its path as displayed, `jobLabel` in ../core/job.ts)
 * inside `jobs.include` when that is not empty and outside `jobs.exclude`; the branch (after
 * `branchName`) likewise. A build without a branch is kept only when `branches.include` is empty.
 */
export function keepsJob(policy: Policy, jobPath: string, branch: string | null): boolean {
  const { jobs, branches } = policy;
  if (jobs.include.length > 0 && !matchesAnyOf(jobs.include, jobPath)) return false;
  if (matchesAnyOf(jobs.exclude, jobPath)) return false;
  const name = branchName(branch);
  if (name === null) return branches.include.length === 0;
  if (branches.include.length > 0 && !matchesAnyOf(branches.include, name)) return false;
  return !matchesAnyOf(branches.exclude, name);
}

export interface PolicyBuild {
  /** The job's path as displayed (`jobLabel` of its full name): what job globs are written against. */
  jobPath: string;
  /** `scm.branch` as sent; `branchName` is applied here. */
  branch: string | null;
  /** COMPLETED or FINALIZED: the result is known. */
  finished: boolean;
  status: Status | null;
}

/**
 * The priority a build pages with under the policy, or null when it does not page: unfinished,
 * without a status, SUCCESS, or a job or branch the policy leaves out. How many failures in a row it
 * takes (`min_consecutive_failures`) is the incident's business, not this build's.
 */
export function pagingPriority(policy: Policy, build: PolicyBuild): Priority | null {
  if (!build.finished || build.status === null || build.status === "SUCCESS") return null;
  if (!keepsJob(policy, build.jobPath, build.branch)) return null;
  return policy.priorities[build.status];
}

/** A finished build as {@link isDeploy} reads it. */
export interface DeployBuild {
  /** The job's path as displayed, as {@link PolicyBuild.jobPath}. */
  jobPath: string;
  phase: Phase;
  status: Status | null;
}

/**
 * Whether the build is a deploy (docs/incidents.md "Deploys"): a green build (FINALIZED SUCCESS, the
 * build that resolves alerts) of a job `deploy_jobs` names. Independent of `jobs` and `branches`: a deploy
 * job that never pages still deploys.
 */
export function isDeploy(policy: Policy, build: DeployBuild): boolean {
  if (build.phase !== "FINALIZED" || build.status !== "SUCCESS") return false;
  return policy.deploy_jobs.length > 0 && matchesAnyOf(policy.deploy_jobs, build.jobPath);
}
