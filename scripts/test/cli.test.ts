/**
 * The scripts' command lines as a newcomer meets them: `--help` prints usage, a wrong option is one line
 * (no stack trace), and the simulator says what is missing when there is no dev server to post to.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../lib/local-state.ts";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node scripts/<script> …args` (what its npm script runs after the preflight) in `cwd`. */
function run(script: string, args: string[], cwd = process.cwd()): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve("scripts", script), ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe.each([
  ["simulate.ts", "simulate"],
  ["soak.ts", "soak"],
  ["bench.ts", "bench"],
  ["deploy-check.ts", "deploy:check"],
  ["receiver.ts", "receiver"],
  ["screenshot.ts", "screenshot"],
])("scripts/%s", (script, name) => {
  it("prints its usage for --help and -h", async () => {
    for (const flag of ["--help", "-h"]) {
      const { status, stdout, stderr } = await run(script, [flag]);
      expect(status).toBe(0);
      expect(stderr).toBe("");
      expect(stdout).toContain(`npm run ${name}`);
      expect(stdout).not.toMatch(/^\s*\*/m); // the header comment without its stars
    }
  });

  it("answers an unknown option in one line, pointing to --help", async () => {
    const { status, stdout, stderr } = await run(script, ["--no-such-option"]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `${name}: unknown option --no-such-option (\`npm run ${name} -- --help\` lists the options)\n`,
    );
  });
});

describe("npm run simulate", () => {
  let cwd: string;

  beforeAll(() => {
    cwd = mkdtempSync(path.join(tmpdir(), "simulate-"));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("says what is wrong with a value", async () => {
    const cases: [string[], string][] = [
      [["--status", "BROKEN"], "--status must be one of SUCCESS, FAILURE, UNSTABLE, ABORTED, NOT_BUILT"],
      [["--build", "0"], '--build must be a whole number ≥ 1, not "0"'],
      [["--port"], "--port needs a value"],
      [["130"], 'unexpected argument "130"'],
    ];
    for (const [args, message] of cases) {
      const { status, stderr } = await run("simulate.ts", args, cwd);
      expect(status).toBe(2);
      expect(stderr).toBe(`simulate: ${message} (\`npm run simulate -- --help\` lists the options)\n`);
    }
  });

  it("asks for `npm run dev` before there is a dev source", async () => {
    const { status, stderr } = await run("simulate.ts", [], cwd);
    expect(status).toBe(1);
    expect(stderr).toBe(
      "simulate: no --url given and no .wrangler/dev-source.json: start `npm run dev` first\n",
    );
  });

  it("says so in one line when no dev server is listening", async () => {
    mkdirSync(path.join(cwd, ".wrangler"), { recursive: true });
    writeFileSync(path.join(cwd, ".wrangler", "dev-source.json"), '{"id":"s","token":"itoc_x"}\n');
    writeFileSync(path.join(cwd, ".dev.vars"), "ADMIN_TOKEN=local\n");
    const port = await freePort();
    const { status, stdout, stderr } = await run("simulate.ts", ["--port", String(port)], cwd);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `simulate: no endpoint at http://localhost:${port} — is \`npm run dev\` running? (use --port)\n`,
    );
  });
});
