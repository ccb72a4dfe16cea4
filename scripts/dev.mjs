#!/usr/bin/env node
/**
 * `npm run dev [-- <wrangler dev args>]`: everything a fresh clone needs to receive Jenkins events
 * locally, on local D1/KV under .wrangler/state:
 *   1. writes .dev.vars with a random ADMIN_TOKEN and a random DESTINATIONS_KEY if it has none,
 *   2. applies the D1 migrations locally,
 *   3. starts `wrangler dev` (extra args pass through, e.g. `--port 8899` or `--ip 0.0.0.0`), with
 *      ALLOW_PRIVATE_DESTINATIONS=true so notifications can reach `npm run receiver` on this machine,
 *   4. once it answers, makes sure a source "Jenkins (dev)" exists, and prints the Jenkins settings
 *      (scripts/lib/dev-banner.ts). It keeps running, with wrangler dev, until Ctrl-C,
 *   5. and runs the cron trigger every minute (wrangler dev fires no cron by itself: `--test-scheduled`
 *      exposes /__scheduled, which this asks), so stale alerts, heartbeats (missed builds, silent
 *      sources) and retention happen in dev too.
 *
 * With `--as <email>` (taken out before the rest goes to wrangler dev), a simulated Cloudflare Access
 * stands in front of the Worker (scripts/lib/dev-access.ts): open the URL it prints, and every request
 * arrives signed as that person. Local development only: refused in CI, with NODE_ENV=production, or
 * with `--remote` or `--env`.
 *
 * The dev source's token is kept in .wrangler/dev-source.json (local state, git-ignored, next to the
 * local KV it belongs to) so the URL stays the same across restarts; the Worker itself only ever
 * stores its hash. Delete .wrangler/ to start over.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { refusalOutsideLocalDev, startSimulatedAccess, takeAsOption } from "./lib/dev-access.ts";
import { devBanner, localBase } from "./lib/dev-banner.ts";
import { DEV_SOURCE_FILE } from "./lib/dev-target.ts";
import { migrateLocal, WRANGLER, waitForHealth } from "./lib/local-state.ts";

const PERSIST_TO = ".wrangler/state";
const DEV_SOURCE_NAME = "Jenkins (dev)";

const { as, rest: wranglerArgs } = parseArgs(process.argv.slice(2));
const refusal = as && refusalOutsideLocalDev(process.env, wranglerArgs);
if (refusal) {
  console.error(refusal);
  process.exit(2);
}
const access = as ? await startSimulatedAccess(as) : null;

const adminToken = ensureAdminToken();
ensureDestinationsKey();
migrateLocal(PERSIST_TO, { show: true });

// Local only: lets destinations point at http://localhost (npm run receiver); never set in production.
const devVars = ["--var", "ALLOW_PRIVATE_DESTINATIONS:true"];
const child = spawn(
  WRANGLER,
  [
    "dev",
    "--test-scheduled",
    "--persist-to",
    PERSIST_TO,
    ...devVars,
    ...(access?.wranglerArgs ?? []),
    ...wranglerArgs,
  ],
  {
    stdio: ["inherit", "pipe", "inherit"],
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", async (code, signal) => {
  await access?.close();
  process.exit(code ?? (signal ? 1 : 0));
});

let announced = false;
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  const ready = /Ready on (http:\/\/\S+)/.exec(String(chunk));
  if (ready?.[1] && !announced) {
    announced = true;
    announce(ready[1]).catch((err) => console.error(`\nCould not set up the dev source: ${err.message}`));
  }
});

/**
 * The ADMIN_TOKEN in .dev.vars, or a new random one. One the Worker would refuse (under 32 characters,
 * or the .dev.vars.example placeholder copied as it is) is replaced, since dev would answer 503.
 */
function ensureAdminToken() {
  const example = devVar("ADMIN_TOKEN", readFileSync(".dev.vars.example", "utf8"));
  return ensureDevVar(
    "ADMIN_TOKEN",
    (value) => value.length >= 32 && value !== example,
    () => randomBytes(32).toString("base64url"),
  );
}

