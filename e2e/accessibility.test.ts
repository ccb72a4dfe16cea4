/**
 * Everyone can use the dashboard, in headless Chromium against `wrangler dev`: axe-core finds no
 * critical or serious violation on any page in light or dark mode; the live refresh keeps keyboard
 * focus and announces new alerts politely; the skip link, the sign-in error and the payloads work
 * from the keyboard.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./axe.ts";
import { INSECURE_HOST, joinWorld, signIn, type World } from "./harness.ts";
import { createSource, deliver } from "./seed.ts";

let world: World;
let context: BrowserContext;
let page: Page;
let source: { id: string; token: string };
let alertId: number;
let incidentId: number;

/** Fifty build parameters: a payload taller than its scrolling region. */
const parameters = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`PARAM_${i}`, `value ${i}`]));

beforeAll(async () => {
  world = await joinWorld();
  source = await createSource(world, "Jenkins (a11y)");
  await deliver(world, source.token, { job: "a11y/web-shop", number: 7, phase: "STARTED" });
  for (const phase of ["STARTED", "COMPLETED"]) {
    const status = phase === "COMPLETED" ? "FAILURE" : undefined;
    const extra = { parameters };
    alertId = await deliver(world, source.token, { job: "a11y/checkout", number: 31, phase, status, extra });
  }
  const incidents = await fetch(`${world.base}/api/incidents?source_id=${source.id}`, {
    headers: { Authorization: `Bearer ${world.adminToken}` },
  });
  [{ id: incidentId }] = ((await incidents.json()) as { incidents: [{ id: number }] }).incidents;
  context = await world.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  await signIn(page, world, "Ada (a11y)");
});

afterAll(async () => {
  await context?.close();
  await world?.stop();
});

/** The page as it is now, checked in light and then dark mode. */
async function expectNoSeriousViolations(where: Page = page) {
  for (const colorScheme of ["light", "dark"] as const) {
    await where.emulateMedia({ colorScheme });
    expect({ colorScheme, violations: await seriousViolations(where) }).toEqual({
      colorScheme,
      violations: [],
    });
  }
  await where.emulateMedia({ colorScheme: null });
}

