/**
 * The README's "Try it without Jenkins" tour, for real: each `$ npm run simulate …` line of its console
 * block runs against a fresh `wrangler dev`, from a folder holding what `npm run dev` leaves behind
 * (.dev.vars and .wrangler/dev-source.json), and must print exactly the lines the README shows under it
 * (with the test server's port for 8787). Then the API confirms the green build resolved the red one.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_SOURCE_FILE } from "../scripts/lib/dev-target.ts";
import { type Dev, startDev } from "./harness.ts";

const SIMULATE = path.resolve("scripts", "simulate.ts");

let dev: Dev;
let cwd: string;

beforeAll(async () => {
  dev = await startDev();
  cwd = mkdtempSync(path.join(tmpdir(), "itoc360-tour-"));
  // What `npm run dev` writes: the admin token in .dev.vars, the "Jenkins (dev)" source's token.
  const res = await fetch(`${dev.base}/api/sources`, {
    method: "POST",
    headers: { Authorization: `Bearer ${dev.adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Jenkins (dev)" }),
  });
  const { id, token } = (await res.json()) as { id: string; token: string };
  writeFileSync(path.join(cwd, ".dev.vars"), `ADMIN_TOKEN=${dev.adminToken}\n`);
  mkdirSync(path.join(cwd, ".wrangler"));
  writeFileSync(path.join(cwd, DEV_SOURCE_FILE), JSON.stringify({ id, token }));
});

afterAll(async () => {
  await dev?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

interface Step {
  command: string;
  args: string[];
  expected: string[];
}

/** The `$ npm run simulate …` commands of the README's first console block, with the lines shown after each. */
function readmeTour(): Step[] {
  const readme = readFileSync("README.md", "utf8");
  const block = /```console\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  const steps: Step[] = [];
  for (const line of block.trimEnd().split("\n")) {
    if (line.startsWith("$ ")) {
      const command = line.slice(2);
      const words = command.split(/\s+/);
      expect(words.slice(0, 3), command).toEqual(["npm", "run", "simulate"]);
      steps.push({ command, args: words.slice(words[3] === "--" ? 4 : 3), expected: [] });
    } else {
      steps.at(-1)?.expected.push(line);
    }
  }
  return steps;
}

function simulate(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SIMULATE, ...args, "--port", String(dev.port)], { cwd });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(out))));
  });
}

describe("the README tour", () => {
  it("prints what the README shows, and the green build resolves the red one", async () => {
    const steps = readmeTour();
    expect(steps.map((step) => step.command)).toEqual([
      "npm run simulate",
      "npm run simulate -- --status SUCCESS",
    ]);
    for (const step of steps) {
      const printed = await simulate(step.args);
      const expected = step.expected.map((line) =>
        line.replaceAll("localhost:8787", `localhost:${dev.port}`),
      );
      expect(printed.trimEnd().split("\n"), step.command).toEqual(expected);
    }

    const res = await fetch(`${dev.base}/api/alerts?job=acme/payments-api`, {
      headers: { Authorization: `Bearer ${dev.adminToken}` },
    });
    const { alerts } = (await res.json()) as { alerts: Record<string, unknown>[] };
    expect(alerts.find((alert) => alert.build_number === 1)).toMatchObject({
      status: "FAILURE",
      state: "resolved",
      resolved_by_build: 2,
    });
  });
});
