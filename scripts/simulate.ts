/**
 * `npm run simulate -- [--url <webhook URL>] [--job folder/name] [--branch feature/x] [--build N]
 *   [--status SUCCESS|FAILURE|UNSTABLE|ABORTED|NOT_BUILT] [--format json|xml] [--delay ms]`
 *
 * Sends one build's four lifecycle events exactly as the Notification plugin does: QUEUED and STARTED
 * back to back, then COMPLETED and FINALIZED; same Content-Type, same field order, Gson's HTML-safe
 * escaping or XStream's XML, no `status` before COMPLETED, per-phase timestamps, and multibranch-style
 * `url` encoding when --branch is given. Prints each response. Without --url it posts to the source
 * `npm run dev` created (http://localhost:8787 unless --port says otherwise).
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { jobPath, toPluginJson, toPluginXml } from "../test/payloads.ts";

const STATUSES = ["SUCCESS", "FAILURE", "UNSTABLE", "ABORTED", "NOT_BUILT"];

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    port: { type: "string", default: "8787" },
    job: { type: "string", default: "acme/payments-api" },
    branch: { type: "string" },
    build: { type: "string" },
    status: { type: "string", default: "FAILURE" },
    format: { type: "string", default: "json" },
    delay: { type: "string", default: "500" },
  },
});

if (!STATUSES.includes(values.status)) fail(`--status must be one of ${STATUSES.join(", ")}`);
if (values.format !== "json" && values.format !== "xml") fail("--format must be json or xml");
const url = values.url ?? devUrl();
const delay = Number(values.delay);
// Jenkins mangles a branch name's "/" into an item name (feature/x → feature%2Fx).
const items = [...values.job.split("/"), ...(values.branch ? [values.branch.replaceAll("/", "%2F")] : [])];
const fullName = items.join("/");
const path = jobPath(fullName);
const number = Number(values.build ?? Math.floor(Date.now() / 1000) % 100_000);
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
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": `application/${xml ? "xml" : "json"};charset=UTF-8` },
    body: xml ? toPluginXml(document) : toPluginJson(document),
  });
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

function devUrl(): string {
  const file = ".wrangler/dev-source.json";
  if (!existsSync(file)) fail("no --url given and no .wrangler/dev-source.json: start `npm run dev` first");
  const { token } = JSON.parse(readFileSync(file, "utf8")) as { token: string };
  return `http://localhost:${values.port}/webhooks/jenkins?token=${token}`;
}

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(2);
}
