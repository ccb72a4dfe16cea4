/**
 * Finding the file paths that comments and Markdown name, and whether they still resolve: the rules of
 * scripts/check-comment-paths.ts. A path is a reference when it starts at a folder of the repository
 * (`src/…`, `docs/…`), with `./` or `../`, or is a Markdown file's name (`README.md`), optionally followed
 * by `#anchor` or `:line`; URLs, package paths (`hono/request-id`) and globs (`test/**`) are not.
 *
 * Comments of TypeScript and JavaScript are found exactly: swc parses the file, and every `//` or `/*`
 * outside its string, template, regular expression and JSX text literals starts a comment (the TypeScript 7
 * compiler has no in-process API to ask instead).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseSync } from "@swc/core";

/** The folders of the repository whose paths comments name. */
export const ROOTS = ["src", "test", "scripts", "docs", "migrations", "e2e", "fixtures", "bench"];

/** A path named at a line of a file. */
export interface Reference {
  line: number;
  path: string;
}

/** AST node types whose text may hold `//` or `/*` without being a comment. */
const LITERALS = new Set(["StringLiteral", "TemplateElement", "RegExpLiteral", "JSXText"]);
/** Put before the source so that the first statement's span gives the offset swc counts from. */
const PREFIX = "0;\n";

/** Byte ranges [start, end) of the literals in a swc AST, offsets counted from `base`. */
function literalRanges(node: unknown, base: number, out: [number, number][] = []): [number, number][] {
  if (Array.isArray(node)) for (const item of node) literalRanges(item, base, out);
  else if (node !== null && typeof node === "object") {
    const { type, span } = node as { type?: string; span?: { start: number; end: number } };
    if (type && span && LITERALS.has(type)) out.push([span.start - base, span.end - base]);
    for (const value of Object.values(node)) if (typeof value === "object") literalRanges(value, base, out);
  }
  return out;
}

