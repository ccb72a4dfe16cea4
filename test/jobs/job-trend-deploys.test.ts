/**
 * Deploys on a job's trend (issue 24): the source's deploys (green builds of its policy's `deploy_jobs`)
 * that finished while the job's last builds ran come with GET /api/jobs/:id/history and are drawn on the
 * job page's duration trend, placed by time between the builds around them, and listed beside it. The
 * Worker's clock is set to each delivery's instant, a fixed day.
 */
import { afterEach, describe, expect, it } from "vitest";
import { setClock } from "../../src/platform/clock";
import { api, dashboardPage, dashboardSession } from "../helpers";
import { incidentSource } from "../incidents/incident-source";

const T = Date.parse("2027-02-10T09:00:00.000Z");
const MIN = 60_000;

afterEach(() => setClock(Date.now()));

describe("a job's trend shows its source's deploys", () => {
  it("answers and draws the deploys since its oldest shown build, and no other", async () => {
    const shop = await incidentSource("trend deploys");
    const policy = await api(`/api/sources/${shop.source.id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ policy: { deploy_jobs: ["acme/deploy-*"] } }),
    });
    expect(policy.status).toBe(200);
    const at = async (ms: number, send: () => Promise<void>) => {
      setClock(ms);
      await send();
    };
    await at(T - 90 * MIN, () => shop.finish("acme/deploy-web", 10, "SUCCESS")); // before the job's builds
    await at(T - 60 * MIN, () => shop.finish("acme/web", 1, "SUCCESS"));
    await at(T - 30 * MIN, () => shop.finish("acme/web", 2, "SUCCESS"));
    await at(T - 20 * MIN, () => shop.finish("acme/deploy-web", 11, "SUCCESS")); // the one
    await at(T - 15 * MIN, () => shop.finish("acme/deploy-web", 12, "FAILURE")); // red: no deploy
    await at(T - 10 * MIN, () => shop.finish("acme/web", 3, "SUCCESS"));
    setClock(T);

    const { jobs } = (await (await api(`/api/jobs?source_id=${shop.source.id}&limit=50`)).json()) as {
      jobs: { id: number; job: string }[];
    };
    const web = jobs.find((job) => job.job === "acme/web");
    const history = (await (await api(`/api/jobs/${web?.id}/history`)).json()) as {
      deploys: { job_path: string; build_number: number; finished_at: string }[];
    };
    expect(history.deploys.map((d) => [d.job_path, d.build_number])).toEqual([["acme/deploy-web", 11]]);
    expect(history.deploys[0]?.finished_at).toMatch(/^2027-02-10T08:40:/);

    const page = await (await dashboardPage(`/jobs/${web?.id}`, await dashboardSession())).text();
    expect(page.match(/class="trend-deploy"/g)).toHaveLength(1);
    expect(page).toContain("Deploy acme/deploy-web #11");
    expect(page).toContain("Deploys marked: acme/deploy-web #11.");
    expect(page).toMatch(/Deploys in this period[\s\S]*acme\/deploy-web #11/);
  });
});
