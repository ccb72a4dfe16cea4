/**
 * Deploys on the timeline (issue 24) through the real Worker: a deploy job's green build, delivered to the
 * webhook minutes before a failure, is named by the incident the failure opens (its API answer, its page,
 * and its notifications to loopback receivers), and nothing else is: a deploy more than an hour before, a
 * red deploy build, another source's deploy, a green build of a job `deploy_jobs` does not name. The
 * Worker's clock is set to each delivery's instant (a fixed day), so no wall clock decides the minutes.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it } from "vitest";
import { receivedAt } from "../../fixtures/receivers.ts";
import { DEPLOYS_BETWEEN, deploysBetween } from "../../src/alerts/deploys";
import { setClock } from "../../src/platform/clock";
import { api, createDestination, dashboardPage, dashboardSession, eventually } from "../helpers";
import { type ApiIncident, incidentSource } from "./incident-source";

const receivers = inject("receivers");

/** The failure's instant; every other delivery is placed before it. */
const T = Date.parse("2027-02-10T09:00:30.000Z");
const MIN = 60_000;

afterEach(() => setClock(Date.now()));

async function withPolicy(sourceId: string, policy: Record<string, unknown>) {
  const res = await api(`/api/sources/${sourceId}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ policy }),
  });
  expect(res.status).toBe(200);
}

type Deployed = ApiIncident & { deploys_before: Record<string, unknown>[] };

describe("an incident names the deploys of its source that finished in the hour before it opened", () => {
  it("on its API answer, its page, a webhook's JSON and a Slack message; nothing else", async () => {
    const policy = { deploy_jobs: ["acme/deploy-*"] };
    const shop = await incidentSource("deploys: shop");
    const other = await incidentSource("deploys: other source");
    await withPolicy(shop.source.id, policy);
    await withPolicy(other.source.id, policy);
    const webhookPath = "/deploys-webhook";
    const slackPath = "/deploys-slack";
    const match = { source_id: shop.source.id, job: "acme/web" };
    await createDestination({
      name: "deploys",
      kind: "webhook",
      url: `${receivers.ok}${webhookPath}`,
      match,
    });
    await createDestination({ name: "deploys", kind: "slack", url: `${receivers.ok}${slackPath}`, match });

    const at = async (ms: number, send: () => Promise<void>) => {
      setClock(ms);
      await send();
    };
    await at(T - 70 * MIN, () => shop.finish("acme/deploy-web", 211, "SUCCESS")); // over an hour before
    await at(T - 10 * MIN, () => shop.finish("acme/deploy-api", 5, "FAILURE")); // a red deploy build
    await at(T - 6 * MIN, () => shop.finish("acme/tools/lint", 9, "SUCCESS")); // not a deploy job
    await at(T - 4.5 * MIN, () => shop.finish("acme/deploy-web", 212, "SUCCESS")); // the deploy
    await at(T - 3 * MIN, () => other.finish("acme/deploy-web", 300, "SUCCESS")); // another source's
    await at(T, () => shop.finish("acme/web", 40, "FAILURE"));

    const incident = (await shop.incidentOf("acme/web")) as Deployed;
    expect(incident.state).toBe("open");
    const listed = await api(`/api/alerts?source_id=${shop.source.id}&state=resolved`);
    const deployAlert = (
      (await listed.json()) as { alerts: { id: number; job: string; build_number: number }[] }
    ).alerts.find((alert) => alert.job === "acme/deploy-web" && alert.build_number === 212);
    expect(deployAlert).toBeDefined();
    expect(incident.deploys_before).toEqual([
      {
        alert_id: deployAlert?.id,
        job: "acme/deploy-web",
        job_path: "acme/deploy-web",
        build_number: 212,
        finished_at: expect.stringMatching(/^2027-02-10T08:56:/),
        minutes_before: 4,
      },
    ]);

    const words = "acme/deploy-web #212 finished 4 min before";
    const page = await (await dashboardPage(`/incidents/${incident.id}`, await dashboardSession())).text();
    expect(page).toContain(`<a href="/alerts/${deployAlert?.id}">${words}</a>`);
    for (const absent of ["#211", "#300", "deploy-api", "tools/lint"]) expect(page).not.toContain(absent);

    const [webhook] = await eventually(
      () => receivedAt(receivers.ok, webhookPath),
      (list) => list.length > 0,
      20_000,
    );
    const body = JSON.parse(webhook?.body ?? "{}") as Record<string, unknown>;
    expect(body.type).toBe("incident.opened");
    expect(body.deploys_before).toEqual(incident.deploys_before);
    const [slack] = await eventually(
      () => receivedAt(receivers.ok, slackPath),
      (list) => list.length > 0,
      20_000,
    );
    expect(slack?.body).toContain(words);
    expect(slack?.body).not.toContain("#211");
  });

  it("names none when the source has no deploy jobs, and the newest first when there are several", async () => {
    const plain = await incidentSource("deploys: none named");
    await withPolicy(plain.source.id, {});
    setClock(T - 5 * MIN);
    await plain.finish("acme/deploy-web", 1, "SUCCESS");
    setClock(T);
    await plain.finish("acme/web", 1, "FAILURE");
    expect(((await plain.incidentOf("acme/web")) as Deployed).deploys_before).toEqual([]);

    const busy = await incidentSource("deploys: several");
    await withPolicy(busy.source.id, { deploy_jobs: ["acme/deploy-*", "infra/**"] });
    setClock(T - 59.5 * MIN);
    await busy.finish("infra/terraform/apply", 3, "SUCCESS");
    setClock(T - 20.5 * MIN);
    await busy.finish("acme/deploy-web", 7, "SUCCESS");
    setClock(T - 0.2 * MIN);
    await busy.finish("acme/deploy-api", 8, "SUCCESS");
    setClock(T);
    await busy.finish("acme/web", 1, "FAILURE");
    const named = ((await busy.incidentOf("acme/web")) as Deployed).deploys_before;
    expect(named.map((d) => [d.job_path, d.build_number, d.minutes_before])).toEqual([
      ["acme/deploy-api", 8, 0],
      ["acme/deploy-web", 7, 20],
      ["infra/terraform/apply", 3, 59],
    ]);
  });
});

describe("the deploys of a source between two instants (deploysBetween)", () => {
  it("reads the window's deploys by the partial index, however long the history", async () => {
    const at = (minutes: number) => new Date(T + minutes * MIN).toISOString();
    // 20,000 alerts of the source, one in 50 a deploy (400, one every 50 minutes), and another source's.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
       INSERT INTO alerts (source_id, source_name, job, job_display_name, build_number, phase, phase_rank,
                           status, kind, priority, title, first_seen_at, last_seen_at, state, deployed_at)
       SELECT s.id, 'history', CASE WHEN i % 50 = 0 THEN 'acme/deploy-web' ELSE 'acme/web' END, 'x', i,
              'FINALIZED', 4, 'SUCCESS', 'RESOLVE', 'LOW', 'x', ?1, ?1, 'resolved',
              CASE WHEN i % 50 = 0 THEN strftime('%Y-%m-%dT%H:%M:%fZ', ?2, '-' || (20000 - i) || ' minutes') END
       FROM n CROSS JOIN (SELECT 'history-source' AS id UNION ALL SELECT 'history-other') AS s`,
    )
      .bind(at(0), at(0))
      .run();
    const window = [at(-240), at(0)] as const;
    const found = await deploysBetween(env.DB, "history-source", ...window);
    // Deploys at 0, 50, 100, 150 and 200 minutes before T.
    expect(found.map((d) => d.finished_at)).toEqual([0, -50, -100, -150, -200].map(at));
    expect(found[0]).toMatchObject({ job_path: "acme/deploy-web", build_number: 20000 });
    const read = await env.DB.prepare(DEPLOYS_BETWEEN)
      .bind("history-source", ...window, 20)
      .all();
    expect(read.meta.rows_read).toBeLessThanOrEqual(found.length + 1);
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${DEPLOYS_BETWEEN}`)
      .bind("history-source", ...window, 20)
      .all<{ detail: string }>();
    expect(plan.results.map((row) => row.detail).join("\n")).toMatch(/USING INDEX alerts_deploys/);
  });
});
