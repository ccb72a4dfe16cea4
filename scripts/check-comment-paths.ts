/**
 * `npm run lint` runs this: every file path that a comment (in src/, test/, scripts/, e2e/, fixtures/,
 * bench/ and the root's config files) or a Markdown page (the root's, docs/ and each folder's README.md)
 * names must exist, or the comment has rotted. Prints `file:line: dead path "…"` for each one and exits 1;
 * silent and 0 when every path resolves. `node scripts/check-comment-paths.ts [root]` checks another tree.
 *
 * Better than a path, a comment names a symbol (`{@link applySilences}`): it survives a move.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import {
  commentsOf,
  generatedFolders,
  type Reference,
  referencesIn,
  resolves,
  sectionResolves,
  sectionsIn,
} from "./lib/comment-paths.ts";

/** Folders whose code comments are checked (each walked whole). */
const CODE_FOLDERS = ["src", "test", "scripts", "e2e", "fixtures", "bench"];
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIPPED = new Set(["node_modules", ".wrangler", ".git", "dist"]);

/** A path that does not resolve, where it is named. */
export interface DeadPath extends Reference {
  file: string;
  why: "no such file or folder" | "no such heading";
}

/** Every file under `dir` (relative to `root`), node_modules and build output left out. */
function walk(root: string, dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path.join(root, dir));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (SKIPPED.has(name)) return [];
    const relative = path.join(dir, name);
    return statSync(path.join(root, relative)).isDirectory() ? walk(root, relative) : [relative];
  });
}

/** The files checked in a tree: code in {@link CODE_FOLDERS} and at the root, and the Markdown pages. */
export function checkedFiles(root: string): string[] {
  const atRoot = readdirSync(root).filter((name) => statSync(path.join(root, name)).isFile());
  const code = [...atRoot, ...CODE_FOLDERS.flatMap((dir) => walk(root, dir))].filter(
    (file) => CODE.test(file) && !file.endsWith(".d.ts"),
  );
  const markdown = [
    ...atRoot.filter((name) => name.endsWith(".md")),
    ...walk(root, "docs").filter((file) => file.endsWith(".md")),
    ...[...CODE_FOLDERS, "migrations"]
      .flatMap((dir) => walk(root, dir))
      .filter((file) => file.endsWith("README.md")),
  ];
  return [...code, ...markdown].sort();
}

/** The texts of one file that are checked, each with its first line: all of Markdown, comments of code. */
function textsOf(root: string, file: string): { line: number; text: string }[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return file.endsWith(".md") ? [{ line: 1, text }] : commentsOf(text, file);
}

/** The dead paths, and the named sections that are no heading, of the tree at `root`, in file order. */
export function checkCommentPaths(root = "."): DeadPath[] {
  const generated = generatedFolders(root);
  return checkedFiles(root).flatMap((file) =>
    textsOf(root, file).flatMap(({ line, text }) => {
      const at = (found: Reference) => ({ file, ...found, line: line + found.line - 1 });
      const dead = referencesIn(text)
        .filter((found) => !resolves(found.path, file, root, generated))
        .map((found) => ({ ...at(found), why: "no such file or folder" as const }));
      const sections = sectionsIn(text)
        .filter((found) => !sectionResolves(found, file, root))
        .map(({ anchor, ...found }) => ({
          ...at(found),
          path: `${found.path}#${anchor}`,
          why: "no such heading" as const,
        }));
      return [...dead, ...sections];
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dead = checkCommentPaths(process.argv[2] ?? ".");
  for (const { file, line, path: named, why } of dead) {
    console.error(
      `${file}:${line}: dead path "${named}": ${why}. Point at the file or heading where it went, ` +
        "or better name the symbol ({@link name}), which survives a move.",
    );
  }
  process.exitCode = dead.length > 0 ? 1 : 0;
}
