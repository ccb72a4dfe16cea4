/**
 * The dashboard's paper cuts, in headless Chromium against `wrangler dev`: signing in where the
 * browser cannot keep the cookie says why; reloading a new source's page creates nothing and shows no
 * token; an unknown page is a page; a phone (and 200 % zoom) shows every column without scrolling
 * sideways.
 */
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSECURE_HOST, joinWorld, SCREENSHOTS, signIn, type World } from "./harness.ts";
import { createSource, deliver } from "./seed.ts";

let world: World;
let insecureBase: string;
let source: { id: string; token: string };
let longAlertId: number;

/** Unbroken strings as long as the stored limits allow: what overflowed the alert page. */
const LONG_WORD = "x".repeat(120);

beforeAll(async () => {
  world = await joinWorld();
  insecureBase = `http://${INSECURE_HOST}:${world.port}`;
  source = await createSource(world, "Jenkins (paper cuts)");
  await deliver(world, source.token, {
    job: "cuts/payments-api",
    number: 129,
    phase: "COMPLETED",
    status: "FAILURE",
  });
  longAlertId = await deliver(world, source.token, {
    job: "cuts/web-shop",
    number: 7,
    phase: "COMPLETED",
    status: "FAILURE",
    displayName: `web-shop-${LONG_WORD}`,
    extra: {
      scm: {
        url: "https://git.example.com/acme/web.git",
        branch: `feature/${LONG_WORD}`,
        culprits: [LONG_WORD],
      },
      parameters: { LONG: LONG_WORD.repeat(4) },
    },
  });
});

afterAll(async () => {
  await world?.stop();
});

