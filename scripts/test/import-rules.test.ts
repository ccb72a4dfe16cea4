/**
 * The import rules of `npm run lint` (.dependency-cruiser.cjs), run as the lint runs them on small trees:
 * a clean one passes, and an upward import, a sibling or receiver import, an import of test code and a
 * cycle each fail with a message that names the two folders and the reason.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const REPO = path.resolve(import.meta.dirname, "../..");

/** The dependency-cruiser command line of `npm run lint`, taken from package.json (written once). */
const LINT_COMMAND = (() => {
  const lint: string = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).scripts.lint;
  const command = lint.split("&&").find((part) => part.trim().startsWith("depcruise "));
  if (!command) throw new Error("npm run lint runs no depcruise");
  return command.trim().split(/\s+/).slice(1);
})();

/** A tree that keeps every rule: each layer imports the one below it, types included, .tsx resolved. */
const CLEAN: Record<string, string> = {
  "src/platform/clock.ts": "export const now = () => 0;\n",
  "src/core/job.ts":
    'import { now } from "../platform/clock";\nexport type Job = { at: number };\nexport const at = now;\n',
  "src/sources/model.ts": 'import type { Job } from "../core/job.ts";\nexport type Source = { job: Job };\n',
  "src/incidents/store.ts":
    'import type { Source } from "../sources/model";\nexport const open = (s: Source) => s;\n',
  "src/notify/format.ts": 'import { open } from "../incidents/store";\nexport const text = open;\n',
  "src/notify/slack/message.ts": 'import { text } from "../format";\nexport const slack = text;\n',
  "src/notify/teams/message.ts": 'import { text } from "../format";\nexport const teams = text;\n',
  "src/dashboard/shell/layout.tsx": "export const Layout = () => null;\n",
  "src/dashboard/incidents/page.tsx":
    'import { Layout } from "../shell/layout";\nexport const Page = Layout;\n',
  "src/routes/incidents.ts": 'import { open } from "../incidents/store";\nexport const route = open;\n',
  "src/index.ts":
    'import "./routes/incidents";\nimport "./dashboard/incidents/page";\nimport "./scheduled";\n',
  "src/scheduled.ts": 'import { slack } from "./notify/slack/message";\nexport const run = slack;\n',
};

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A temporary copy of the repository's lint set-up holding {@link CLEAN} changed by `files`. */
function tree(files: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), "import-rules-"));
  roots.push(root);
  for (const name of [".dependency-cruiser.cjs", "tsconfig.json"]) {
    copyFileSync(path.join(REPO, name), path.join(root, name));
  }
  for (const [file, text] of Object.entries({ ...CLEAN, ...files })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** Runs the lint's dependency-cruiser command in `root`. */
function lint(root: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(REPO, "node_modules/.bin/depcruise"), LINT_COMMAND, { cwd: root });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (status) => resolve({ status, output: output.replace(/\s+/g, " ") }));
  });
}

describe("the import rules", () => {
  it("pass a tree whose imports all point down", async () => {
    const { status, output } = await lint(tree());
    expect(output).toContain("no dependency violations found");
    expect(status).toBe(0);
  });

  const failures: { what: string; files: Record<string, string>; says: string }[] = [
    {
      what: "a feature importing a feature above it",
      files: {
        "src/sources/open.ts": 'import { open } from "../incidents/store";\nexport const x = open;\n',
      },
      says: "src/sources may not import src/incidents: features depend only on features below them",
    },
    {
      what: "a type-only import from above",
      files: { "src/platform/typed.ts": 'import type { Job } from "../core/job";\nexport type T = Job;\n' },
      says: "src/platform may not import src/core: platform code knows no feature",
    },
    {
      what: "a feature importing the API routes",
      files: {
        "src/incidents/view.ts": 'import { route } from "../routes/incidents";\nexport const v = route;\n',
      },
      says: "src/incidents may not import src/routes",
    },
    {
      what: "the dashboard importing the API routes",
      files: {
        "src/dashboard/incidents/view.tsx":
          'import { route } from "../../routes/incidents";\nexport const v = route;\n',
      },
      says: "src/dashboard may not import src/routes: the API routes and the dashboard are two faces",
    },
    {
      what: "a feature importing an entry point",
      files: { "src/notify/run.ts": 'import { run } from "../scheduled";\nexport const r = run;\n' },
      says: "src/notify may not import src/scheduled.ts",
    },
    {
      what: "the dashboard shell importing a page",
      files: {
        "src/dashboard/shell/menu.tsx": 'import { Page } from "../incidents/page";\nexport const M = Page;\n',
      },
      says: "src/dashboard/shell may not import a dashboard feature folder",
    },
    {
      what: "one receiver importing another",
      files: {
        "src/notify/slack/card.ts": 'import { teams } from "../teams/message";\nexport const c = teams;\n',
      },
      says: "may not import another receiver",
    },
    {
      what: "src/ importing test code",
      files: {
        "test/helpers.ts": "export const build = 1;\n",
        "src/core/fake.ts": 'import { build } from "../../test/helpers";\nexport const f = build;\n',
      },
      says: "src/ never imports test/",
    },
    {
      what: "a module outside every layer",
      files: { "src/db/old.ts": 'import { now } from "../platform/clock";\nexport const o = now;\n' },
      says: "a module of src/ outside every layer",
    },
    {
      what: "a rules file reading the clock",
      files: { "src/silences/rules.ts": 'import { now } from "../platform/clock";\nexport const r = now;\n' },
      says: "a rules.ts file holds pure decisions",
    },
    {
      what: "a cycle inside one folder",
      files: {
        "src/core/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
        "src/core/b.ts":
          'import type { Job } from "./job";\nimport { a } from "./a";\nexport const b = (j?: Job) => a ?? j;\n',
      },
      says: "src/ has no circular imports",
    },
  ];
  it.each(failures)("fail on $what", async ({ files, says }) => {
    const { status, output } = await lint(tree(files));
    expect(output).toContain(says);
    expect(output).toContain("docs/architecture.md");
    expect(status).not.toBe(0);
  });

  it("follow the order docs/architecture.md gives, layer by layer", () => {
    // The rules forbid each layer everything above it: the more a folder may not import, the lower it is.
    const { forbidden } = createRequire(import.meta.url)(path.join(REPO, ".dependency-cruiser.cjs"));
    const above = new Map<string, number>();
    for (const { name } of forbidden as { name: string }[]) {
      const [, from, to] = /^layers: (\S+) -> (\S+)$/.exec(name) ?? [];
      if (!from || !to) continue;
      above.set(from, (above.get(from) ?? 0) + 1);
      if (!above.has(to)) above.set(to, 0);
    }
    const order = [...above].sort((a, b) => b[1] - a[1]).map(([folder]) => folder);
    const doc = readFileSync(path.join(REPO, "docs/architecture.md"), "utf8");
    const table = [...doc.matchAll(/^\| \d+ \| ([^|]+) \|/gm)].flatMap(([, cell = ""]) =>
      [...cell.matchAll(/`(src\/[^`]*?)\/?`/g)].map(([, folder]) => folder),
    );
    expect(table).toEqual(order);
  });

  it("pass the repository's own src/", async () => {
    const { status, output } = await lint(REPO);
    expect(output).toContain("no dependency violations found");
    expect(status).toBe(0);
  });
});
