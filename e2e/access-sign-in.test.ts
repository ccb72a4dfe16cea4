/**
 * Signing in through Cloudflare Access, in headless Chromium: `wrangler dev` behind the simulated Access
 * that `npm run dev -- --as alice@example.com` uses (scripts/lib/dev-access.ts), with alice as the first
 * admin (ADMINS). Through its proxy the dashboard opens with no sign-in form, and an incident acknowledged
 * there is recorded as the verified person, not a typed label. The Worker's own address, without the
 * proxy, still asks for the admin token.
 */
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatedAccess, startSimulatedAccess } from "../scripts/lib/dev-access.ts";
import { joinWorldWithDev, SCREENSHOTS, type World } from "./harness.ts";
import { createSource, deliver } from "./seed.ts";

const ALICE = "alice@example.com";
/** A few seconds' promise, with room for a shared 2-core machine. */
const LIVE_MS = 10_000;

let access: SimulatedAccess;
let world: World;
let proxy: string;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  access = await startSimulatedAccess(ALICE);
  // As `npm run dev` starts it: loopback key URLs need ALLOW_PRIVATE_DESTINATIONS.
  world = await joinWorldWithDev([
    ...access.wranglerArgs,
    ...["--var", "ALLOW_PRIVATE_DESTINATIONS:true", "--var", `ADMINS:${ALICE}`],
  ]);
  proxy = await access.proxy(world.base);
  context = await world.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await world?.stop();
  await access?.close();
});

const row = (job: string) => page.locator("#incidents tr", { hasText: job });

describe("the dashboard behind Cloudflare Access", () => {
  it("opens signed in as the person, and records their acknowledgement under their verified email", async () => {
    const source = await createSource(world, "Jenkins (access)");
    await page.goto(`${proxy}/`);
    expect(new URL(page.url()).pathname).toBe("/"); // no detour through /login
    for (const phase of ["COMPLETED", "FINALIZED"])
      await deliver(world, source.token, { job: "acme/sso", number: 3, phase, status: "FAILURE" });
    await row("acme/sso").waitFor({ timeout: LIVE_MS });
    const acknowledge = row("acme/sso").getByRole("button", { name: "Acknowledge acme/sso" });
    await acknowledge.click();
    await acknowledge.waitFor({ state: "detached" });
    expect(await row("acme/sso").locator("td", { hasText: "acknowledged" }).textContent()).toBe(
      `acknowledgedby ${ALICE}`,
    );

    await row("acme/sso").locator(`a[href^="/incidents/"]`, { hasText: "acme/sso" }).click();
    await page.locator("#timeline").waitFor();
    const steps = await page.locator("#timeline tr").allTextContents();
    expect(steps[1]).toContain(`Acknowledged by ${ALICE}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, "access-sign-in.png"), fullPage: true });
  });

  it("leaves the Worker's own address to the admin token", async () => {
    await page.goto(`${world.base}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
  });
});
