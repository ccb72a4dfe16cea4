/**
 * Usage: npm run simulate [-- options]
 *
 * Sends one Jenkins build's QUEUED, STARTED, COMPLETED and FINALIZED events exactly as the Notification
 * plugin does (same Content-Type and field order, Gson's escaping or XStream's XML, no `status` before
 * COMPLETED, multibranch-style `url` encoding with --branch) and prints each answer. Posts to the source
 * `npm run dev` created, unless --url says otherwise.
 *
 *   --status S   SUCCESS, FAILURE, UNSTABLE, ABORTED or NOT_BUILT (default FAILURE)
 *   --job NAME   the job's full name (default acme/payments-api)
 *   --build N    the build number (default: the job's last build + 1, asked from GET /api/jobs)
 *   --branch B   a multibranch job's branch, e.g. feature/login
 *   --format F   json or xml (default json)
 *   --port N     the port `npm run dev` listens on (default 8787)
 *   --url URL    post to this webhook URL (with its ?token=) instead; the last build is then asked
 *                with the ADMIN_TOKEN environment variable, if set
 *   --delay MS   pause between STARTED and COMPLETED (default 500)
 *
 * Examples:
 *   npm run simulate                         # the next build of acme/payments-api fails
 *   npm run simulate -- --status SUCCESS     # the one after goes green and resolves it
 *   npm run simulate -- --job acme/web-shop --branch feature/login --format xml --status UNSTABLE
 */
import { jobPath, toPluginJson, toPluginXml } from "../fixtures/payloads.ts";
import { intOption, parseCli, usageError } from "./lib/cli.ts";
import {
  buildOutcome,
  DEV_PORT,
  DEV_SOURCE_FILE,
  devAdminToken,
  devSourceToken,
  lastBuild,
} from "./lib/dev-target.ts";

const STATUSES = ["SUCCESS", "FAILURE", "UNSTABLE", "ABORTED", "NOT_BUILT"];

const { values } = parseCli(import.meta.url, {
  options: {
    url: { type: "string" },
    port: { type: "string", default: DEV_PORT },
    job: { type: "string", default: "acme/payments-api" },
    branch: { type: "string" },
    build: { type: "string" },
    status: { type: "string", default: "FAILURE" },
    format: { type: "string", default: "json" },
    delay: { type: "string", default: "500" },
  },
});

const fail = (message: string): never => usageError("simulate", message);
if (!STATUSES.includes(values.status)) fail(`--status must be one of ${STATUSES.join(", ")}`);
if (values.format !== "json" && values.format !== "xml") fail("--format must be json or xml");
const port = intOption("simulate", "port", values.port, 1);
const delay = intOption("simulate", "delay", values.delay);
const build = values.build === undefined ? undefined : intOption("simulate", "build", values.build, 1);
const url = values.url ?? devUrl();
if (!URL.canParse(url)) fail(`--url must be a URL (http://host/webhooks/jenkins?token=…), not "${url}"`);
const origin = new URL(url).origin;
// Jenkins mangles a branch name's "/" into an item name (feature/x → feature%2Fx).
const items = [...values.job.split("/"), ...(values.branch ? [values.branch.replaceAll("/", "%2F")] : [])];
const fullName = items.join("/");
const path = jobPath(fullName);
// The dev server's admin token is in .dev.vars; another server's, if known, in the environment.
const adminToken = values.url === undefined ? devAdminToken() : process.env.ADMIN_TOKEN;
const number = build ?? (await nextBuild());
const root = "https://jenkins.example.com/";
const failedTests = [
  "com.acme.pay.RefundTest.refundsPartialCapture",
  "com.acme.pay.LedgerTest.balancesAfterChargeback",
];

function payload(phase: string, timestamp: number, duration: number, status?: string) {
  const finished = status !== undefined;
  const leaf = items.at(-1) as string;
  return {
    name: leaf,
    display_name: values.branch ?? decodeURIComponent(leaf),
    url: path,
    build: {
      full_url: `${root}${path}${number}/`,
      number,
      queue_id: 100_000 + number,
      timestamp,
      duration,
      phase,
      ...(finished ? { status } : {}),
      url: `${path}${number}/`,
      scm: {
        url: "https://git.example.com/acme/payments.git",
        ...(finished
          ? { branch: values.branch ?? "origin/main", commit: "4f1c2a9e0b7d3c6a5e8f9a0b1c2d3e4f5a6b7c8d" }
          : {}),
        changes: finished ? ["src/refund.ts"] : [],
        culprits: finished ? ["alice"] : [],
      },
      notes: "",
      ...(finished && (status === "FAILURE" || status === "UNSTABLE")
        ? { test_summary: { total: 1412, failed: 2, passed: 1402, skipped: 8, failed_tests: failedTests } }
        : {}),
      artifacts: {},
    },
  };
}

async function send(document: ReturnType<typeof payload>) {
  const xml = values.format === "xml";
  const res = await reach(() =>
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": `application/${xml ? "xml" : "json"};charset=UTF-8` },
      body: xml ? toPluginXml(document) : toPluginJson(document),
    }),
  );
  console.log(`${document.build.phase.padEnd(9)} → ${res.status} ${await res.text()}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
console.log(
  `${fullName} #${number} (${values.status}, ${values.format}) → ${url.replace(/token=[^&]+/, "token=…")}`,
);
const started = Date.now();
await send(payload("QUEUED", started - 2_000, 0));
await send(payload("STARTED", started, 0));
await sleep(delay);
const duration = Date.now() - started;
await send(payload("COMPLETED", started + duration, duration, values.status));
await sleep(Math.min(delay, 200));
await send(payload("FINALIZED", Date.now(), duration, values.status));
const outcome = adminToken ? await buildOutcome(origin, adminToken, fullName, number) : undefined;
if (outcome) console.log(`→ ${outcome}`);

function devUrl(): string {
  const token = devSourceToken();
  if (!token) return stop(`no --url given and no ${DEV_SOURCE_FILE}: start \`npm run dev\` first`);
  return `http://localhost:${port}/webhooks/jenkins?token=${token}`;
}

/** The job's last build + 1 (1 for a new job); from the clock, with a note, when the API cannot say. */
async function nextBuild(): Promise<number> {
  let reason = values.url === undefined ? "no ADMIN_TOKEN in .dev.vars" : "no ADMIN_TOKEN in the environment";
  if (adminToken) {
    try {
      return ((await reach(() => lastBuild(origin, adminToken, fullName))) ?? 0) + 1;
    } catch (error) {
      reason = (error as Error).message;
    }
  }
  const number = Math.floor(Date.now() / 1000) % 100_000;
  console.log(`(${reason}, so the build number comes from the clock; --build N sets it)`);
  return number;
}

/** Runs a request; if nothing listens there, says so in one line instead of `TypeError: fetch failed`. */
async function reach<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof TypeError && error.message === "fetch failed")) throw error;
    const hint = values.url === undefined ? " — is `npm run dev` running? (use --port)" : " — check --url";
    return stop(`no endpoint at ${origin}${hint}`);
  }
}

function stop(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(1);
}
