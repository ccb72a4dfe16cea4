/**
 * The alerts page (`/alerts`, the list that was the home page): its job search by the displayed path,
 * what it says when a search finds nothing or more jobs than it shows, and links from when it was `/`.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { nowIso } from "../../../src/platform/clock";
import { buildPayload, createSource, deliver } from "../../helpers";
import { indexJobs } from "../../jobs/job-index";
import { page, signIn } from "../dashboard-client";

let session: string;

beforeAll(async () => {
  session = await signIn();
});

const html = async (path: string) => (await page(path, {}, session)).text();
const alertLinks = (markup: string) =>
  [...markup.matchAll(/<a href="\/alerts\/(\d+)">/g)].map((m) => Number(m[1]));

describe("the alerts page's job search", () => {
  it("finds a multibranch job's alerts by the path the dashboard displays", async () => {
    const { token } = await createSource("alert search");
    const send = async (job: string) => {
      const res = await deliver(buildPayload({ job, number: 3, phase: "COMPLETED", status: "FAILURE" }), {
        token,
      });
      return ((await res.json()) as { alert_id: number }).alert_id;
    };
    const login = await send("as/web-shop/feature%2Flogin");
    await send("as/web-shop/main");
    await indexJobs();
    expect(alertLinks(await html("/alerts?job=as%2Fweb-shop%2Ffeature%2Flogin"))).toEqual([login]);
    expect(alertLinks(await html("/alerts?job=feature%2Flogin&source_id="))).toContain(login);
    // The live fragment applies the same search.
    const fragment = await (
      await page(
        "/alerts/rows?job=as%2Fweb-shop%2Ffeature&after=0",
        { headers: { "X-Requested-With": "fetch" } },
        session,
      )
    ).text();
    expect(alertLinks(fragment)).toEqual([login]);
  });

  it("says which filters matched nothing, or that no job path contains the text", async () => {
    const { token } = await createSource("alert search: empty");
    await deliver(buildPayload({ job: "ase/api", number: 1, phase: "COMPLETED", status: "FAILURE" }), {
      token,
    });
    await indexJobs();
    expect(await html("/alerts?job=ase%2Fapi&state=resolved&priority=HIGH")).toContain(
      "No alerts for job “ase/api” in state resolved with priority HIGH.",
    );
    expect(await html("/alerts?job=ase%2Fnothing-here")).toContain(
      "No job path contains “ase/nothing-here”.",
    );
    expect(await html("/alerts")).not.toMatch(/<p class="muted" id="no-alerts">/);
  });

  it("says when the search matched more jobs than it looks in", async () => {
    const source = crypto.randomUUID();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 201)
       INSERT INTO jobs (source_id, source_name, job, display_name, state, updated_at, job_path)
       SELECT ?1, 'many', 'many-jobs/job-' || i, 'job-' || i, 'unknown', ?2, 'many-jobs/job-' || i FROM n`,
    )
      .bind(source, nowIso())
      .run();
    await env.DB.prepare(
      "INSERT INTO job_search (rowid, job_path) SELECT id, job_path FROM jobs WHERE source_id = ?1",
    )
      .bind(source)
      .run();
    const markup = await html("/alerts?job=many-jobs");
    expect(markup).toContain(
      "More than 200 jobs have a path containing “many-jobs”: showing the alerts of the 200 newest.",
    );
    expect(await html("/alerts?job=many-jobs%2Fjob-201")).not.toContain("More than 200");
  });
});

describe("links from when the alerts list was the home page", () => {
  it.each([
    ["/?job=acme%2Fweb&state=open", "/alerts?job=acme%2Fweb&state=open"],
    ["/?cursor=abc", "/alerts?cursor=abc"],
    ["/?priority=HIGH", "/alerts?priority=HIGH"],
  ])("%s leads to %s", async (from, to) => {
    const res = await page(from, {}, session);
    expect(res.status).toBe(301);
    expect(res.headers.get("Location")).toBe(to);
  });

  it("leaves the home page itself, and other queries, alone", async () => {
    expect((await page("/", {}, session)).status).toBe(200);
    expect((await page("/?utm_source=mail", {}, session)).status).toBe(200);
  });
});
