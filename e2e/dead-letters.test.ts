/**
 * The dead-letter page as an operator uses it, in headless Chromium against `wrangler dev`: a build's
 * delivery the queue gave up on is waiting (written into the local D1 as the dead-letter consumer
 * stores one: wrangler dev offers no way to put a message on a local queue from outside), the header
 * counts it, Replay puts it back on the queue, and its alert appears on the alerts page.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPayload } from "../fixtures/payloads.ts";
import { WRANGLER } from "../scripts/lib/local-state.ts";
import { joinWorld, SCREENSHOTS, signIn, type World } from "./harness.ts";

let world: World;
let context: BrowserContext;
let page: Page;

const JOB = "acme/replayed-api";

beforeAll(async () => {
  world = await joinWorld();
  context = await world.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await world?.stop();
});

/** Runs SQL on the dev server's local D1, as `wrangler d1 execute --local` does. */
function sql(command: string): void {
  execFileSync(
    WRANGLER,
    ["d1", "execute", "DB", "--local", "--persist-to", world.state, "--command", command],
    {
      stdio: "ignore",
      env: { ...process.env, CI: "true" },
    },
  );
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A delivery of JOB #7 as the events queue carries it, kept as a dead letter after 10 attempts. */
async function seedDeadLetter(): Promise<void> {
  const res = await fetch(`${world.base}/api/sources`, {
    method: "POST",
    headers: { Authorization: `Bearer ${world.adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Jenkins (dead letters)" }),
  });
  const source = (await res.json()) as { id: string };
  const message = {
    v: 1,
    source_id: source.id,
    received_at: new Date().toISOString(),
    body: JSON.stringify(buildPayload({ job: JOB, number: 7, phase: "FINALIZED", status: "FAILURE" })),
    format: "json",
    truncated: false,
    reason: "storage-unavailable",
  };
  sql(`INSERT INTO dead_letters (message_id, queue, body, reason, attempts, dead_at)
       VALUES ('e2e-1', 'itoc360-jenkins-events', ${quote(JSON.stringify(message))},
               'not stored after 10 attempts: D1_ERROR: Network connection lost.', 10,
               ${quote(new Date().toISOString())})`);
}

describe("the dead-letter page", () => {
  it("shows the waiting dead letter's count in the header and the letter with why it died", async () => {
    await seedDeadLetter();
    await signIn(page, world);
    expect(await page.locator("#nav-dead-letters").textContent()).toBe("Dead letters 1");
    await page.click("#nav-dead-letters");
    const row = page.locator("#dead-letters tr", { hasText: `${JOB} #7 FAILURE` });
    await expect(row.textContent()).resolves.toContain("not stored after 10 attempts");
    await page.screenshot({ path: path.join(SCREENSHOTS, "dead-letters.png"), fullPage: true });
  });

  it("replays it: the letter is gone and its alert appears", async () => {
    const row = page.locator("#dead-letters tr", { hasText: `${JOB} #7 FAILURE` });
    await Promise.all([page.waitForURL(/\/dead-letters\?done=replayed$/), row.locator("button").click()]);
    expect(await page.locator(".notice").textContent()).toContain("Put back on its queue");
    expect(await page.locator("#dead-letters tr").count()).toBe(0);
    expect(await page.locator("#nav-dead-letters").textContent()).toBe("Dead letters");

    await page.goto(`${world.base}/alerts`);
    const alert = page.locator("#alerts tr", { hasText: JOB });
    await alert.waitFor({ timeout: 10_000 });
    await expect(alert.textContent()).resolves.toContain("#7");
  });
});
