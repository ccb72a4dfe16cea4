/**
 * The dashboard's noise policy form (/sources/:id/policy): filled with the stored policy, saved whole
 * through the same schema as the API, errors named by field and line with nothing saved, and the
 * same session, CSRF and form checks as the other dashboard forms.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY, type Policy } from "../../../src/sources/policy";
import { api, createSource } from "../../helpers";
import { form, page, policyForm, signIn } from "../dashboard-client";

let session: string;

beforeAll(async () => {
  session = await signIn();
});

const policyOf = async (id: string) =>
  ((await (await api(`/api/sources/${id}`)).json()) as { policy: Policy }).policy;

const html = async (path: string) => (await page(path, {}, session)).text();

const save = (id: string, fields: Record<string, string>) => form(`/sources/${id}/policy`, fields, session);

describe("the noise policy page", () => {
  it("is linked from each active source on the sources page", async () => {
    const { id } = await createSource("policy page: linked");
    expect(await html("/sources")).toContain(`href="/sources/${id}/policy"`);
  });

  it("shows the stored policy in the form: globs one a line, the number, the priorities, the duration", async () => {
    const { id } = await createSource("policy page: filled");
    await api(`/api/sources/${id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        policy: {
          branches: { include: ["main", "release/*"] },
          min_consecutive_failures: 3,
          priorities: { UNSTABLE: "LOW" },
          silent_after: "6h",
          deploy_jobs: ["acme/deploy-*", "infra/**"],
        },
      }),
    });
    const res = await page(`/sources/${id}/policy`, {}, session);
    expect(res.status).toBe(200);
    const shown = await res.text();
    expect(shown).toContain("Noise policy for “policy page: filled”");
    expect(shown).toContain(`action="/sources/${id}/policy"`);
    expect(shown).toMatch(/<textarea name="branches_include"[^>]*>main\nrelease\/\*<\/textarea>/);
    expect(shown).toMatch(/<textarea name="jobs_include"[^>]*><\/textarea>/);
    expect(shown).toMatch(
      /Deploy jobs<textarea name="deploy_jobs"[^>]*>acme\/deploy-\*\ninfra\/\*\*<\/textarea>/,
    );
    expect(shown).toMatch(/name="min_consecutive_failures"[^>]*value="3"/);
    expect(shown).toMatch(
      /<select name="priority_UNSTABLE"><option value="HIGH">HIGH<\/option><option value="MEDIUM">MEDIUM<\/option><option value="LOW" selected="">/,
    );
    expect(shown).toMatch(/<select name="priority_FAILURE"><option value="HIGH" selected="">/);
    expect(shown).toMatch(/name="silent_after" value="6h"/);
    expect(shown).toContain("within 30 seconds");
  });

  it("saves the whole policy, redirects back to the form, and says it is saved", async () => {
    const { id } = await createSource("policy page: saved");
    const res = await save(
      id,
      policyForm({
        jobs_exclude: "sandbox/**\r\n\r\n  acme/*-nightly  \r\n",
        branches_include: "main",
        min_consecutive_failures: "2",
        priority_FAILURE: "MEDIUM",
        flaky: "ignore",
        silent_after: " 2d ",
        deploy_jobs: "acme/deploy-*\r\n",
      }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/sources/${id}/policy?saved`);
    expect(await policyOf(id)).toEqual({
      branches: { include: ["main"], exclude: [] },
      jobs: { include: [], exclude: ["sandbox/**", "acme/*-nightly"] },
      min_consecutive_failures: 2,
      flaky: "ignore",
      priorities: { ...DEFAULT_POLICY.priorities, FAILURE: "MEDIUM" },
      silent_after: "2d",
      deploy_jobs: ["acme/deploy-*"],
    });
    const after = await html(`/sources/${id}/policy?saved`);
    expect(after).toContain('id="policy-saved"');
    expect(after).toMatch(/<textarea name="jobs_exclude"[^>]*>sandbox\/\*\*\nacme\/\*-nightly<\/textarea>/);
    expect(after).toMatch(/<option value="ignore" selected="">Open no incident/);
    expect(await html(`/sources/${id}/policy`)).not.toContain('id="policy-saved"');
  });

  it("takes empty fields as the defaults: no filter, one failure, no silence check", async () => {
    const { id } = await createSource("policy page: emptied");
    await save(id, policyForm({ branches_include: "main", silent_after: "1h" }));
    expect((await save(id, policyForm({ min_consecutive_failures: "" }))).status).toBe(303);
    expect(await policyOf(id)).toEqual(DEFAULT_POLICY);
  });

  it.each([
    [
      "a glob too long, by its line",
      { branches_include: `main\n\n${"x".repeat(257)}` },
      "Branches that page, line 3: at most 256 characters.",
    ],
    [
      "21 globs",
      { jobs_exclude: Array(21).fill("a/*").join("\n") },
      "Jobs that never page: at most 20 globs.",
    ],
    [
      "a deploy job glob with two **, by its line",
      { deploy_jobs: "acme/deploy-*\n**/deploy/**" },
      "Deploy jobs, line 2: at most 1 ** segment.",
    ],
    ["0 failures", { min_consecutive_failures: "0" }, "Failures in a row: at least 1."],
    [
      "failures that are not a number",
      { min_consecutive_failures: "three" },
      "Failures in a row: expected number.",
    ],
    ["a priority not offered", { priority_ABORTED: "URGENT" }, "Aborted: expected HIGH, MEDIUM or LOW."],
    ["a silence check under 15 minutes", { silent_after: "5m" }, "Silent source after: at least 15 minutes."],
  ])("answers %s with the form as typed and the error, saving nothing", async (_, fields, error) => {
    const { id } = await createSource("policy page: refused");
    await save(id, policyForm({ min_consecutive_failures: "4" }));
    const res = await save(id, policyForm({ ...fields, branches_exclude: "keep/<this>" }));
    expect(res.status).toBe(400);
    const shown = await res.text();
    expect(shown).toContain("Nothing was saved");
    expect(shown).toContain(`<li>${error}</li>`);
    expect(shown).toMatch(/<textarea name="branches_exclude"[^>]*>keep\/&lt;this&gt;<\/textarea>/);
    expect(await policyOf(id)).toEqual({ ...DEFAULT_POLICY, min_consecutive_failures: 4 });
  });

  it("refuses a cross-site post and a JSON post, saving nothing", async () => {
    const { id } = await createSource("policy page: csrf");
    const crossSite = await form(
      `/sources/${id}/policy`,
      policyForm({ silent_after: "1h" }),
      session,
      "https://evil.example",
    );
    expect(crossSite.status).toBe(403);
    const json = await page(
      `/sources/${id}/policy`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: "https://itoc.example.com" },
        body: JSON.stringify(policyForm({ silent_after: "1h" })),
      },
      session,
    );
    expect(json.status).toBe(415);
    expect(await policyOf(id)).toEqual(DEFAULT_POLICY);
  });

  it("goes back to the list for a revoked, unknown or malformed source", async () => {
    const { id } = await createSource("policy page: revoked");
    await api(`/api/sources/${id}`, { method: "DELETE" });
    expect(await html("/sources")).not.toContain(`href="/sources/${id}/policy"`);
    for (const target of [id, crypto.randomUUID(), "x".repeat(600)]) {
      for (const res of [
        await page(`/sources/${target}/policy`, {}, session),
        await save(target, policyForm({ silent_after: "1h" })),
      ]) {
        expect(res.status).toBe(303);
        expect(res.headers.get("Location")).toBe("/sources");
      }
    }
    expect(await policyOf(id)).toEqual(DEFAULT_POLICY);
  });

  it("asks for a session: the page sends to sign-in, a post is refused and saves nothing", async () => {
    const { id } = await createSource("policy page: no session");
    const res = await page(`/sources/${id}/policy`);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/login?next=${encodeURIComponent(`/sources/${id}/policy`)}`);
    expect((await form(`/sources/${id}/policy`, policyForm({ silent_after: "1h" }))).status).toBe(401);
    expect(await policyOf(id)).toEqual(DEFAULT_POLICY);
  });
});
