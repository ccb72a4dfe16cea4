/**
 * The Insights page draws the figures of GET /api/insights: each chart an inline SVG with its `<title>`,
 * its text summary (as `<desc>` and in the caption) and its data as a table; the rankings and the red jobs
 * as lists; a filter the API would refuse is named, and the default window shown instead. The clock is set
 * to a fixed instant and the history is generated (fixtures/insights-history.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { generateHistory } from "../../../fixtures/insights-history.ts";
import type { Insights } from "../../../src/insights/store";
import { setClock } from "../../../src/platform/clock";
import { api, dashboardPage, dashboardSession } from "../../helpers";
import { seedHistory } from "../../insights/seed-history";

const NOW = Date.parse("2027-03-10T15:00:00.000Z");

let session: string;

beforeAll(async () => {
  setClock(NOW);
  await seedHistory(generateHistory(NOW));
  session = await dashboardSession();
});

async function html(path: string) {
  const res = await dashboardPage(path, session);
  expect(res.status).toBe(200);
  return res.text();
}

/** The figure with `id`: its markup. */
const figure = (markup: string, id: string) =>
  new RegExp(`<figure class="chart" id="${id}">([\\s\\S]*?)</figure>`).exec(markup)?.[1] ?? "";

describe("the Insights page", () => {
  it("draws each chart with a title, a summary and a data table, from the API's figures", async () => {
    const query = "?from=2027-02-01&to=2027-03-10";
    const insights = (await (await api(`/api/insights${query}`)).json()) as Insights;
    const markup = await html(`/insights${query}`);
    for (const id of ["per-day", "mtta", "mttr"]) {
      const chart = figure(markup, id);
      expect(chart, id).toMatch(new RegExp(`<svg [^>]*role="img" aria-labelledby="${id}-title ${id}-desc"`));
      expect(chart, id).toMatch(new RegExp(`<title id="${id}-title">[^<]+</title>`));
      const desc = new RegExp(`<desc id="${id}-desc">([^<]+)</desc>`).exec(chart)?.[1];
      expect(desc, id).toBeTruthy();
      expect(chart, id).toContain(`<figcaption><p>${desc}</p>`);
      expect(chart, id).toMatch(
        /<details><summary>[^<]+: the data as a table<\/summary><table class="chart-data">/,
      );
    }
    const opened = insights.per_day.reduce((n, day) => n + day.opened, 0);
    const resolved = insights.per_day.reduce((n, day) => n + day.resolved, 0);
    expect(figure(markup, "per-day")).toContain(
      `From 2027-02-01 to 2027-03-10 (UTC): ${opened} incidents opened and ${resolved} resolved.`,
    );
    // One table row per day and per week, and one bar per day with incidents opened.
    expect(figure(markup, "per-day").match(/<th scope="row">/g)).toHaveLength(38);
    expect(figure(markup, "mttr").match(/<th scope="row">/g)).toHaveLength(insights.per_week.length);
    expect(figure(markup, "per-day").match(/<rect class="bar-0"/g)).toHaveLength(
      insights.per_day.filter((day) => day.opened > 0).length,
    );
    const [noisiest] = insights.noisiest_by_incidents;
    expect(markup).toContain(`<h2 id="noisiest-incidents">Noisiest jobs by incidents</h2>`);
    expect(markup).toContain(`<td data-label="Incidents">${noisiest?.count}</td>`);
    expect(markup).toContain(`<h2 id="red-longest">Red longest</h2>`);
    for (const job of insights.red_longest) expect(markup).toContain(`datetime="${job.red_since}"`);
  });

  it("shows a week without incidents as a row with no times, and no bar", async () => {
    const markup = await html("/insights?from=2027-02-15&to=2027-02-21");
    expect(figure(markup, "mtta")).toContain(
      '<th scope="row">2027-W07 (from 2027-02-15)</th><td>–</td><td>–</td>',
    );
    expect(figure(markup, "mtta")).not.toContain("<rect");
    expect(figure(markup, "mtta")).toContain("No incident opened in these weeks was acknowledged.");
  });

  it("names a filter the API would refuse, and shows the last 30 days instead", async () => {
    const markup = await html("/insights?from=2026-01-01&to=2027-03-10");
    expect(markup).toContain('<p class="error" role="alert">from: the window is at most 90 days.</p>');
    expect(figure(markup, "per-day").match(/<th scope="row">/g)).toHaveLength(30);
    expect(await html("/insights?to=2027-02-30")).toContain("to: expected a day that exists.");
  });

  it("is in the navigation", async () => {
    expect(await html("/insights")).toContain('<a href="/insights">Insights</a>');
  });
});
