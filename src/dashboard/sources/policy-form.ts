/**
 * The noise policy form's fields and the policy they stand for, both ways: a stored policy fills the
 * form; a posted form becomes the input PolicySchema validates (what the API would be sent), and its
 * problems become sentences naming the field and the line, so nothing typed is lost on an error.
 */
import type { FieldProblem } from "../../platform/issues";
import {
  type FlakyMode,
  POLICY_PRIORITY_KEYS,
  type Policy,
  type PolicyPriorityKey,
} from "../../sources/policy";

/** Glob lists, one glob a line: the form field and the policy path it fills. */
export const GLOB_FIELDS = {
  jobs_include: { path: "jobs.include", label: "Jobs that page" },
  jobs_exclude: { path: "jobs.exclude", label: "Jobs that never page" },
  branches_include: { path: "branches.include", label: "Branches that page" },
  branches_exclude: { path: "branches.exclude", label: "Branches that never page" },
  deploy_jobs: { path: "deploy_jobs", label: "Deploy jobs" },
} as const;
type GlobField = keyof typeof GLOB_FIELDS;

export const PRIORITY_LABELS: Record<PolicyPriorityKey, string> = {
  FAILURE: "Failure",
  UNSTABLE: "Unstable",
  ABORTED: "Aborted",
  NOT_BUILT: "Not built",
  MISSED_BUILD: "Missed build (heartbeat)",
};

/** The `flaky` choices as the form words them. */
export const FLAKY_LABELS: Record<FlakyMode, string> = {
  page: "Page as any failure",
  mark: "Open the incident marked flaky",
  ignore: "Open no incident (the alert is still stored)",
};

const LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.values(GLOB_FIELDS).map(({ path, label }) => [path, label])),
  min_consecutive_failures: "Failures in a row",
  silent_after: "Silent source after",
  flaky: "Builds that failed only on flaky tests",
  ...Object.fromEntries(POLICY_PRIORITY_KEYS.map((key) => [`priorities.${key}`, PRIORITY_LABELS[key]])),
};

/** The form as typed: text for each field. */
export type PolicyFields = Record<GlobField, string> & {
  min_consecutive_failures: string;
  silent_after: string;
  flaky: string;
  priorities: Record<PolicyPriorityKey, string>;
};

/** The form filled in with a policy. */
export function fieldsOf(policy: Policy): PolicyFields {
  return {
    jobs_include: policy.jobs.include.join("\n"),
    jobs_exclude: policy.jobs.exclude.join("\n"),
    branches_include: policy.branches.include.join("\n"),
    branches_exclude: policy.branches.exclude.join("\n"),
    deploy_jobs: policy.deploy_jobs.join("\n"),
    min_consecutive_failures: String(policy.min_consecutive_failures),
    silent_after: policy.silent_after ?? "",
    flaky: policy.flaky,
    priorities: { ...policy.priorities },
  };
}

/** A posted form's fields (what `parseBody` gives; anything but text reads as empty). */
export function fieldsFromForm(form: Record<string, unknown>): PolicyFields {
  const text = (name: string) => {
    const value = form[name];
    return typeof value === "string" ? value : "";
  };
  return {
    jobs_include: text("jobs_include"),
    jobs_exclude: text("jobs_exclude"),
    branches_include: text("branches_include"),
    branches_exclude: text("branches_exclude"),
    deploy_jobs: text("deploy_jobs"),
    min_consecutive_failures: text("min_consecutive_failures"),
    silent_after: text("silent_after"),
    flaky: text("flaky"),
    priorities: Object.fromEntries(
      POLICY_PRIORITY_KEYS.map((key) => [key, text(`priority_${key}`)]),
    ) as Record<PolicyPriorityKey, string>,
  };
}

/** The globs of a textarea, each with its line number (1-based): blank lines skipped, ends trimmed. */
function globLines(text: string): { glob: string; line: number }[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((glob, index) => ({ glob: glob.trim(), line: index + 1 }))
    .filter(({ glob }) => glob !== "");
}

const globs = (text: string) => globLines(text).map(({ glob }) => glob);

/**
 * The policy the form stands for, unvalidated (PolicySchema's input). An empty number or duration
 * field means its default; a number that is not one stays NaN, for the schema to refuse.
 */
export function policyInput(fields: PolicyFields): unknown {
  const failures = fields.min_consecutive_failures.trim();
  const silentAfter = fields.silent_after.trim();
  return {
    jobs: { include: globs(fields.jobs_include), exclude: globs(fields.jobs_exclude) },
    branches: { include: globs(fields.branches_include), exclude: globs(fields.branches_exclude) },
    deploy_jobs: globs(fields.deploy_jobs),
    ...(failures === "" ? {} : { min_consecutive_failures: Number(failures) }),
    // Empty (a form from before the choice existed): the default.
    ...(fields.flaky === "" ? {} : { flaky: fields.flaky }),
    priorities: fields.priorities,
    silent_after: silentAfter === "" ? null : silentAfter,
  };
}

/** Each problem as a sentence for the page: "Branches that page, line 3: must not be empty." */
export function formErrors(problems: FieldProblem[], fields: PolicyFields): string[] {
  return problems.map(({ path, message }) => {
    const [, listPath = path, index] = /^(.*)\[(\d+)\]$/.exec(path) ?? [];
    const label = LABELS[listPath] ?? (listPath || "Policy");
    if (index === undefined) return `${label}: ${message}.`;
    const field = (Object.keys(GLOB_FIELDS) as GlobField[]).find(
      (name) => GLOB_FIELDS[name].path === listPath,
    );
    const line = field ? globLines(fields[field])[Number(index)]?.line : undefined;
    return `${label}${line ? `, line ${line}` : ""}: ${message}.`;
  });
}
