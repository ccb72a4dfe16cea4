/**
 * A source's noise policy through the admin API (PATCH /api/sources/:id `policy`, shown by GET), its
 * storage in D1, and the isolate cache ingest reads it through.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SYSTEM } from "../../src/audit/actor";
import { nowIso, nowMs } from "../../src/platform/clock";
import { DEFAULT_POLICY, type Policy, parsePolicy } from "../../src/sources/policy";
import { changePolicy, policyFor } from "../../src/sources/policy-cache";
import { policiesWithSilentAfter, readPolicy, writePolicy } from "../../src/sources/policy-store";
import { api, createSource } from "../helpers";
import { captureLogs } from "../logs";

type Shown = { id: string; name: string; policy: Policy };

const patch = (id: string, body: unknown) =>
  api(`/api/sources/${id}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

const shown = async (id: string) => (await (await api(`/api/sources/${id}`)).json()) as Shown;

const listed = async (id: string) => {
  const { sources } = (await (await api("/api/sources")).json()) as { sources: Shown[] };
  return sources.find((source) => source.id === id);
};

const storedRow = (id: string) =>
  env.DB.prepare("SELECT policy, updated_at FROM source_policies WHERE source_id = ?1").bind(id).first();

afterEach(() => {
  vi.useRealTimers();
});

describe("GET /api/sources and /api/sources/:id", () => {
  it("show the default policy for a source that has none, with every key", async () => {
    const { id } = await createSource("policy: defaults");
    expect((await shown(id)).policy).toEqual(DEFAULT_POLICY);
    expect((await listed(id))?.policy).toEqual(DEFAULT_POLICY);
    expect(await storedRow(id)).toBeNull();
  });
});

describe("PATCH /api/sources/:id with a policy", () => {
  it("stores it normalised, answers it, and GET and the list show it", async () => {
    const { id } = await createSource("policy: set");
    const res = await patch(id, {
      policy: {
        branches: { include: ["main", "release/*"] },
        jobs: { exclude: ["sandbox/**"] },
        min_consecutive_failures: 3,
        priorities: { UNSTABLE: "LOW" },
        silent_after: "6h",
        deploy_jobs: ["acme/deploy-*", "infra/**"],
      },
    });
    expect(res.status).toBe(200);
    const expected: Policy = {
      branches: { include: ["main", "release/*"], exclude: [] },
      jobs: { include: [], exclude: ["sandbox/**"] },
      min_consecutive_failures: 3,
      flaky: "mark",
      priorities: { ...DEFAULT_POLICY.priorities, UNSTABLE: "LOW" },
      silent_after: "6h",
      deploy_jobs: ["acme/deploy-*", "infra/**"],
    };
    expect(await res.json()).toEqual(expect.objectContaining({ id, name: "policy: set", policy: expected }));
    expect((await shown(id)).policy).toEqual(expected);
    expect((await listed(id))?.policy).toEqual(expected);
    const row = await storedRow(id);
    expect(JSON.parse(String(row?.policy))).toEqual(expected);
    expect(row?.updated_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  it("replaces the whole policy: keys left out go back to their defaults", async () => {
    const { id } = await createSource("policy: replaced");
    await patch(id, { policy: { branches: { include: ["main"] }, min_consecutive_failures: 2 } });
    const replaced = (await (await patch(id, { policy: { silent_after: "2d" } })).json()) as Shown;
    expect(replaced.policy).toEqual({
      ...DEFAULT_POLICY,
      silent_after: "2d",
    });
    expect((await patch(id, { policy: {} })).status).toBe(200);
    expect((await shown(id)).policy).toEqual(DEFAULT_POLICY);
  });

  it("keeps the policy when only the record changes, and the record when only the policy does", async () => {
    const { id } = await createSource("policy: kept");
    await patch(id, { policy: { min_consecutive_failures: 5 } });
    const renamed = await patch(id, { name: "policy: renamed" });
    expect(await renamed.json()).toMatchObject({
      name: "policy: renamed",
      policy: { min_consecutive_failures: 5 },
    });
    await patch(id, { quiet_lifecycle: true, policy: { min_consecutive_failures: 4 } });
    await patch(id, { policy: { min_consecutive_failures: 6 } });
    expect(await shown(id)).toMatchObject({
      name: "policy: renamed",
      quiet_lifecycle: true,
      policy: { min_consecutive_failures: 6 },
    });
  });

  it.each([
    ["an empty glob", { branches: { include: [""] } }, "policy.branches.include[0]", "must not be empty"],
    [
      "the second glob too long",
      { jobs: { exclude: ["ok", "x".repeat(257)] } },
      "policy.jobs.exclude[1]",
      "at most 256 characters",
    ],
    [
      "21 globs",
      { branches: { exclude: Array(21).fill("PR-*") } },
      "policy.branches.exclude",
      "at most 20 globs",
    ],
    [
      "a glob with two **",
      { jobs: { include: ["acme/**/release/**"] } },
      "policy.jobs.include[0]",
      "at most 1 ** segment",
    ],
    [
      "an empty deploy job glob",
      { deploy_jobs: ["acme/deploy-*", ""] },
      "policy.deploy_jobs[1]",
      "must not be empty",
    ],
    [
      "a deploy job glob with two **",
      { deploy_jobs: ["**/deploy/**"] },
      "policy.deploy_jobs[0]",
      "at most 1 ** segment",
    ],
    [
      "a deploy job glob with nine wildcards",
      { deploy_jobs: ["a*b*c*d*e*f*g*h*i*j"] },
      "policy.deploy_jobs[0]",
      "at most 8 wildcards (*, ** or ?)",
    ],
    [
      "21 deploy job globs",
      { deploy_jobs: Array(21).fill("deploy-*") },
      "policy.deploy_jobs",
      "at most 20 globs",
    ],
    [
      "deploy jobs that are not a list",
      { deploy_jobs: "acme/deploy-*" },
      "policy.deploy_jobs",
      "expected Array",
    ],
    ["0 failures", { min_consecutive_failures: 0 }, "policy.min_consecutive_failures", "at least 1"],
    [
      "a priority out of the vocabulary",
      { priorities: { ABORTED: "P1" } },
      "policy.priorities.ABORTED",
      "expected HIGH, MEDIUM or LOW",
    ],
    ["silent_after of 5 minutes", { silent_after: "5m" }, "policy.silent_after", "at least 15 minutes"],
    [
      "a misspelt key",
      { branch: { include: ["main"] } },
      "policy",
      "unknown field; expected only branches, jobs, min_consecutive_failures, flaky, priorities, silent_after, deploy_jobs",
    ],
    ["a policy that is not an object", "main only", "policy", "expected Object"],
  ])("400 for %s, naming the field, and changes nothing", async (_, policy, path, message) => {
    const { id } = await createSource("policy: refused");
    const before = { policy: { min_consecutive_failures: 2 } };
    await patch(id, before);
    const res = await patch(id, { name: "policy: should not rename", policy });
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({
      type: "urn:itoc360:problem:invalid-request",
      errors: [{ path, message }],
    });
    expect(await shown(id)).toMatchObject({
      name: "policy: refused",
      policy: { ...DEFAULT_POLICY, ...before.policy },
    });
  });

  it("404 for an unknown source, storing nothing", async () => {
    const id = crypto.randomUUID();
    const res = await patch(id, { policy: { silent_after: "1h" } });
    expect(res.status).toBe(404);
    expect(await storedRow(id)).toBeNull();
  });

  it("applies at once to what ingest reads in this isolate", async () => {
    const { id } = await createSource("policy: ingest");
    expect(await policyFor(env, id)).toEqual(DEFAULT_POLICY);
    await patch(id, { policy: { priorities: { FAILURE: "LOW" } } });
    expect((await policyFor(env, id)).priorities.FAILURE).toBe("LOW");
  });
});

describe("the policy cache (src/sources/policy-cache.ts)", () => {
  it("reads D1 once per source per 30 s, so a change written elsewhere shows within 30 s", async () => {
    const { id } = await createSource("policy: cached");
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now(); // vi.setSystemTime moves Date itself
    expect((await policyFor(env, id)).min_consecutive_failures).toBe(1);
    // As another isolate would: straight to D1, this isolate's cache untouched.
    await writePolicy(env.DB, id, parsePolicy({ min_consecutive_failures: 9 }), new Date(nowMs()), {
      actor: SYSTEM,
      action: "policy.changed",
      target: `source:${id}`,
    });
    vi.setSystemTime(start + 29_000);
    expect((await policyFor(env, id)).min_consecutive_failures).toBe(1);
    vi.setSystemTime(start + 30_001);
    expect((await policyFor(env, id)).min_consecutive_failures).toBe(9);
  });

  it("drops its entry on a change made through it", async () => {
    const { id } = await createSource("policy: changed here");
    expect((await policyFor(env, id)).silent_after).toBeNull();
    await changePolicy(env, id, parsePolicy({ silent_after: "1d" }), SYSTEM);
    expect((await policyFor(env, id)).silent_after).toBe("1d");
  });

  it("does not keep a policy read while a change was being written", async () => {
    const { id } = await createSource("policy: racing");
    const reading = policyFor(env, id);
    await changePolicy(env, id, parsePolicy({ min_consecutive_failures: 7 }), SYSTEM);
    await reading; // whatever it read, it must not stay cached past the change
    expect((await policyFor(env, id)).min_consecutive_failures).toBe(7);
  });
});

describe("stored policies (src/sources/policy-store.ts)", () => {
  it("lists those that check for silence, for the cron", async () => {
    const [silent, quiet] = await Promise.all([
      createSource("policy: silent"),
      createSource("policy: quiet"),
    ]);
    await patch(silent.id, { policy: { silent_after: "12h" } });
    await patch(quiet.id, { policy: { min_consecutive_failures: 2 } });
    const listedForCron = await policiesWithSilentAfter(env.DB);
    expect(listedForCron).toContainEqual({
      source_id: silent.id,
      policy: { ...DEFAULT_POLICY, silent_after: "12h" },
    });
    expect(listedForCron.map((row) => row.source_id)).not.toContain(quiet.id);
    expect(listedForCron.every((row) => row.policy.silent_after !== null)).toBe(true);
  });

  it("keeps a policy written under the earlier, wider glob bounds working as it was written", async () => {
    const { id } = await createSource("policy: older bounds");
    // 30 globs in a list and two ** in one: refused in a PATCH today, stored by the release before.
    const exclude = [...Array.from({ length: 29 }, (_, i) => `legacy-${i}/**`), "**/sandbox/**"];
    const written = { jobs: { exclude }, silent_after: "12h" };
    await env.DB.prepare("INSERT INTO source_policies (source_id, policy, updated_at) VALUES (?1, ?2, ?3)")
      .bind(id, JSON.stringify(written), nowIso())
      .run();
    const policy = await readPolicy(env.DB, id);
    expect(policy.jobs.exclude).toEqual(exclude);
    expect(policy.silent_after).toBe("12h");
    // Saving it again applies today's bounds.
    const res = await patch(id, { policy: written });
    expect(res.status).toBe(400);
  });

  it("reads a row that no longer parses as the defaults, and logs it", async () => {
    const { id } = await createSource("policy: unreadable");
    await env.DB.prepare("INSERT INTO source_policies (source_id, policy, updated_at) VALUES (?1, ?2, ?3)")
      .bind(id, JSON.stringify({ min_consecutive_failures: 1000 }), nowIso())
      .run();
    const logs = captureLogs();
    expect(await readPolicy(env.DB, id)).toEqual(DEFAULT_POLICY);
    expect((await shown(id)).policy).toEqual(DEFAULT_POLICY);
    expect(logs.lines).toEqual([
      { level: "error", message: "stored policy unreadable, defaults used", source_id: id },
      { level: "error", message: "stored policy unreadable, defaults used", source_id: id },
    ]);
  });
});
