/**
 * Usage: npm run screenshot [-- options]
 *
 * Redoes the README's picture of the Insights page (docs/insights.png): starts `wrangler dev` as
 * `npm run dev` does (migrations applied to a local D1, then `wrangler dev`), but on a free loopback port
 * and a throwaway state directory, so your own `npm run dev` data is neither used nor touched. It creates
 * a source, sends a month of six jobs' builds through the real webhook (scripts/lib/insights-seed.ts:
 * seeded: the same month every run, counted back from today), moves their times back over the month with
 * `wrangler d1 execute` (the Worker records "now"), signs in with the ADMIN_TOKEN and photographs
 * /insights in Debian's Chromium (headless, via playwright-core), 1200 px wide.
 *
 *   --out FILE   where the PNG goes (default docs/insights.png)
 *   --days N     how many days of history (default 30, the page's default window)
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildPayload, JSON_TYPE, toPluginJson } from "../fixtures/payloads.ts";
import { intOption, parseCli } from "./lib/cli.ts";
import { backdateSql, seedPlan } from "./lib/insights-seed.ts";
import { freePort, migrateLocal, WRANGLER, waitForHealth } from "./lib/local-state.ts";

const { values } = parseCli(import.meta.url, {
  options: {
    out: { type: "string", default: path.join("docs", "insights.png") },
    days: { type: "string", default: "30" },
  },
});
const days = intOption("screenshot", "days", values.days, 1);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };

const state = mkdtempSync(path.join(tmpdir(), "itoc360-screenshot-"));
const port = await freePort();
const base = `http://localhost:${port}`;
const adminToken = randomBytes(32).toString("base64url");
migrateLocal(state);
const dev = spawn(
  WRANGLER,
  ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state].concat([
    "--var",
    `ADMIN_TOKEN:${adminToken}`,
  ]),
  { env, stdio: ["ignore", "pipe", "pipe"] },
);
let output = "";
for (const stream of [dev.stdout, dev.stderr]) stream.on("data", (chunk) => (output += chunk));
try {
  await waitForHealth(base, { timeoutMs: 120_000, detail: () => `wrangler dev did not come up:\n${output}` });
  await seed();
  await photograph();
  console.log(`Wrote ${values.out}`);
} finally {
  const exited = new Promise((resolve) => dev.once("exit", resolve));
  dev.kill("SIGTERM");
  await exited;
  rmSync(state, { recursive: true, force: true });
}

async function api(pathname: string, init: RequestInit = {}) {
  const headers = { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" };
  const res = await fetch(new URL(pathname, base), { ...init, headers });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${pathname} answered ${res.status}`);
  return res.json();
}

/** The plan's builds through the webhook (COMPLETED then FINALIZED, as Jenkins sends them), then its times. */
async function seed() {
  const source = await api("/api/sources", {
    method: "POST",
    body: JSON.stringify({ name: "Jenkins (ci.acme.example)" }),
  });
  const plan = seedPlan(Date.now(), days);
  for (const build of plan.builds) {
    for (const phase of ["COMPLETED", "FINALIZED"]) {
      const spec = { job: build.job, number: build.number, phase, status: build.status };
      const res = await fetch(`${base}/webhooks/jenkins?token=${source.token}`, {
        method: "POST",
        headers: { "Content-Type": JSON_TYPE },
        body: toPluginJson(buildPayload({ ...spec, extra: { duration: 240_000 + build.number * 997 } })),
      });
      if (!res.ok) throw new Error(`${build.job} #${build.number} ${phase} answered ${res.status}`);
    }
  }
  const file = path.join(state, "backdate.sql");
  writeFileSync(file, backdateSql(source.id, plan));
  execFileSync(WRANGLER, ["d1", "execute", "DB", "--local", "--persist-to", state, "--file", file], {
    env,
    stdio: "ignore",
  });
}

/**
 * Signs in as the login form asks, then photographs /insights in the light scheme, from the top to the
 * end of its last chart: the rankings below are plain tables, and the whole page would pass the
 * README's 200 KB budget for a picture.
 */
async function photograph() {
  // Loaded here, not at the top: playwright-core takes seconds to import, and `--help` should answer at once.
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: "light" });
    await page.goto(`${base}/login`);
    await page.fill('input[name="token"]', adminToken);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type="submit"]')]);
    await page.goto(`${base}/insights`);
    const last = await page.locator("figure.chart").last().boundingBox();
    if (!last) throw new Error("the Insights page drew no chart");
    const height = Math.ceil(last.y + last.height + 16);
    await page.screenshot({ path: values.out, fullPage: true, clip: { x: 0, y: 0, width: 1200, height } });
  } finally {
    await browser.close();
  }
}
