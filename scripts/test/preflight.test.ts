/**
 * scripts/preflight.mjs, run as npm runs it: a Node.js outside package.json's engines stops it with one
 * line and a non-zero exit; this Node passes silently. Other versions are faked by redefining
 * `process.version` before importing the script, so the script itself has no test hook.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const PREFLIGHT = path.resolve("scripts/preflight.mjs");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  name: string;
  engines: { node: string };
  scripts: Record<string, string>;
};

function preflight(version?: string, script = PREFLIGHT) {
  const args =
    version === undefined
      ? [script]
      : [
          "--input-type=module",
          "--eval",
          `Object.defineProperty(process, "version", { value: ${JSON.stringify(version)} });
           await import(${JSON.stringify(pathToFileURL(script).href)});`,
        ];
  const { status, stdout, stderr } = spawnSync(process.execPath, args, { encoding: "utf8" });
  return { status, stdout, stderr };
}

describe("scripts/preflight.mjs", () => {
  it("passes this Node.js silently", () => {
    expect(preflight()).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("stops an old Node.js with one line: the version found, the range needed, how to get it", () => {
    const { status, stdout, stderr } = preflight("v20.20.2");
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `${pkg.name} needs Node.js ${pkg.engines.node}, but this is v20.20.2: ` +
        "run `nvm install` (it reads .nvmrc) or install one from https://nodejs.org, then `npm ci`.\n",
    );
  });

  // Node runs the .ts scripts by type stripping, on by default from 22.18 (22.17 stops at the first .ts
  // with ERR_UNKNOWN_FILE_EXTENSION); Vitest 5 supports ^22.12 || ^24 || >=26, which leaves 23 and 25 out.
  it.each([
    ["v18.20.8", false],
    ["v22.17.1", false],
    ["v22.18.0", true],
    ["v22.23.3", true],
    ["v23.11.1", false],
    ["v24.0.0", true],
    ["v25.9.0", false],
    ["v26.0.0", true],
    ["v27.1.0-nightly2027", true],
  ])("%s is %s", (version, supported) => {
    expect(preflight(version).status).toBe(supported ? 0 : 1);
  });

  it("refuses a range form it cannot read rather than guessing", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "preflight-"));
    try {
      cpSync(PREFLIGHT, path.join(dir, "scripts", "preflight.mjs"));
      writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "x", engines: { node: "~22.18" } }),
      );
      const { status, stderr } = preflight(undefined, path.join(dir, "scripts", "preflight.mjs"));
      expect(status).not.toBe(0);
      expect(stderr).toContain('preflight: cannot read "~22.18" in engines.node "~22.18"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs first in every npm script", () => {
    for (const [name, command] of Object.entries(pkg.scripts)) {
      // predeploy is `npm run db:migrate:remote`, itself preflighted.
      const preflighted =
        command.startsWith("node scripts/preflight.mjs && ") || /^npm run [\w:]+$/.test(command);
      expect(preflighted, `${name}: ${command}`).toBe(true);
    }
  });
});
