#!/usr/bin/env node
/**
 * `npm run dev [-- <wrangler dev args>]`: everything a fresh clone needs to receive Jenkins events
 * locally, on local D1/KV under .wrangler/state:
 *   1. writes .dev.vars with a random ADMIN_TOKEN if it has none,
 *   2. applies the D1 migrations locally,
 *   3. starts `wrangler dev` (extra args pass through, e.g. `--port 8899` or `--ip 0.0.0.0`),
 *   4. once it answers, makes sure a source "Jenkins (dev)" exists, and prints the Jenkins settings.
 *
 * The dev source's token is kept in .wrangler/dev-source.json (local state, git-ignored, next to the
 * local KV it belongs to) so the URL stays the same across restarts; the Worker itself only ever
 * stores its hash. Delete .wrangler/ to start over.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const PERSIST_TO = ".wrangler/state";
const DEV_SOURCE_FILE = ".wrangler/dev-source.json";
const DEV_SOURCE_NAME = "Jenkins (dev)";
const wrangler = path.join("node_modules", ".bin", "wrangler");

const adminToken = ensureAdminToken();
execFileSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", PERSIST_TO], {
  stdio: ["ignore", "inherit", "inherit"],
});

const child = spawn(wrangler, ["dev", "--persist-to", PERSIST_TO, ...process.argv.slice(2)], {
  stdio: ["inherit", "pipe", "inherit"],
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

let announced = false;
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  const ready = /Ready on (http:\/\/\S+)/.exec(String(chunk));
  if (ready?.[1] && !announced) {
    announced = true;
    announce(ready[1]).catch((err) => console.error(`\nCould not set up the dev source: ${err.message}`));
  }
});

function ensureAdminToken() {
  const text = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : "";
  const existing = /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?\s*$/m.exec(text)?.[1];
  if (existing) return existing;
  const token = randomBytes(32).toString("base64url");
  const prefix = text && !text.endsWith("\n") ? "\n" : "";
  writeFileSync(".dev.vars", `${text}${prefix}ADMIN_TOKEN=${token}\n`, { mode: 0o600 });
  console.log("Wrote a random ADMIN_TOKEN to .dev.vars");
  return token;
}

async function announce(origin) {
  const base = origin.replace("://0.0.0.0", "://localhost").replace("://[::]", "://localhost");
  await waitForHealth(base);
  const token = await ensureDevSource(base);
  const url = new URL("/webhooks/jenkins", base);
  url.searchParams.set("token", token);
  const basic = new URL("/webhooks/jenkins", base);
  basic.username = "jenkins";
  basic.password = token;
  console.log(`
┌─ ITOC360 Jenkins endpoint is running ───────────────────────────────────────
│ Jenkins → job → Configure → Job Notifications → Add Endpoint:
│   Format: JSON   Protocol: HTTP   Event: All Events   URL Source: Plain text
│   URL:    ${url.href}
│   Timeout: 30000   Retries: 0
│ Or keep the token out of URLs and console logs (Basic auth):
│   URL:    ${basic.href}
│ (Jenkins in Docker: use host.docker.internal instead of localhost and start
│  with \`npm run dev -- --ip 0.0.0.0\`.)
│
│ Dashboard: ${base}/   (sign in with the ADMIN_TOKEN in .dev.vars)
│ API:      ${new URL("/api", base).href}   (Authorization: Bearer <ADMIN_TOKEN in .dev.vars>)
│ Try it:   npm run simulate   (in another terminal: one build's four events)
│ Alerts:   curl -H "Authorization: Bearer $(grep ADMIN_TOKEN .dev.vars | cut -d= -f2)" ${new URL("/api/alerts", base).href}
└─────────────────────────────────────────────────────────────────────────────
`);
}

async function waitForHealth(base) {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(new URL("/healthz", base))).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${base}/healthz did not answer`);
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
