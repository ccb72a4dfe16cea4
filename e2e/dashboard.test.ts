/**
 * The dashboard as a person uses it, in headless Chromium against `wrangler dev`: sign in, create a
 * source, paste its URL into the (simulated) Jenkins, watch the alert arrive, filter, read the
 * timeline, revoke. Screenshots of the main pages land in e2e/screenshots/ (git-ignored).
 */
import { createServer, type Server } from "node:http";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../scripts/lib/local-state.ts";
import { joinWorld, SCREENSHOTS, signIn, simulate, type World } from "./harness.ts";

let world: World;
let context: BrowserContext;
let page: Page;
let webhookUrl: string;

beforeAll(async () => {
  world = await joinWorld();
  context = await world.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await world?.stop();
});

const shot = (name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe("the dashboard", () => {
  it("asks for the admin token before showing anything", async () => {
    await page.goto(`${world.base}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.fill('input[name="token"]', "not the token");
    await page.click('button[type="submit"]');
    await expect(page.locator(".error").textContent()).resolves.toContain("not the admin token");
    await shot("sign-in");
    await signIn(page, world);
    expect(await page.locator("h1").textContent()).toBe("Needs attention");
  });

  it("creates a source and shows Jenkins settings that work", async () => {
    await page.goto(`${world.base}/sources`);
    await page.fill('input[name="name"]', "Jenkins (browser test)");
    await page.click('form[action="/sources"] button[type="submit"]');
    webhookUrl = (await page.locator("#webhook-url").textContent()) ?? "";
    expect(webhookUrl).toMatch(/\/webhooks\/jenkins\?token=itoc_/);
    for (const setting of ["JSON", "HTTP", "All Events", "30000"]) {
      expect(await page.locator("table.settings").textContent()).toContain(setting);
    }
    expect(await page.locator("#basic-url").textContent()).toMatch(/^http:\/\/jenkins:itoc_/);
    await shot("source-created");
  });

  it("shows a simulated build's alert within 5 s, without a reload, with source and provider", async () => {
    await page.goto(`${world.base}/alerts`);
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true; // gone if the page reloads
    });
    const printed = await simulate(
      webhookUrl,
      "--job",
      "acme/payments-api",
      "--build",
      "129",
      "--status",
      "FAILURE",
    );
    expect(printed).toContain("FINALIZED → 200");
    const row = page.locator("#alerts tr", { hasText: "acme/payments-api" });
    await row.waitFor({ timeout: 5_000 });
    await expect(row.textContent()).resolves.toMatch(/Jenkins \(browser test\)\s*Jenkins/);
    await expect(row.textContent()).resolves.toContain("#129");
    await expect(row.locator(".badge.p-HIGH").textContent()).resolves.toBe("HIGH");
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    expect(await page.locator("#no-alerts").isVisible()).toBe(false);
    await simulate(
      webhookUrl,
      "--job",
      "acme/web-shop",
      "--branch",
      "feature/login",
      "--build",
      "7",
      "--status",
      "SUCCESS",
    );
    await page.locator("#alerts tr", { hasText: "acme/web-shop/feature/login" }).waitFor({ timeout: 5_000 });
    await simulate(
      webhookUrl,
      "--job",
      "acme/checkout",
      "--build",
      "31",
      "--status",
      "UNSTABLE",
      "--format",
      "xml",
    );
    await page.locator("#alerts tr", { hasText: "acme/checkout" }).waitFor({ timeout: 5_000 });
    await shot("alerts");
  });

  it("fits a phone, in the dark", async () => {
    const phone = await world.browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: "dark",
    });
    const small = await phone.newPage();
    await signIn(small, world);
    await small.goto(`${world.base}/alerts`);
    const width = await small.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    const background = await small.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(21, 23, 28)");
    await small.screenshot({ path: path.join(SCREENSHOTS, "alerts-phone-dark.png"), fullPage: true });
    await phone.close();
  });

  it("filters by priority and keeps the filter in the URL", async () => {
    await page.selectOption('select[name="priority"]', "HIGH");
    await Promise.all([page.waitForURL(/priority=HIGH/), page.click('form.filters button[type="submit"]')]);
    const priorities = await page.locator("#alerts .badge[class*='p-']").allTextContents();
    expect(priorities.length).toBeGreaterThan(0);
    expect(new Set(priorities)).toEqual(new Set(["HIGH"]));
    await page.reload();
    expect(await page.locator('select[name="priority"]').inputValue()).toBe("HIGH");
  });

  it("shows an alert's timeline, context and folded payloads", async () => {
    await page.goto(`${world.base}/alerts`);
    await page.locator("#alerts tr", { hasText: "acme/payments-api" }).locator("a").first().click();
    const phases = await page.locator("table tbody tr td:first-child").allTextContents();
    expect(phases).toEqual(["QUEUED", "STARTED", "COMPLETED", "FINALIZED"]);
    expect(await page.locator("dl.facts").textContent()).toContain(
      "com.acme.pay.RefundTest.refundsPartialCapture",
    );
    expect(await page.locator("details pre").first().isVisible()).toBe(false);
    await page.locator("details summary").first().click();
    expect(await page.locator("details pre").first().textContent()).toContain('"phase": "QUEUED"');
    await shot("alert");
  });

  it("lists job health", async () => {
    await page.goto(`${world.base}/jobs`);
    const failing = page.locator("tbody tr", { hasText: "acme/payments-api" });
    expect(await failing.locator(".badge").first().textContent()).toBe("failing");
    await shot("jobs");
  });

  it("renders a hostile job name as text", async () => {
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const evil = "<img src=x onerror=alert(1)>";
    await page.goto(`${world.base}/alerts`);
    await simulate(webhookUrl, "--job", `evil/${evil}`, "--build", "1");
    const row = page.locator("#alerts tr", { hasText: evil });
    await row.waitFor({ timeout: 5_000 });
    expect(await page.locator("#alerts img").count()).toBe(0);
    await page.goto(`${world.base}/jobs`);
    expect(await page.locator("tbody img").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("refuses a form posted from another site", async () => {
    const port = await freePort();
    const evil: Server = createServer((_, res) => {
      res.setHeader("Content-Type", "text/html");
      res.end(`<form id=f method=post action="${world.base}/sources"><input name=name value=pwned></form>
        <script>document.getElementById("f").submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(port, "127.0.0.1", resolve));
    try {
      const response = page.waitForResponse(
        (r) => r.url() === `${world.base}/sources` && r.request().method() === "POST",
      );
      await page.goto(`http://127.0.0.1:${port}/`);
      expect((await response).status()).toBe(403);
    } finally {
      evil.close();
    }
    await page.goto(`${world.base}/sources`);
    expect(await page.locator("tbody").textContent()).not.toContain("pwned");
  });

  it("revokes a source after confirmation, and its token stops working", async () => {
    await page.goto(`${world.base}/sources`);
    await page
      .locator("tbody tr", { hasText: "Jenkins (browser test)" })
      .locator("a", { hasText: "Revoke" })
      .click();
    await shot("revoke");
    await Promise.all([page.waitForURL(`${world.base}/sources`), page.click("button.danger")]);
    expect(await page.locator("tbody tr", { hasText: "Jenkins (browser test)" }).textContent()).toContain(
      "revoked",
    );
    await shot("sources");
    const printed = await simulate(webhookUrl, "--job", "after/revoke", "--build", "1");
    expect(printed).toContain("QUEUED    → 401");
  });
});

describe("readiness", () => {
  it("is ready on a database migrated by wrangler itself", async () => {
    const res = await fetch(`${world.base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  });
});
