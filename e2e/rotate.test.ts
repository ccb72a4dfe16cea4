/**
 * Rotating a source's token as a person does it, in headless Chromium against `wrangler dev`: the
 * new URL shown once, the old token still accepted during the grace, and ended at once with none.
 */
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinWorld, SCREENSHOTS, signIn, simulate, type World } from "./harness.ts";

let world: World;
let context: BrowserContext;
let page: Page;
let firstUrl: string;
let secondUrl: string;

const SOURCE = "Jenkins (rotation)";

beforeAll(async () => {
  world = await joinWorld();
  context = await world.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  await signIn(page, world);
});

afterAll(async () => {
  await context?.close();
  await world?.stop();
});

const shot = (name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

const tokenOf = (url: string) => new URL(url).searchParams.get("token") ?? "";

async function openRotate(): Promise<void> {
  await page.goto(`${world.base}/sources`);
  await page.locator("tbody tr", { hasText: SOURCE }).locator("a", { hasText: "Rotate" }).click();
  await page.locator('select[name="grace"]').waitFor();
}

describe("rotating a source's token", () => {
  it("starts from a source whose URL works", async () => {
    await page.goto(`${world.base}/sources`);
    await page.fill('input[name="name"]', SOURCE);
    await page.click('form[action="/sources"] button[type="submit"]');
    firstUrl = (await page.locator("#webhook-url").textContent()) ?? "";
    expect(await simulate(firstUrl, "--job", "rotation/before", "--build", "1")).toContain("FINALIZED → 200");
  });

  it("shows the new URL once, after a confirmation with a 24 h grace by default", async () => {
    await openRotate();
    expect(await page.locator('select[name="grace"]').inputValue()).toBe("24h");
    await shot("rotate");
    await page.click('button[type="submit"]:has-text("Rotate token")');
    secondUrl = (await page.locator("#webhook-url").textContent()) ?? "";
    expect(secondUrl).toMatch(/\/webhooks\/jenkins\?token=itoc_/);
    expect(secondUrl).not.toBe(firstUrl);
    expect(await page.locator("#basic-url").textContent()).toContain(`jenkins:${tokenOf(secondUrl)}@`);
    expect(await page.locator("#old-token").textContent()).toMatch(/keeps working for (23 h 59 min|24 h)/);
    await shot("token-rotated");

    // Never shown again: not on the list, not on the confirmation page.
    await page.goto(`${world.base}/sources`);
    const row = page.locator("tbody tr", { hasText: SOURCE });
    expect(await row.textContent()).toMatch(/old token: (23 h 59 min|24 h) left/);
    await shot("sources-rotated");
    expect(await page.content()).not.toContain(tokenOf(secondUrl));
    await openRotate();
    expect(await page.locator("#previous-tokens").textContent()).toContain("The previous token still works");
    expect(await page.content()).not.toContain(tokenOf(secondUrl));
  });

  it("accepts the old and the new URL during the grace", async () => {
    expect(await simulate(firstUrl, "--job", "rotation/old", "--build", "2")).toContain("FINALIZED → 200");
    expect(await simulate(secondUrl, "--job", "rotation/new", "--build", "3")).toContain("FINALIZED → 200");
  });

  it("ends every old URL at once when rotated with no grace", async () => {
    await openRotate();
    await page.selectOption('select[name="grace"]', "0s");
    await page.click('button[type="submit"]:has-text("Rotate token")');
    expect(await page.locator("#old-token").textContent()).toContain("The old token no longer works");
    const thirdUrl = (await page.locator("#webhook-url").textContent()) ?? "";
    expect(await simulate(firstUrl, "--job", "rotation/leaked", "--build", "4")).toContain("QUEUED    → 401");
    expect(await simulate(secondUrl, "--job", "rotation/leaked", "--build", "5")).toContain(
      "QUEUED    → 401",
    );
    expect(await simulate(thirdUrl, "--job", "rotation/after", "--build", "6")).toContain("FINALIZED → 200");
  });
});
