/**
 * The comment path check of `npm run lint` (scripts/check-comment-paths.ts): which words of a comment or a
 * Markdown page are paths, that only comments count in code, and that a tree with a path that went away
 * fails with `file:line` while a clean tree passes.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkCommentPaths } from "../check-comment-paths.ts";
import { commentsOf, referencesIn } from "../lib/comment-paths.ts";

const REPO = path.resolve(import.meta.dirname, "../..");
const CHECK = path.join(REPO, "scripts/check-comment-paths.ts");

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A temporary tree holding `files`. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "comment-paths-"));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe("paths in a comment", () => {
  it.each([
    ["see src/core/job.ts", "src/core/job.ts"],
    ["(docs/architecture.md#layers)", "docs/architecture.md"],
    ["src/index.ts:42 mounts it", "src/index.ts"],
    ["the README.md tour", "README.md"],
    ["see ../db/x.ts.", "../db/x.ts"],
    ["migrations/0005 added it", "migrations/0005"],
    ["[guide](incidents.md)", "incidents.md"],
  ])("finds the path in %j", (text, named) => {
    expect(referencesIn(text).map((found) => found.path)).toEqual([named]);
  });

  it.each([
    "https://github.com/honojs/hono/blob/main/src/middleware/body-limit/index.ts",
    'import("hono/request-id")',
    "@cloudflare/vitest-plugin",
    "every test/**/*.test.ts file",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a comment that shows a template
    "src/${feature}/store.ts",
    "test/<feature>/… mirrors it",
    "node_modules/hono/dist/src/index.js",
    "m/path=src/main",
    "a queue/consumer split",
  ])("finds none in %j", (text) => {
    expect(referencesIn(text)).toEqual([]);
  });

  it("gives each path the line it is on", () => {
    expect(referencesIn("one\ntwo src/a.ts\nthree docs/b.md")).toEqual([
      { line: 2, path: "src/a.ts" },
      { line: 3, path: "docs/b.md" },
    ]);
  });
});

describe("the comments of a source", () => {
  it("are the line and block comments, not strings, templates, regular expressions or JSX text", () => {
    const source = [
      'const url = "https://example.com/src/gone.ts"; // src/line.ts',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text holding a template literal
      "const t = `// src/template.ts ${1 /* src/inside.ts */}`;",
      "const r = /\\/\\/ src\\/regex.ts/;",
      "/** src/block.ts",
      " * on two lines */",
      "const page = <p>http://x // src/jsx-text.ts {/* src/jsx.ts */}</p>;",
    ].join("\n");
    expect(
      commentsOf(source, "x.tsx").flatMap((comment) => referencesIn(comment.text).map((r) => r.path)),
    ).toEqual(["src/line.ts", "src/inside.ts", "src/block.ts", "src/jsx.ts"]);
    expect(commentsOf(source, "x.tsx").map((comment) => comment.line)).toEqual([1, 2, 4, 6]);
  });

  it("reads a script that starts with #!", () => {
    expect(commentsOf("#!/usr/bin/env node\n// src/a.ts\n", "x.mjs")).toEqual([
      { line: 2, text: "// src/a.ts" },
    ]);
  });
});

describe("the check of a tree", () => {
  const clean = {
    "src/core/job.ts":
      "/** Named by docs/guide.md and test/core/ (src/core/job.ts:3). */\nexport const job = 1;\n",
    "test/core/job.test.ts": "// Tests {@link job} in ../../src/core/job.ts and README.md#quick-start.\n",
    "docs/guide.md": "See [the job](../src/core/job.ts), `src/core/job.ts` and bench/results/latest.json.\n",
    "README.md": "# Quick start\n\nStart at docs/guide.md; `npm test` runs test/**/*.test.ts.\n",
    ".gitignore": "node_modules/\nbench/results/\n",
  };

  it("passes when every path resolves (generated folders named in .gitignore included)", () => {
    expect(checkCommentPaths(tree(clean))).toEqual([]);
  });

  it("fails on a dead path in a comment or a page, with its file and line", () => {
    const root = tree({
      ...clean,
      "src/core/job.ts": "export const job = 1;\n\n/**\n * Stored by src/db/jobs.ts (moved).\n */\n",
      "test/core/job.test.ts":
        'const text = "src/db/in-a-string.ts";\n// see ../../src/dashboard/layout.ts\n',
      "docs/guide.md": "# Guide\n\nThe [store](../src/db/jobs.ts).\n",
    });
    expect(checkCommentPaths(root)).toEqual([
      { file: "docs/guide.md", line: 3, path: "../src/db/jobs.ts", why: "no such file or folder" },
      { file: "src/core/job.ts", line: 4, path: "src/db/jobs.ts", why: "no such file or folder" },
      {
        file: "test/core/job.test.ts",
        line: 2,
        path: "../../src/dashboard/layout.ts",
        why: "no such file or folder",
      },
    ]);
    const run = spawnSync(process.execPath, [CHECK, root], { encoding: "utf8" });
    expect(run.stderr).toContain('src/core/job.ts:4: dead path "src/db/jobs.ts"');
    expect(run.status).toBe(1);
  });

  it("fails on a section that is no heading of its page, by anchor or by title", () => {
    const root = tree({
      ...clean,
      "docs/guide.md": "# Guide\n\n## Key rotation\n\n```sh\n# not a heading\n```\n",
      "src/core/job.ts":
        '/** docs/guide.md "Key rotation" holds; docs/guide.md "Keys" does not. */\nexport const job = 1;\n',
      "README.md":
        "# Quick start\n\n[rotation](docs/guide.md#key-rotation), [gone](docs/guide.md#not-a-heading)\n",
    });
    expect(checkCommentPaths(root)).toEqual([
      { file: "README.md", line: 3, path: "docs/guide.md#not-a-heading", why: "no such heading" },
      { file: "src/core/job.ts", line: 1, path: "docs/guide.md#keys", why: "no such heading" },
    ]);
  });

  it("passes the repository (what npm run lint runs)", () => {
    const lint: string = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).scripts.lint;
    expect(lint).toContain("node scripts/check-comment-paths.ts");
    expect(checkCommentPaths(REPO)).toEqual([]);
  });
});
