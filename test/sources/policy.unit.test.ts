/** The noise policy's rules (src/sources/policy.ts) and durations (src/platform/duration.ts), as plain functions. */
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { STATUSES } from "../../src/core/vocabulary";
import { durationMs, parseDuration } from "../../src/platform/duration";
import { MAX_GLOB_LENGTH } from "../../src/platform/glob";
import { describeIssues } from "../../src/platform/issues";
import {
  branchName,
  DEFAULT_POLICY,
  type DeployBuild,
  isDeploy,
  keepsJob,
  MAX_GLOBS,
  type Policy,
  type PolicyBuild,
  PolicySchema,
  pagingPriority,
  parsePolicy,
  silentAfterMs,
} from "../../src/sources/policy";

const policy = (input: unknown): Policy => parsePolicy(input);

/** The problems a policy input has, as the API would list them (without the `policy.` prefix). */
const problems = (input: unknown) => {
  const result = v.safeParse(PolicySchema, input);
  return result.success ? [] : describeIssues(PolicySchema, result.issues);
};

const failed = (build: Partial<PolicyBuild> = {}): PolicyBuild => ({
  jobPath: "acme/web-shop",
  branch: "main",
  finished: true,
  status: "FAILURE",
  ...build,
});

describe("durations", () => {
  it.each([
    ["90s", 90_000],
    ["30m", 1_800_000],
    ["6h", 21_600_000],
    ["2d", 172_800_000],
    ["0s", 0],
  ])("%s is %d ms", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(["", "6", "h", "6 h", "1.5h", "-1h", "6H", "1h30m", "12345678d", " 6h"])(
    "%j is not one",
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
      expect(() => durationMs(text)).toThrow(RangeError);
    },
  );
});

describe("the default policy", () => {
  it("filters nothing, pages on the first failure with the product's priorities, and checks no silence", () => {
    expect(DEFAULT_POLICY).toEqual({
      branches: { include: [], exclude: [] },
      jobs: { include: [], exclude: [] },
      min_consecutive_failures: 1,
      flaky: "mark",
      priorities: {
        FAILURE: "HIGH",
        UNSTABLE: "MEDIUM",
        ABORTED: "MEDIUM",
        NOT_BUILT: "MEDIUM",
        MISSED_BUILD: "MEDIUM",
      },
      silent_after: null,
      deploy_jobs: [],
    });
    expect(silentAfterMs(DEFAULT_POLICY)).toBeNull();
  });

  it("is what an empty policy becomes, and cannot be changed by accident", () => {
    expect(policy({})).toEqual(DEFAULT_POLICY);
    expect(() => DEFAULT_POLICY.jobs.include.push("x")).toThrow(TypeError);
    expect(DEFAULT_POLICY.jobs.include).toEqual([]);
  });

  it("fills in every key left out, keeping the ones given", () => {
    const partial = policy({
      branches: { include: ["main"] },
      priorities: { UNSTABLE: "LOW" },
      silent_after: "6h",
    });
    expect(partial).toEqual({
      ...DEFAULT_POLICY,
      branches: { include: ["main"], exclude: [] },
      priorities: { ...DEFAULT_POLICY.priorities, UNSTABLE: "LOW" },
      silent_after: "6h",
    });
    expect(silentAfterMs(partial)).toBe(6 * 3_600_000);
  });
});