async function withContext<T>(
  options: Parameters<Browser["newContext"]>[0],
  run: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await world.browser.newContext(options);
  try {
    return await run(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

const notice = (page: Page) => page.locator("#insecure-context");

describe("signing in over plain http on a host other than localhost", () => {
  it("says on the form that sign-in needs https or localhost, and why it comes back", async () => {
    await withContext({}, async (page, context) => {
      await page.goto(`${insecureBase}/login`);
      expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
      expect(await notice(page).isVisible()).toBe(true);
      expect(await notice(page).textContent()).toContain("Signing in needs https or localhost.");
      expect(await notice(page).textContent()).toContain(`http://localhost:${world.port}`);

      // What a user saw before: the right token, and the form again (the browser drops the cookie).
      await page.fill('input[name="token"]', world.adminToken);
      await page.click('button[type="submit"]');
      await page.waitForURL(/\/login\?next=/);
      expect(await context.cookies()).toEqual([]);
      expect(await notice(page).isVisible()).toBe(true);
    });
  });

  it("says so without any script, from the server", async () => {
    await withContext({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${insecureBase}/login`);
      expect(await notice(page).isVisible()).toBe(true);
    });
  });

  it("says so from the browser's own answer when the server was told https by a proxy", async () => {
    await withContext({ extraHTTPHeaders: { "X-Forwarded-Proto": "https" } }, async (page) => {
      await page.goto(`${insecureBase}/login`);
      expect(await notice(page).isVisible()).toBe(true);
    });
  });

  it("says nothing on localhost, where sign-in works", async () => {
    await withContext({}, async (page) => {
      await page.goto(`${world.base}/login`);
      expect(await notice(page).isVisible()).toBe(false);
      await signIn(page, world);
      expect(await page.locator("h1").textContent()).toBe("Needs attention");
    });
  });
});

describe("reloading the page that shows a new source's token", () => {
  it("creates no second source and shows the token no more", async () => {
    await withContext({}, async (page) => {
      await signIn(page, world);
      await page.goto(`${world.base}/sources`);
      await page.fill('input[name="name"]', "Jenkins (reload me)");
      await page.click('form[action="/sources"] button[type="submit"]');
      const url = (await page.locator("#webhook-url").textContent()) ?? "";
      const token = new URL(url).searchParams.get("token") ?? "";
      expect(token).toMatch(/^itoc_/);

      for (let reload = 0; reload < 2; reload++) {
        const answer = await page.reload();
        expect(answer?.request().method()).toBe("POST");
        expect(answer?.status()).toBe(409);
        expect(await page.locator("h1").textContent()).toBe("Already created");
        expect(await page.content()).not.toContain(token);
        expect(await page.locator("main").textContent()).toContain("token was shown once");
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, "source-already-created.png") });

      await page.click('main a[href="/sources"]');
      const rows = page.locator("#content tbody tr", { hasText: "Jenkins (reload me)" });
      expect(await rows.count()).toBe(1);
      expect(await page.content()).not.toContain(token);
    });
  });
});

describe("an unknown page in a browser", () => {
  it("is the dashboard's 404 page, not raw JSON", async () => {
    await withContext({}, async (page) => {
      await signIn(page, world);
      for (const where of ["/alerts/99999", "/no/such/page"]) {
        const answer = await page.goto(`${world.base}${where}`);
        expect(answer?.status()).toBe(404);
        expect(answer?.headers()["content-type"]).toMatch(/^text\/html/);
        expect(await page.locator("h1").textContent()).toBe("Not found");
        expect(await page.locator("nav a", { hasText: "Alerts" }).count()).toBe(1);
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, "not-found.png") });
    });
  });

  it("leaves the API's answers problem+json", async () => {
    await withContext({}, async (page) => {
      const answer = await page.goto(`${world.base}/api/no-such-thing`);
      expect(answer?.status()).toBe(404);
      expect(answer?.headers()["content-type"]).toBe("application/problem+json");
    });
  });
});

describe("narrow screens", () => {
  /** What the page would need to show without scrolling sideways. */
  const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  /** Per alerts-table cell: its column label (shown before it), whether it is shown, and its width. */
  const cells = (page: Page) =>
    page
      .locator("#alerts tr")
      .first()
      .locator("td")
      .evaluateAll((tds) =>
        tds.map((td) => ({
          label: getComputedStyle(td, "::before").content.replaceAll('"', ""),
          shown: getComputedStyle(td).display !== "none" && td.getBoundingClientRect().height > 0,
          right: Math.round(td.getBoundingClientRect().right),
        })),
      );

  it("stacks each alert as a card of labelled cells on a 390 px phone, hiding nothing", async () => {
    await withContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" }, async (page) => {
      await signIn(page, world);
      await page.goto(`${world.base}/alerts`);
      expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      const headers = await page.locator("thead th").allTextContents();
      const shown = await cells(page);
      expect(shown.map((cell) => cell.label)).toEqual(headers);
      expect(shown.every((cell) => cell.shown && cell.right <= 390)).toBe(true);
      await page.screenshot({ path: path.join(SCREENSHOTS, "alerts-phone-stacked.png"), fullPage: true });
    });
  });

  it("keeps “Sign out” on one line, beside the navigation", async () => {
    await withContext({ viewport: { width: 390, height: 844 } }, async (page) => {
      await signIn(page, world);
      const signOut = await page.locator("header button", { hasText: "Sign out" }).boundingBox();
      const nav = await page.locator("header nav").boundingBox();
      const line = await page.locator("header nav a").first().boundingBox();
      expect(signOut && nav && line).toBeTruthy();
      if (!signOut || !nav || !line) return;
      expect(signOut.height).toBeLessThanOrEqual(line.height + 2);
      expect(Math.abs(signOut.y + signOut.height / 2 - (nav.y + nav.height / 2))).toBeLessThan(4);
      expect(signOut.x + signOut.width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: path.join(SCREENSHOTS, "header-phone.png") });
    });
  });

  it.each(["/", "/incidents", "/jobs", "/sources", "/destinations", "/alerts/99999"])(
    "fits %s in 390 px",
    async (where) => {
      await withContext({ viewport: { width: 390, height: 844 } }, async (page) => {
        await signIn(page, world);
        await page.goto(`${world.base}${where}`);
        expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      });
    },
  );

  it("fits an alert with long, unbroken names and payload lines in 390 px", async () => {
    await withContext({ viewport: { width: 390, height: 844 } }, async (page) => {
      await signIn(page, world);
      await page.goto(`${world.base}/alerts/${longAlertId}`);
      expect(await page.locator(".card p").first().textContent()).toContain(LONG_WORD);
      for (const summary of await page.locator("details summary").all()) await summary.click();
      expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      const payload = page.locator("section.payload").first();
      expect(await payload.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      await page.screenshot({ path: path.join(SCREENSHOTS, "alert-phone-long.png"), fullPage: true });
    });
  });

  it("fits that alert on a wide screen too: a payload's long lines scroll inside it", async () => {
    await withContext({ viewport: { width: 1280, height: 800 } }, async (page) => {
      await signIn(page, world);
      await page.goto(`${world.base}/alerts/${longAlertId}`);
      for (const summary of await page.locator("details summary").all()) await summary.click();
      expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    });
  });

  it("shows Source and Branch at 200 % zoom (a 640 px wide page)", async () => {
    await withContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }, async (page) => {
      await signIn(page, world);
      await page.goto(`${world.base}/alerts`);
      expect(await pageWidth(page)).toBeLessThanOrEqual(640);
      const row = page.locator("#alerts tr", { hasText: "cuts/web-shop" });
      for (const text of ["Jenkins (paper cuts)", `feature/${LONG_WORD}`]) {
        expect(await row.locator("td", { hasText: text }).isVisible()).toBe(true);
      }
    });
  });
});