/** The comments of a TypeScript or JavaScript source, each as text with the line it starts on. */
export function commentsOf(source: string, fileName: string): { line: number; text: string }[] {
  // A `#!` line is only allowed first: blank it (same length) to parse after the prefix.
  const text = PREFIX + source.replace(/^#!.*/, (shebang) => " ".repeat(shebang.length));
  const bytes = Buffer.from(text);
  const ast = parseSync(text, {
    syntax: "typescript",
    tsx: /\.[jt]sx$/.test(fileName),
    comments: false,
  });
  const base = ast.body[0]?.span.start ?? 0;
  const literals = literalRanges(ast.body, base).sort((a, b) => a[0] - b[0]);
  const comments: { line: number; text: string }[] = [];
  let next = 0;
  for (let at = PREFIX.length; at < bytes.length; at++) {
    while (next < literals.length && (literals[next]?.[1] ?? 0) <= at) next++;
    const literal = literals[next];
    if (literal && literal[0] <= at) {
      at = literal[1] - 1;
      continue;
    }
    if (bytes[at] !== 0x2f || (bytes[at + 1] !== 0x2f && bytes[at + 1] !== 0x2a)) continue;
    const close = bytes[at + 1] === 0x2f ? bytes.indexOf("\n", at) : bytes.indexOf("*/", at + 2);
    const end = close === -1 ? bytes.length : close;
    const line = bytes.subarray(PREFIX.length, at).toString().split("\n").length;
    comments.push({ line, text: bytes.subarray(at, end).toString() });
    at = end;
  }
  return comments;
}

/**
 * A path-like word: relative (`./`, `../`), rooted at a folder of the repository, or a Markdown file's
 * name; not when it continues a URL, a package name or another path (the character before it), nor when
 * a glob or a placeholder follows (`test/**`, `src/${x}`, `test/<feature>/`).
 */
const REFERENCE = new RegExp(
  String.raw`(?<![\w./@:=~\\-])((?:\.\.?/)+[\w@.-][\w@./-]*|(?:${ROOTS.join("|")})/[\w@./-]*|[\w.-]+\.md)(?![\w@./-]*[*{}$<])`,
  "g",
);

/** The paths named in a text (a comment, or a Markdown file), each with its line (the text's first is 1). */
export function referencesIn(text: string): Reference[] {
  return text.split("\n").flatMap((line, index) =>
    [...line.matchAll(REFERENCE)].flatMap((match) => {
      const named = (match[1] ?? "").replace(/\.+$/, "");
      return named.includes("/") || named.endsWith(".md") ? [{ line: index + 1, path: named }] : [];
    }),
  );
}

/** Folders that .gitignore names plainly (`bench/results/`): what is made there is not in the tree. */
export function generatedFolders(root: string): string[] {
  const ignore = existsSync(path.join(root, ".gitignore"))
    ? readFileSync(path.join(root, ".gitignore"), "utf8")
    : "";
  return ignore.split("\n").filter((line) => /^[\w.-]+(\/[\w.-]+)*\/$/.test(line));
}

/** Whether `name` is in `folder`, or is a prefix of a name there up to `_` (`migrations/0005`). */
function existsIn(folder: string, name: string): boolean {
  if (["", ".ts", ".tsx"].some((extension) => existsSync(path.join(folder, name + extension)))) return true;
  const { dir, base } = path.parse(path.join(folder, name));
  return (
    /^\d+$/.test(base) && existsSync(dir) && readdirSync(dir).some((entry) => entry.startsWith(`${base}_`))
  );
}

/**
 * Whether a path named in `file` (relative to the repository `root`) exists: a relative one from the
 * file's folder; a rooted one from the root (or the file's folder), or under a {@link generatedFolders};
 * a bare Markdown name from the file's folder, the root or docs/. A path without an extension may name a
 * module (`src/index` for index.ts), a number the migration it starts (`migrations/0005`).
 */
export function resolves(named: string, file: string, root: string, generated: string[] = []): boolean {
  if (generated.some((folder) => `${named}/`.startsWith(folder))) return true;
  return basesFor(named, file, root).some((base) => existsIn(base, named));
}

/** Where a path named in `file` is looked for, in order (see {@link resolves}). */
function basesFor(named: string, file: string, root: string): string[] {
  const folder = path.dirname(path.join(root, file));
  if (named.startsWith(".")) return [folder];
  return named.includes("/") ? [root, folder] : [folder, root, path.join(root, "docs")];
}

/** A section of a Markdown file named in a text: `<guide>.md#anchor`, or `<guide>.md "Heading"`. */
export interface SectionReference extends Reference {
  anchor: string;
}

/**
 * GitHub's anchor for a heading: lower case, every character but letters, digits, spaces, `_` and `-`
 * dropped, each space a hyphen.
 */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a Markdown text's headings (outside code fences), a repeated one numbered as GitHub does. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1] ?? "");
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

const SECTION = /(?<![\w./@:=~\\-])((?:\.\.?\/)*[\w@./-]*\.md)(?:#([\w-]+)|,? ["“]([^"”]+)["”])/g;

/** The sections of Markdown files named in a text: `<file>.md#anchor` and `<file>.md "Heading"`. */
export function sectionsIn(text: string): SectionReference[] {
  return text.split("\n").flatMap((line, index) =>
    [...line.matchAll(SECTION)].map((match) => ({
      line: index + 1,
      path: match[1] ?? "",
      anchor: match[2] ?? slug(match[3] ?? ""),
    })),
  );
}

/** Whether the section `reference` names (from `file`) is a heading of its Markdown file. */
export function sectionResolves(reference: SectionReference, file: string, root: string): boolean {
  const base = basesFor(reference.path, file, root).find((dir) => existsSync(path.join(dir, reference.path)));
  if (base === undefined) return true; // a dead path is reported as such
  return anchorsOf(readFileSync(path.join(base, reference.path), "utf8")).has(reference.anchor);
}
