/**
 * The job's page and the strips beside incidents, through the Worker: the history strip (a symbol and
 * a colour per result, each cell a link to its alert, a name per cell), the duration trend with its
 * title, summary and median, the figures as text, the builds as a table; and the home page's strips,
 * which cost the same number of D1 statements for three incidents as for one (one query for the list).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { formatDuration } from "../../../src/core/build-context";
import { countingD1 } from "../../fault-bindings";
import { api, buildPayload, callWorker, createSource, deliver } from "../../helpers";
import { page, signIn } from "../dashboard-client";

let session: string;
let source: { id: string; token: string };

const RESULTS = ["SUCCESS", "FAILURE", "UNSTABLE", "ABORTED", "NOT_BUILT", "SUCCESS", "FAILURE"];

async function build(job: string, number: number, status?: string, duration = 60_000) {
  const phase = status ? "FINALIZED" : "STARTED";
  const res = await deliver(
    buildPayload({ job, number, phase, status, extra: { duration: status ? duration : 0 } }),
    {
      token: source.token,
    },
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { alert_id: number }).alert_id;
}

async function jobId(job: string): Promise<number> {
  const { jobs } = (await (await api(`/api/jobs?source_id=${source.id}&limit=200`)).json()) as {
    jobs: { id: number; job: string }[];
  };
  return jobs.find((j) => j.job === job)?.id ?? Number.NaN;
}

const html = async (path: string) => (await page(path, {}, session)).text();

beforeAll(async () => {
  session = await signIn();
  source = await createSource("job page");
});

describe("the job's page", () => {
  it("draws the strip with a symbol, a colour and a link per build, and the same builds as a table", async () => {
    const job = "pages/strip";
    const alertIds = [];
    for (const [i, status] of RESULTS.entries())
      alertIds.push(await build(job, i + 1, status, (i + 1) * 60_000));
    alertIds.push(await build(job, RESULTS.length + 1));
    const markup = await html(`/jobs/${await jobId(job)}`);
    const strip = /<svg class="strip"[\s\S]*?<\/svg>/.exec(markup)?.[0] ?? "";
    const cells = [
      ...strip.matchAll(
        /<a href="\/alerts\/(\d+)" class="tone-(\w+)" aria-label="([^"]+)">[\s\S]*?<text[^>]*>([^<]+)<\/text>/g,
      ),
    ];
    // Oldest first; every build once, linked to its own alert, named, coloured and marked.
    expect(cells.map((c) => Number(c[1]))).toEqual(alertIds);
    expect(cells.map((c) => c[3])).toEqual([
      "Build #1: success",
      "Build #2: failure",
      "Build #3: unstable",
      "Build #4: aborted",
      "Build #5: not built",
      "Build #6: success",
      "Build #7: failure",
      "Build #8: running",
    ]);
    expect(cells.map((c) => c[4])).toEqual(["✓", "✗", "!", "–", "○", "✓", "✗", "…"]);
    expect(cells.map((c) => c[2])).toEqual(["ok", "high", "medium", "low", "low", "ok", "high", "run"]);
    expect(strip).toMatch(/^<svg class="strip" aria-label="pages\/strip: the last 8 builds, oldest first"/);
    expect(strip).toContain("<title>pages/strip: the last 8 builds, oldest first</title>");
    expect(markup).toContain(
      "8 builds: 2 ✓ success, 2 ✗ failure, 1 ! unstable, 1 – aborted, 1 ○ not built, 1 … running",
    );
    // The trend: a titled, described image with the median of the seven finished builds (4 min) drawn.
    expect(markup).toMatch(/<svg class="trend" role="img" aria-labelledby="trend-title trend-desc"/);
    expect(markup).toContain(
      `<desc id="trend-desc">7 finished builds, from #1 to #7. Median ${formatDuration(240_000)},`,
    );
    expect(markup).toContain(`median ${formatDuration(240_000)}</text>`);
    expect(markup).toContain('<line class="trend-median"');
    // The figures as text: 2 red of 4 green-or-red builds… plus #3 unstable: 3 of 5.
    expect(markup).toContain("<dt>Failure rate, 7 days</dt><dd>60 %</dd>");
    expect(markup).toContain("red since #7");
    // The table alternative: one row per build, newest first, with the result in words.
    const table = /<details id="builds-table"[^>]*>[\s\S]*?<\/details>/.exec(markup)?.[0] ?? "";
    const rows = [
      ...table.matchAll(
        /<a href="\/alerts\/(\d+)">#(\d+)<\/a>[\s\S]*?<span class="badge tone-\w+ result">([^<]+)<\/span>/g,
      ),
    ];
    expect(rows.map((r) => Number(r[2]))).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(rows.map((r) => r[3])).toEqual([
      "… running",
      "✗ failure",
      "✓ success",
      "○ not built",
      "– aborted",
      "! unstable",
      "✗ failure",
      "✓ success",
    ]);
    // The CSP holds: no style attribute anywhere.
    expect(markup).not.toMatch(/\sstyle="/);
  });

  it("is linked from the jobs page and from the incident's page; an unknown job is the 404 page", async () => {
    const job = "pages/linked";
    await build(job, 1, "FAILURE");
    const id = await jobId(job);
    expect(await html("/jobs")).toContain(`<a href="/jobs/${id}">linked</a>`);
    const { incidents } = (await (await api(`/api/incidents?source_id=${source.id}`)).json()) as {
      incidents: { id: number; job: string }[];
    };
    const incident = incidents.find((i) => i.job === job);
    const markup = await html(`/incidents/${incident?.id}`);
    expect(markup).toContain(
      `<a href="/jobs/${id}">Job page<span class="visually-hidden"> of pages/linked</span></a>`,
    );
    expect(markup).toContain('aria-label="Build #1: failure"');
    expect((await page("/jobs/99999999", {}, session)).status).toBe(404);
  });
});

describe("the home page's strips", () => {
  /** The home page read through a D1 that counts statements. */
  async function homeStatements() {
    const counted = countingD1(env.DB);
    const res = await callWorker("/", { headers: { Cookie: session } }, { DB: counted.db });
    expect(res.status).toBe(200);
    return { markup: await res.text(), statements: counted.calls.statements };
  }

  it("shows each incident's job's last 10 builds, from one query for the whole list", async () => {
    for (let n = 1; n <= 12; n++) await build("home/one", n, n % 2 ? "FAILURE" : "SUCCESS");
    await build("home/one", 13, "FAILURE");
    const one = await homeStatements();
    for (const job of ["home/two", "home/three"]) {
      await build(job, 1, "SUCCESS");
      await build(job, 2, "FAILURE");
    }
    const three = await homeStatements();
    expect(three.statements).toBe(one.statements);
    const strip =
      /<svg class="strip strip-small"[^>]*aria-label="home\/one: [\s\S]*?<\/svg>/.exec(three.markup)?.[0] ??
      "";
    expect([...strip.matchAll(/aria-label="Build #(\d+)/g)].map((m) => Number(m[1]))).toEqual([
      4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
    ]);
    for (const job of ["home/two", "home/three"]) {
      expect(three.markup).toContain(`Job page<span class="visually-hidden"> of ${job}</span>`);
    }
  });
});
