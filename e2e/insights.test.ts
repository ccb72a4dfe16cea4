/**
 * The Insights page in Chromium against `wrangler dev`: its charts render as SVG with their titles and
 * summaries, their data tables unfold, and the page fits a 390 px phone and 200 % zoom (a 1280 px window
 * zoomed to 640 CSS px) with the tables open, in light and dark. Its axe check is in accessibility.test.ts.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinWorld, signIn, type World } from "./harness.ts";
import { createSource, deliver } from "./seed.ts";

let world: World;

beforeAll(async () => {
  world = await joinWorld();
  const source = await createSource(world, "Jenkins (insights)");
  // An incident today: the per-day chart has a bar whatever the day.
  for (const phase of ["COMPLETED", "FINALIZED"])
    await deliver(world, source.token, { job: "insights/web", number: 4, phase, status: "FAILURE" });
});

afterAll(async () => {
  await world?.stop();
});

async function withPage<T>(options: Parameters<Browser["newContext"]>[0], run: (page: Page) => Promise<T>) {
  const context = await world.browser.newContext(options);
  try {
    const page = await context.newPage();
    await signIn(page, world);
    await page.goto(`${world.base}/insights`);
    return await run(page);
  } finally {
    await context.close();
  }
}

const unfold = async (page: Page) => {
  for (const summary of await page.locator("figure.chart details > summary").all()) await summary.click();
};

describe("the Insights page in a browser", () => {
  it("draws three charts, each with its title, summary and a data table that unfolds", async () => {
    await withPage({ viewport: { width: 1280, height: 800 } }, async (page) => {
      const charts = page.locator("figure.chart");
      expect(await charts.count()).toBe(3);
      for (const chart of await charts.all()) {
        const box = await chart.locator("svg").boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(200);
        expect(await chart.locator("svg > title").textContent()).toBeTruthy();
        expect(await chart.locator("figcaption p").textContent()).toBe(
          await chart.locator("svg > desc").textContent(),
        );
        expect(await chart.locator("table.chart-data").isVisible()).toBe(false);
      }
      expect(await page.locator("#per-day rect.bar-0").count()).toBeGreaterThan(0);
      await unfold(page);
      for (const chart of await charts.all())
        expect(await chart.locator("table.chart-data").isVisible()).toBe(true);
    });
  });

  it.each([
    ["a 390 px phone, dark", { viewport: { width: 390, height: 844 }, colorScheme: "dark" as const }, 390],
    ["200 % zoom", { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }, 640],
  ])("fits %s with the tables open", async (_, options, width) => {
    await withPage(options, async (page) => {
      await unfold(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const svg = await page.locator("#per-day svg").boundingBox();
      expect((svg?.x ?? 0) + (svg?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(width);
    });
  });
});