describe("validation", () => {
  it("accepts the bounds themselves", () => {
    const globs = Array.from({ length: MAX_GLOBS }, (_, i) => `job-${i}/**`);
    expect(
      problems({
        jobs: { include: globs, exclude: ["x".repeat(MAX_GLOB_LENGTH)] },
        min_consecutive_failures: 100,
        silent_after: "15m",
      }),
    ).toEqual([]);
    expect(problems({ min_consecutive_failures: 1, silent_after: "30d" })).toEqual([]);
    expect(problems({ silent_after: null })).toEqual([]);
  });

  it.each([
    ["an empty glob", { branches: { include: ["main", ""] } }, "branches.include[1]", "must not be empty"],
    [
      "a glob over 256 characters",
      { jobs: { exclude: ["x".repeat(257)] } },
      "jobs.exclude[0]",
      "at most 256 characters",
    ],
    ["a glob that is not a string", { jobs: { include: [7] } }, "jobs.include[0]", "expected string"],
    ["21 globs", { jobs: { include: Array(21).fill("a") } }, "jobs.include", "at most 20 globs"],
    [
      "nine wildcards",
      { jobs: { include: ["*/*/*/*/*/*/*/*/?"] } },
      "jobs.include[0]",
      "at most 8 wildcards (*, ** or ?)",
    ],
    ["two **", { jobs: { exclude: ["**/release/**"] } }, "jobs.exclude[0]", "at most 1 ** segment"],
    [
      "17 segments",
      { jobs: { include: [Array(17).fill("a").join("/")] } },
      "jobs.include[0]",
      "at most 16 segments",
    ],
    [
      "a glob list that is not a list",
      { branches: { exclude: "main" } },
      "branches.exclude",
      "expected Array",
    ],
    ["0 failures", { min_consecutive_failures: 0 }, "min_consecutive_failures", "at least 1"],
    ["101 failures", { min_consecutive_failures: 101 }, "min_consecutive_failures", "at most 100"],
    [
      "1.5 failures",
      { min_consecutive_failures: 1.5 },
      "min_consecutive_failures",
      "expected a whole number",
    ],
    ["failures as text", { min_consecutive_failures: "3" }, "min_consecutive_failures", "expected number"],
    ["a flaky mode not in the list", { flaky: "quiet" }, "flaky", "expected one of page, mark, ignore"],
    [
      "a priority not in the vocabulary",
      { priorities: { FAILURE: "URGENT" } },
      "priorities.FAILURE",
      "expected HIGH, MEDIUM or LOW",
    ],
    [
      "a priority for SUCCESS",
      { priorities: { SUCCESS: "LOW" } },
      "priorities",
      "unknown field; expected only FAILURE, UNSTABLE, ABORTED, NOT_BUILT, MISSED_BUILD",
    ],
    ["silent_after under 15 minutes", { silent_after: "14m" }, "silent_after", "at least 15 minutes"],
    ["silent_after over 30 days", { silent_after: "31d" }, "silent_after", "at most 30 days"],
    [
      "silent_after that is no duration",
      { silent_after: "6 hours" },
      "silent_after",
      'expected a duration such as "30m", "6h" or "2d" (a number and s, m, h or d)',
    ],
    ["silent_after as a number", { silent_after: 3600 }, "silent_after", "expected string"],
    [
      "a misspelt key",
      { branch: { include: ["main"] } },
      "",
      "unknown field; expected only branches, jobs, min_consecutive_failures, flaky, priorities, silent_after, deploy_jobs",
    ],
    [
      "an unknown key in a filter",
      { jobs: { includes: ["a"] } },
      "jobs",
      "unknown field; expected only include, exclude",
    ],
  ])("refuses %s, naming the field", (_, input, path, message) => {
    expect(problems(input)).toEqual([{ path, message }]);
  });

  it("refuses what is not an object", () => {
    for (const input of [null, ["main"], "policy", 3]) expect(problems(input)).toHaveLength(1);
  });

  it("lists every problem at once", () => {
    expect(problems({ min_consecutive_failures: 0, silent_after: "1m", jobs: { include: [""] } })).toEqual([
      { path: "jobs.include[0]", message: "must not be empty" },
      { path: "min_consecutive_failures", message: "at least 1" },
      { path: "silent_after", message: "at least 15 minutes" },
    ]);
  });
});