/**
 * The DESTINATIONS_KEY in .dev.vars, or a new random key `k1:<base64 of 32 bytes>`: one the Worker would
 * refuse (the example placeholder, a malformed entry) is replaced, since destinations would answer 503.
 */
function ensureDestinationsKey() {
  const usable = (value) =>
    value.split(",").every((entry) => {
      const [, material] = /^[A-Za-z0-9_-]{1,32}:([A-Za-z0-9+/]+={0,2})$/.exec(entry.trim()) ?? [];
      return material !== undefined && Buffer.from(material, "base64").length === 32;
    });
  return ensureDevVar("DESTINATIONS_KEY", usable, () => `k1:${randomBytes(32).toString("base64")}`);
}

function devVar(name, text) {
  return new RegExp(`^${name}\\s*=\\s*"?([^"\\n]*)"?\\s*$`, "m").exec(text)?.[1];
}

/** `name` from .dev.vars when `usable` accepts it; else `make()`'s value, written there (and said so). */
function ensureDevVar(name, usable, make) {
  const text = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : "";
  const existing = devVar(name, text);
  if (existing && usable(existing)) return existing;
  const value = make();
  const rest = text.replace(new RegExp(`^${name}\\s*=.*$\\n?`, "m"), "").replace(/\n*$/, "");
  writeFileSync(".dev.vars", `${rest ? `${rest}\n` : ""}${name}=${value}\n`, { mode: 0o600 });
  console.log(
    existing
      ? `Replaced a weak ${name} in .dev.vars with a random one`
      : `Wrote a random ${name} to .dev.vars`,
  );
  return value;
}

async function announce(origin) {
  const base = localBase(origin);
  await waitForHealth(base);
  runCronEveryMinute(base);
  console.log(devBanner(origin, await ensureDevSource(base)));
  if (access) {
    const url = await access.proxy(base);
    console.log(`Signed in as ${as} through a simulated Cloudflare Access: open ${url}/\n`);
  }
}

/** `--as <email>` and the wrangler dev arguments; a bad `--as` ends here with its usage. */
function parseArgs(args) {
  try {
    return takeAsOption(args);
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
}

/**
 * The production crons (wrangler.toml): the 5-minute work (stale alerts, heartbeats, silences,
 * retention) and the every-minute one (the notification outbox sweep and escalations). In dev both
 * run every minute, not to wait as long.
 */
const CRON_EVERY_MS = 60_000;
const CRONS = ["*/5+*+*+*+*", "*+*+*+*+*"];

function runCronEveryMinute(base) {
  const urls = CRONS.map((cron) => new URL(`/__scheduled?cron=${cron}`, base));
  let failing = false;
  const timer = setInterval(async () => {
    try {
      for (const url of urls) {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`/__scheduled answered ${res.status}`);
      }
      failing = false;
    } catch (err) {
      // Once per outage, not every minute.
      if (!failing) console.error(`\nThe cron trigger did not run: ${err.message}`);
      failing = true;
    }
  }, CRON_EVERY_MS);
  // wrangler dev's exit ends this process; the timer never holds it open.
  timer.unref();
}

/** The dev source's token: the saved one while its source is still enabled, else a new source. */
async function ensureDevSource(base) {
  const headers = { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" };
  if (existsSync(DEV_SOURCE_FILE)) {
    const saved = JSON.parse(readFileSync(DEV_SOURCE_FILE, "utf8"));
    const res = await fetch(new URL("/api/sources", base), { headers });
    if (!res.ok) throw new Error(`GET /api/sources answered ${res.status}`);
    const { sources } = await res.json();
    if (sources.some((s) => s.id === saved.id && !s.disabled)) return saved.token;
  }
  const res = await fetch(new URL("/api/sources", base), {
    method: "POST",
    headers,
    body: JSON.stringify({ name: DEV_SOURCE_NAME }),
  });
  if (res.status !== 201) throw new Error(`POST /api/sources answered ${res.status}`);
  const { id, token } = await res.json();
  mkdirSync(path.dirname(DEV_SOURCE_FILE), { recursive: true });
  writeFileSync(DEV_SOURCE_FILE, `${JSON.stringify({ id, token })}\n`, { mode: 0o600 });
  return token;
}