describe("axe-core finds no critical or serious violation", () => {
  it("on the sign-in form, and with its error", async () => {
    const visitor = await world.browser.newContext();
    const signInPage = await visitor.newPage();
    await signInPage.goto(`${world.base}/login`);
    await expectNoSeriousViolations(signInPage);
    await signInPage.fill('input[name="token"]', "not the token");
    await signInPage.click('button[type="submit"]');
    await signInPage.locator("#token-error").waitFor();
    await expectNoSeriousViolations(signInPage);
    await visitor.close();
  });

  it("on the sign-in form over plain http, with its notice", async () => {
    const visitor = await world.browser.newContext();
    const signInPage = await visitor.newPage();
    await signInPage.goto(`http://${INSECURE_HOST}:${world.port}/login`);
    await signInPage.locator("#insecure-context").waitFor();
    await expectNoSeriousViolations(signInPage);
    await visitor.close();
  });

  it.each([
    ["needs attention", "/"],
    ["incidents", "/incidents"],
    ["incidents (filtered, nothing found)", "/incidents?state=resolved&kind=missed_build"],
    ["alerts", "/alerts"],
    ["jobs", "/jobs"],
    ["sources", "/sources"],
    ["silences", "/silences"],
    ["destinations", "/destinations"],
    ["people", "/people"],
    ["404", "/alerts/99999"],
  ])("on the %s page", async (_, path) => {
    await page.goto(`${world.base}${path}`);
    await expectNoSeriousViolations();
  });

  it("on the insights page, with its charts' data tables unfolded", async () => {
    await page.goto(`${world.base}/insights`);
    for (const summary of await page.locator("figure.chart details > summary").all()) await summary.click();
    await expectNoSeriousViolations();
  });

  it("on an incident's page, with its form and timeline", async () => {
    await page.goto(`${world.base}/incidents/${incidentId}`);
    await page.locator("#timeline tr").first().waitFor();
    await expectNoSeriousViolations();
  });

  it("on a job's page: its strip, trend and table render with their text alternatives, at 1280 and 390 px", async () => {
    const jobs = await fetch(`${world.base}/api/jobs?source_id=${source.id}`, {
      headers: { Authorization: `Bearer ${world.adminToken}` },
    });
    const { jobs: listed } = (await jobs.json()) as { jobs: { id: number; job: string }[] };
    const job = listed.find((j) => j.job === "a11y/checkout");
    await page.goto(`${world.base}/jobs/${job?.id}`);
    expect(await page.locator("svg.strip a").count()).toBe(1);
    expect(await page.locator("svg.strip a").first().getAttribute("aria-label")).toBe("Build #31: failure");
    expect(await page.locator("svg.strip .chart-sym").first().textContent()).toBe("✗");
    expect(await page.locator("svg.trend title").textContent()).toBe("Build duration, oldest first");
    expect(await page.locator("#builds-table tbody tr").count()).toBe(1);
    await expectNoSeriousViolations();
    // A phone, or 200 % zoom on a small laptop: the page never scrolls sideways; a chart scrolls in its region.
    for (const width of [390, 640]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await expectNoSeriousViolations();
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("on an alert's page, with a payload unfolded", async () => {
    await page.goto(`${world.base}/alerts/${alertId}`);
    await page.locator("details summary").first().click();
    await expectNoSeriousViolations();
  });

  it("on the revoke confirmation", async () => {
    await page.goto(`${world.base}/sources/${source.id}/revoke`);
    await expectNoSeriousViolations();
  });

  it("on a source's noise policy form, and with its errors", async () => {
    await page.goto(`${world.base}/sources/${source.id}/policy`);
    await expectNoSeriousViolations();
    await page.fill('input[name="silent_after"]', "1m");
    await page.click('form.policy button[type="submit"]');
    await page.locator("#policy-errors").waitFor();
    await expectNoSeriousViolations();
  });

  it("on the silences page, with a silence listed, and with the form's error", async () => {
    await page.goto(`${world.base}/silences`);
    // A job no build of this file has: the silence changes no incident the other tests look at.
    await page.fill('form#new-silence input[name="job"]', "acme/a11y-nothing/**");
    await page.fill('form#new-silence textarea[name="comment"]', "axe (a11y)");
    await Promise.all([
      page.waitForURL(/done=created/),
      page.click('form#new-silence button[type="submit"]'),
    ]);
    await page.locator("#silences-active tr", { hasText: "axe (a11y)" }).waitFor();
    await expectNoSeriousViolations();
    // A weekly day without its times: refused by the server, the form back as it was sent.
    await page.check('form#new-silence input[name="days"][value="mon"]');
    await page.fill('form#new-silence textarea[name="comment"]', "axe (a11y), refused");
    await page.click('form#new-silence button[type="submit"]');
    await page.locator("#silence-error").waitFor();
    await expectNoSeriousViolations();
  });

  it("on the destinations page: a refused form, the signing secret's page, the list, the delete confirmation", async () => {
    await page.goto(`${world.base}/destinations`);
    const form = page.locator("#new-webhook");
    await form.locator("summary").click();
    // A job no build has: the destination is never sent anything (and its URL is never fetched).
    await form.locator('input[name="name"]').fill("Webhook (a11y)");
    await form.locator('input[name="job"]').fill("acme/a11y-nothing/**");
    await form.locator('input[name="on"][value="escalated"]').check();
    await form.locator('input[name="url"]').fill("https://hooks.example.com/a11y");
    await form.locator('button[type="submit"]').click();
    await page.locator("#new-webhook p.error").waitFor();
    await expectNoSeriousViolations();
    await page.locator('#new-webhook input[name="on"][value="escalated"]').uncheck();
    await page.locator('#new-webhook input[name="url"]').fill("https://hooks.example.com/a11y");
    await page.locator('#new-webhook button[type="submit"]').click();
    await page.locator("#signing-secret").waitFor();
    await expectNoSeriousViolations();
    await page.goto(`${world.base}/destinations`);
    await page.locator("tr", { hasText: "Webhook (a11y)" }).waitFor();
    await expectNoSeriousViolations();
    await page.locator("tr", { hasText: "Webhook (a11y)" }).locator("a", { hasText: "Delete" }).click();
    await page.locator("h1", { hasText: "Delete" }).waitFor();
    await expectNoSeriousViolations();
  });

  it("on the Slack form with the app chosen: refused (the error tied to its field), created, listed", async () => {
    await page.goto(`${world.base}/destinations`);
    const form = page.locator("#new-slack");
    await form.locator("summary").click();
    // A job no build has: the app is never asked to post (its token is made up).
    await form.locator('input[name="name"]').fill("Slack app (a11y)");
    await form.locator('input[name="job"]').fill("acme/a11y-nothing/**");
    await form.getByLabel("Slack app: bot token and channel ID").check();
    await form.getByLabel(/^Bot token/).fill("xoxb-0000-a11y");
    await form.locator('button[type="submit"]').click();
    await page.locator("#slack-error").waitFor();
    expect(await page.locator("#slack-channel").getAttribute("aria-describedby")).toBe("slack-error");
    expect(await page.locator("#slack-bot-token").inputValue()).toBe("");
    await expectNoSeriousViolations();
    await page.locator("#slack-bot-token").fill("xoxb-0000-a11y");
    await page.getByLabel(/^Channel ID/).fill("C0A11Y");
    await page.locator('#new-slack button[type="submit"]').click();
    await page.locator("h1", { hasText: "“Slack app (a11y)” is ready" }).waitFor();
    await expectNoSeriousViolations();
    await page.goto(`${world.base}/destinations`);
    await page.locator("tr", { hasText: "Slack app · channel C0A11Y" }).waitFor();
  });

  it("on the “is ready” page of a new source, and on its reload", async () => {
    await page.goto(`${world.base}/sources`);
    await page.fill('input[name="name"]', "Jenkins (a11y, created)");
    await page.click('form[action="/sources"] button[type="submit"]');
    await page.locator("#webhook-url").waitFor();
    await expectNoSeriousViolations();
    await page.reload();
    await page.locator("h1", { hasText: "Already created" }).waitFor();
    await expectNoSeriousViolations();
  });
});

describe("the keyboard", () => {
  it("reaches “Skip to content” first, and it moves focus to the page's content", async () => {
    await page.goto(`${world.base}/jobs`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Skip to content");
    expect(await page.locator("a.skip").isVisible()).toBe(true);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
  });

  it("scrolls an unfolded payload, which has a name", async () => {
    await page.goto(`${world.base}/alerts/${alertId}`);
    await page.locator("details summary").last().click();
    const payload = page.locator("section.payload").last();
    expect(await payload.getAttribute("aria-label")).toBe("Payload of event 2, COMPLETED (JSON)");
    await payload.focus();
    expect(await payload.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("PageDown");
    await page.waitForFunction((el) => (el as HTMLElement).scrollTop > 0, await payload.elementHandle());
  });
});

describe("the live refresh", () => {
  // Of this file's own source: the other browser files deliver to the shared world at the same time.
  it("keeps focus on the same element while rows around it and its own row change", async () => {
    await page.goto(`${world.base}/alerts?source_id=${source.id}`);
    const row = page.locator("#alerts tr", { hasText: "a11y/web-shop" });
    const other = page.locator("#alerts tr", { hasText: "a11y/checkout" });
    await row.locator("a").first().focus();
    await page.evaluate(() => {
      (window as unknown as { focused: Element | null }).focused = document.activeElement;
    });

    // The focused row's build finishes (its phase, status, priority change), and a new alert arrives above.
    await deliver(world, source.token, {
      job: "a11y/web-shop",
      number: 7,
      phase: "COMPLETED",
      status: "UNSTABLE",
    });
    await deliver(world, source.token, {
      job: "a11y/payments-api",
      number: 131,
      phase: "COMPLETED",
      status: "FAILURE",
    });
    await page.locator("#alerts tr", { hasText: "a11y/payments-api" }).waitFor({ timeout: 10_000 });
    await row.locator("td", { hasText: "UNSTABLE" }).waitFor({ timeout: 10_000 });

    const kept = await page.evaluate(() => {
      const { focused } = window as unknown as { focused: Element | null };
      return {
        sameElement: document.activeElement === focused && focused?.isConnected === true,
        focusedText: document.activeElement?.textContent,
      };
    });
    expect(kept).toEqual({ sameElement: true, focusedText: "web-shop" });
    expect(await other.count()).toBe(1);
  });

  it("moves focus to its counterpart when the focused element's own cell changes", async () => {
    await page.goto(`${world.base}/alerts?source_id=${source.id}`);
    const row = page.locator("#alerts tr", { hasText: "a11y/checkout" });
    await row.locator("td a", { hasText: "checkout" }).first().focus();
    // Jenkins renamed the job: the link's own cell is rendered anew.
    const renamed = { displayName: "Checkout (renamed)", extra: { parameters } };
    await deliver(world, source.token, {
      job: "a11y/checkout",
      number: 31,
      phase: "FINALIZED",
      status: "FAILURE",
      ...renamed,
    });
    await row.locator("a", { hasText: "Checkout (renamed)" }).waitFor({ timeout: 10_000 });
    const focused = await page.evaluate(() => ({
      text: document.activeElement?.textContent,
      row: document.activeElement?.closest("tr")?.id,
    }));
    expect(focused).toEqual({ text: "Checkout (renamed)", row: `alert-${alertId}` });
  });

  it("leaves unchanged rows' cells in place", async () => {
    await page.goto(`${world.base}/alerts?source_id=${source.id}`);
    await page.evaluate(() => {
      (window as unknown as { cells: Element[] }).cells = [...document.querySelectorAll("#alerts td")];
    });
    await deliver(world, source.token, { job: "a11y/unrelated", number: 1, phase: "STARTED" });
    await page.locator("#alerts tr", { hasText: "a11y/unrelated" }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(3_500); // one more poll, with nothing changed
    const replaced = await page.evaluate(
      () => (window as unknown as { cells: Element[] }).cells.filter((cell) => !cell.isConnected).length,
    );
    expect(replaced).toBe(0);
  });

  it("announces a new alert in a polite live region", async () => {
    await page.goto(`${world.base}/alerts?source_id=${source.id}`);
    const announcer = page.locator("#announcer");
    expect(await announcer.getAttribute("aria-live")).toBe("polite");
    expect(await announcer.textContent()).toBe("");
    await deliver(world, source.token, {
      job: "a11y/payments-api",
      number: 132,
      phase: "COMPLETED",
      status: "FAILURE",
    });
    await page.waitForFunction(() => document.getElementById("announcer")?.textContent !== "", undefined, {
      timeout: 10_000,
    });
    expect(await announcer.textContent()).toBe("1 new alert: payments-api #132 FAILURE, HIGH");
    expect(await page.locator("table[aria-live], tbody[aria-live]").count()).toBe(0);
  });
});

describe("the sign-in error", () => {
  it("is an alert that describes the token field", async () => {
    const visitor = await world.browser.newContext();
    const signInPage = await visitor.newPage();
    await signInPage.goto(`${world.base}/login`);
    await signInPage.fill('input[name="token"]', "not the token");
    await signInPage.click('button[type="submit"]');
    const error = signInPage.getByRole("alert");
    expect(await error.textContent()).toBe("That is not the admin token.");
    const field = signInPage.locator('input[name="token"]');
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
    expect(await signInPage.locator(`#${describedBy}`).textContent()).toBe("That is not the admin token.");
    await visitor.close();
  });
});