describe("branch names", () => {
  it.each([
    ["main", "main"],
    ["origin/main", "main"],
    ["origin/feature/login", "feature/login"],
    ["refs/heads/main", "main"],
    ["refs/heads/release/1.2", "release/1.2"],
    ["refs/remotes/origin/x", "x"],
    ["refs/remotes/upstream/feature/x", "feature/x"],
    // A multibranch Pipeline's branch name, or another remote: a first segment that is not `origin`
    // cannot be told apart from a branch named with a slash, so it stays.
    ["feature/login", "feature/login"],
    ["upstream/main", "upstream/main"],
    ["PR-42", "PR-42"],
    ["refs/tags/v1.0", "refs/tags/v1.0"],
    ["originals/x", "originals/x"],
  ])("%s is %s", (sent, name) => {
    expect(branchName(sent)).toBe(name);
  });

  it.each([null, "", "origin/", "refs/heads/", "refs/remotes/origin/"])("%j is no branch", (sent) => {
    expect(branchName(sent)).toBeNull();
  });
});

describe("which builds page", () => {
  it("a finished failure pages with the policy's priority for its result", () => {
    for (const status of ["FAILURE", "UNSTABLE", "ABORTED", "NOT_BUILT"] as const) {
      expect(pagingPriority(DEFAULT_POLICY, failed({ status }))).toBe(DEFAULT_POLICY.priorities[status]);
    }
    const quiet = policy({ priorities: { FAILURE: "LOW", ABORTED: "HIGH" } });
    expect(pagingPriority(quiet, failed({ status: "FAILURE" }))).toBe("LOW");
    expect(pagingPriority(quiet, failed({ status: "ABORTED" }))).toBe("HIGH");
  });

  it("never an unfinished build, one without a status, or a success", () => {
    for (const status of STATUSES)
      expect(pagingPriority(DEFAULT_POLICY, failed({ status, finished: false }))).toBeNull();
    expect(pagingPriority(DEFAULT_POLICY, failed({ status: null }))).toBeNull();
    expect(pagingPriority(DEFAULT_POLICY, failed({ status: "SUCCESS" }))).toBeNull();
  });

  describe("jobs", () => {
    const web = policy({ jobs: { include: ["acme/**"], exclude: ["acme/sandbox/**", "acme/*-nightly"] } });

    it.each([
      ["acme/web-shop", "FAILURE"],
      ["acme", "FAILURE"],
      ["acme/web-shop/feature/login", "FAILURE"],
      ["other/web-shop", null],
      ["acme/sandbox/try", null],
      ["acme/sandbox", null],
      ["acme/db-nightly", null],
      ["acme/db/db-nightly", "FAILURE"],
      ["Acme/web-shop", null],
    ])("%s pages: %s", (jobPath, paged) => {
      expect(pagingPriority(web, failed({ jobPath })) === null ? null : "FAILURE").toBe(paged);
    });

    it("an empty include list keeps every job the excludes leave", () => {
      const noisy = policy({ jobs: { exclude: ["**/experimental"] } });
      expect(pagingPriority(noisy, failed({ jobPath: "anything/at/all" }))).toBe("HIGH");
      expect(pagingPriority(noisy, failed({ jobPath: "acme/experimental" }))).toBeNull();
    });

    it("matches the path as displayed: a multibranch branch reads with its slash", () => {
      const login = policy({ jobs: { include: ["acme/web-shop/feature/*"] } });
      expect(pagingPriority(login, failed({ jobPath: "acme/web-shop/feature/login" }))).toBe("HIGH");
      expect(pagingPriority(login, failed({ jobPath: "acme/web-shop/feature%2Flogin" }))).toBeNull();
    });
  });

  describe("branches", () => {
    const release = policy({ branches: { include: ["main", "release/*"], exclude: ["release/old-*"] } });

    it.each([
      ["main", true],
      ["origin/main", true],
      ["refs/heads/main", true],
      ["refs/remotes/origin/release/2.0", true],
      ["release/2.0", true],
      ["release/2.0/hotfix", false],
      ["release/old-1", false],
      ["origin/release/old-1", false],
      ["develop", false],
      ["upstream/main", false],
    ])("%s pages: %s", (branch, paged) => {
      expect(pagingPriority(release, failed({ branch })) !== null).toBe(paged);
    });

    it("a build without a branch pages only when no branch is included by name", () => {
      expect(pagingPriority(release, failed({ branch: null }))).toBeNull();
      expect(pagingPriority(release, failed({ branch: "origin/" }))).toBeNull();
      const excludesOnly = policy({ branches: { exclude: ["PR-*"] } });
      expect(pagingPriority(excludesOnly, failed({ branch: null }))).toBe("HIGH");
      expect(pagingPriority(excludesOnly, failed({ branch: "PR-7" }))).toBeNull();
      expect(pagingPriority(DEFAULT_POLICY, failed({ branch: null }))).toBe("HIGH");
    });

    it("an exclude wins over an include", () => {
      const both = policy({ branches: { include: ["**"], exclude: ["main"] } });
      expect(pagingPriority(both, failed({ branch: "main" }))).toBeNull();
      expect(pagingPriority(both, failed({ branch: "develop" }))).toBe("HIGH");
    });
  });

  it("needs both the job and the branch to be kept", () => {
    const both = policy({ jobs: { include: ["acme/**"] }, branches: { include: ["main"] } });
    expect(pagingPriority(both, failed({ jobPath: "acme/web", branch: "main" }))).toBe("HIGH");
    expect(pagingPriority(both, failed({ jobPath: "acme/web", branch: "develop" }))).toBeNull();
    expect(pagingPriority(both, failed({ jobPath: "other/web", branch: "main" }))).toBeNull();
  });
});

