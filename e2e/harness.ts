/**
 * The end-to-end tests' world: `wrangler dev` on a free loopback port with fresh local state (migrated
 * by wrangler, an ADMIN_TOKEN and a DESTINATIONS_KEY of its own), and, for the browser tests, Debian's
 * Chromium driven by playwright-core.
 *
 * One world serves every browser test file: {@link setupSharedWorld} (the browser project's
 * globalSetup) starts it once, and each file joins it with {@link joinWorld}. Starting `wrangler dev`
 * costs far more than any file's tests, so a file starts its own only when it needs an empty database
 * ({@link startDev}), and still shares the browser ({@link joinWorldWithDev}). Files sharing the world
 * keep to their own data: their own source, and job names no other file uses.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { inject } from "vitest";
import type { TestProject } from "vitest/node";
import { freePort, migrateLocalInBackground, WRANGLER, waitForHealth } from "../scripts/lib/local-state.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = path.join("e2e", "screenshots");
/**
 * A name Chromium resolves to 127.0.0.1, for pages that are not a secure context: unlike localhost,
 * plain http to it is what a browser sees on any other machine's address.
 */
export const INSECURE_HOST = "dashboard.test";

/** `wrangler dev` on a free loopback port with fresh local state. */
export interface Dev {
  base: string;
  port: number;
  adminToken: string;
  /** The local state directory (`--persist-to`), for `wrangler d1 execute --local`. */
  state: string;
  stop(): Promise<void>;
}

export interface World extends Dev {
  browser: Browser;
}

/** `wrangler dev` as {@link Dev} describes it; `args` go to `wrangler dev` after the harness's own. */
export async function startDev(args: string[] = []): Promise<Dev> {
  const { ready, ...dev } = await launchDev(args);
  await ready;
  return dev;
}

/**
 * {@link startDev} without waiting: its address and token are known at once, while migrations and
 * `wrangler dev` start in the background; `ready` resolves once it answers /healthz (or rejects with
 * what it printed).
 */
async function launchDev(args: string[], timeoutMs?: number): Promise<Dev & { ready: Promise<void> }> {
  const state = mkdtempSync(path.join(tmpdir(), "itoc360-e2e-"));
  const env = { ...process.env, CI: "true", X_LOCAL_OBSERVABILITY: "false", WRANGLER_SEND_METRICS: "false" };
  const port = await freePort();
  const adminToken = randomBytes(24).toString("base64url");
  // Without one, /api/destinations answers 503 (the format scripts/dev.mjs writes to .dev.vars).
  const destinationsKey = `k1:${randomBytes(32).toString("base64")}`;
  const base = `http://localhost:${port}`;
  let output = "";
  const started = migrateLocalInBackground(state).then(() => {
    const dev: ChildProcess = spawn(
      WRANGLER,
      [
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--persist-to",
        state,
        "--var",
        `ADMIN_TOKEN:${adminToken}`,
        "--var",
        `DESTINATIONS_KEY:${destinationsKey}`,
        ...args,
      ],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    dev.stdout?.on("data", (chunk) => (output += chunk));
    dev.stderr?.on("data", (chunk) => (output += chunk));
    return dev;
  });
  const ready = started.then(() =>
    waitForHealth(base, { timeoutMs, detail: () => `wrangler dev did not come up:\n${output}` }),
  );
  return {
    base,
    port,
    adminToken,
    state,
    ready,
    async stop() {
      const dev = await started.catch(() => undefined);
      if (dev && dev.exitCode === null && dev.signalCode === null) {
        const exited = new Promise((resolve) => dev.once("exit", resolve));
        dev.kill("SIGTERM");
        await exited;
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** The shared world as the globalSetup hands it to the test files (plain values only). */
export interface SharedWorld {
  base: string;
  port: number;
  adminToken: string;
  state: string;
  /** Where the shared Chromium listens for playwright clients. */
  browserEndpoint: string;
}

declare module "vitest" {
  interface ProvidedContext {
    world: SharedWorld;
  }
}

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`,
];

/**
 * The browser project's globalSetup: one `wrangler dev` and one Chromium for every file; stopped when the
 * run ends. It does not wait for `wrangler dev` (half a minute on a busy machine, migrations included):
 * the other projects' tests start meanwhile, and a file waits for it when it joins ({@link joinWorld}).
 */
export async function setupSharedWorld(project: TestProject): Promise<() => Promise<void>> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const [dev, server] = await Promise.all([
    launchDev([], WORLD_START_MS),
    chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
  ]);
  // Said here, with what wrangler printed; the files waiting for it only time out.
  dev.ready.catch((error) => console.error(error));
  const { stop: _stop, ready: _ready, ...values } = dev;
  project.provide("world", { ...values, browserEndpoint: server.wsEndpoint() });
  return async () => {
    await server.close();
    await dev.stop();
  };
}

/** How long the shared `wrangler dev` may take to answer (within the browser project's hookTimeout). */
const WORLD_START_MS = 110_000;

/** The shared world, with this file's own connection to the shared browser; `stop()` only disconnects. */
export async function joinWorld(): Promise<World> {
  const { browserEndpoint, ...dev } = inject("world");
  const [browser] = await Promise.all([
    chromium.connect(browserEndpoint),
    waitForHealth(dev.base, { timeoutMs: WORLD_START_MS }),
  ]);
  return { ...dev, browser, stop: () => browser.close() };
}

/**
 * A `wrangler dev` of this file's own (an empty database, `args` after the harness's own), seen through
 * the shared browser.
 */
export async function joinWorldWithDev(args: string[] = []): Promise<World> {
  const [dev, browser] = await Promise.all([
    startDev(args),
    chromium.connect(inject("world").browserEndpoint),
  ]);
  return {
    ...dev,
    browser,
    async stop() {
      await browser.close();
      await dev.stop();
    },
  };
}

/** Signs in (with a display name, if given); lands on the home page. */
export async function signIn(page: Page, world: World, name?: string): Promise<void> {
  await page.goto(`${world.base}/login`);
  await page.fill('input[name="token"]', world.adminToken);
  if (name) await page.fill('input[name="name"]', name);
  await Promise.all([page.waitForURL(`${world.base}/`), page.click('button[type="submit"]')]);
}

/** Runs the simulator (the real script) against `url`; resolves with what it printed. */
export function simulate(url: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/simulate.ts", "--url", url, "--delay", "50", ...args]);
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(out))));
  });
}