describe("keepsJob (heartbeats)", () => {
  it("applies the job and branch filters, whatever the result", () => {
    const p = policy({ jobs: { exclude: ["sandbox/**"] }, branches: { include: ["main"] } });
    expect(keepsJob(p, "acme/web", "origin/main")).toBe(true);
    expect(keepsJob(p, "acme/web", "develop")).toBe(false);
    expect(keepsJob(p, "acme/web", null)).toBe(false);
    expect(keepsJob(p, "sandbox/x", "main")).toBe(false);
    expect(keepsJob(DEFAULT_POLICY, "anything", null)).toBe(true);
  });

  it("gives the same answer each time for one policy object (its matchers are reused)", () => {
    const p = policy({ jobs: { include: ["a/*"] } });
    const answers = Array.from({ length: 3 }, () => [keepsJob(p, "a/b", null), keepsJob(p, "b/a", null)]);
    expect(answers).toEqual([
      [true, false],
      [true, false],
      [true, false],
    ]);
  });
});

describe("isDeploy (deploys on the timeline)", () => {
  const deploys = policy({ deploy_jobs: ["acme/deploy-*", "infra/**"], jobs: { exclude: ["acme/**"] } });
  const green = (build: Partial<DeployBuild> = {}): DeployBuild => ({
    jobPath: "acme/deploy-web",
    phase: "FINALIZED",
    status: "SUCCESS",
    ...build,
  });

  it("is a green build (FINALIZED SUCCESS) of a job deploy_jobs names, over its full path", () => {
    expect(isDeploy(deploys, green())).toBe(true);
    expect(isDeploy(deploys, green({ jobPath: "infra/terraform/apply" }))).toBe(true);
    expect(isDeploy(deploys, green({ jobPath: "acme/web" }))).toBe(false);
    // `*` stays within a segment: a job inside a deploy-named folder is not one.
    expect(isDeploy(deploys, green({ jobPath: "acme/deploy-web/main" }))).toBe(false);
    expect(isDeploy(deploys, green({ jobPath: "other/acme/deploy-web" }))).toBe(false);
  });

  it("is never a red, unfinished or merely COMPLETED build", () => {
    for (const status of STATUSES.filter((s) => s !== "SUCCESS")) {
      expect(isDeploy(deploys, green({ status }))).toBe(false);
    }
    expect(isDeploy(deploys, green({ status: null }))).toBe(false);
    for (const phase of ["QUEUED", "STARTED", "COMPLETED", "NONE"] as const) {
      expect(isDeploy(deploys, green({ phase }))).toBe(false);
    }
  });

  it("does not depend on which jobs page (jobs.exclude), and the defaults name no deploy job", () => {
    expect(keepsJob(deploys, "acme/deploy-web", null)).toBe(false);
    expect(isDeploy(deploys, green())).toBe(true);
    expect(isDeploy(DEFAULT_POLICY, green())).toBe(false);
  });
});
