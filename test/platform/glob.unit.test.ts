/**
 * Globs (src/platform/glob.ts): what `*`, `**` and `?` match, the bounds a glob is held to, and matching
 * that reads the path a bounded number of times whatever the glob (no backtracking), checked against a
 * plain reference (a table over glob × path positions) on generated globs and paths.
 */
import { describe, expect, it } from "vitest";
import {
  globProblem,
  MAX_GLOB_LENGTH,
  MAX_GLOB_SEGMENTS,
  MAX_GLOB_WILDCARDS,
  matchesAny,
  matchesGlob,
} from "../../src/platform/glob";

describe("globs", () => {
  it.each([
    ["main", "main", true],
    ["main", "mainline", false],
    ["release/*", "release/1.2", true],
    ["release/*", "release/1.2/hotfix", false],
    ["PR-*", "PR-42", true],
    ["acme/**", "acme", true],
    ["acme/**", "acme/web-shop/feature/login", true],
    ["acme/**", "acmex/web", false],
    ["**/main", "main", true],
    ["**/main", "acme/web/main", true],
    ["acme/**/main", "acme/main", true],
    ["acme/**/main", "acme/web/shop/main", true],
    ["acme/**/main", "acme/web/shop/develop", false],
    ["**", "anything/at/all", true],
    ["acme/*/main", "acme/web/main", true],
    ["acme/*/main", "acme/web/shop/main", false],
    ["a?c", "abc", true],
    ["a?c", "a/c", false],
    ["v1.2", "v1x2", false],
    ["Acme/**", "acme/web", false],
    ["*-nightly", "etl-nightly", true],
    ["*-nightly", "etl-nightly-2", false],
    ["*a*b*", "xxaxxbxx", true],
    ["*a*b*", "xxbxxaxx", false],
    ["feature-???", "feature-12", false],
    ["feature-???", "feature-123", true],
    ["matrix/jdk=*,label=linux", "matrix/jdk=17,label=linux", true],
  ])("%s against %s is %s", (glob, path, expected) => {
    expect(matchesGlob(glob, path)).toBe(expected);
  });

  it("matches any of a list, and none of an empty one", () => {
    expect(matchesAny(["main", "release/*"], "release/2")).toBe(true);
    expect(matchesAny([], "main")).toBe(false);
  });

  it("keeps `?` to one character, astral ones included, and `**` to whole segments", () => {
    expect(matchesGlob("a?c", "a𝄞c")).toBe(true);
    expect(matchesGlob("*?", "𝄞")).toBe(true);
    expect(matchesGlob("??", "𝄞")).toBe(false);
    expect(matchesGlob("*a?", "xa𝄞")).toBe(true);
    expect(matchesGlob("**/**", "a")).toBe(true);
    expect(matchesGlob("a**b", "axxb")).toBe(true);
    expect(matchesGlob("a**b", "ax/xb")).toBe(false);
    expect(matchesGlob("*", "")).toBe(true);
    expect(matchesGlob("acme/**", "acme/")).toBe(true);
  });
});

describe("the bounds on a glob", () => {
  it("takes a glob at every bound", () => {
    expect(globProblem("x".repeat(MAX_GLOB_LENGTH))).toBeUndefined();
    expect(globProblem("*?".repeat(MAX_GLOB_WILDCARDS / 2))).toBeUndefined();
    expect(globProblem(Array(MAX_GLOB_SEGMENTS).fill("a").join("/"))).toBeUndefined();
    expect(globProblem("acme/**/deploy-*")).toBeUndefined();
  });

  it.each([
    ["x".repeat(MAX_GLOB_LENGTH + 1), `at most ${MAX_GLOB_LENGTH} characters`],
    [`${"*?".repeat(MAX_GLOB_WILDCARDS / 2)}*`, `at most ${MAX_GLOB_WILDCARDS} wildcards (*, ** or ?)`],
    [
      Array(MAX_GLOB_SEGMENTS + 1)
        .fill("a")
        .join("/"),
      `at most ${MAX_GLOB_SEGMENTS} segments`,
    ],
    ["**/release/**", "at most 1 ** segment"],
  ])("refuses %s: %s", (glob, problem) => {
    expect(globProblem(glob)).toBe(problem);
  });
});

/** A table of which prefixes of `pattern` match which prefixes of `text`, `wild` matching any run. */
function table<T>(pattern: T[], text: T[], wild: T, one: (token: T, item: T) => boolean): boolean {
  const rows = Array.from({ length: pattern.length + 1 }, () => Array<boolean>(text.length + 1).fill(false));
  const at = (i: number, j: number) => rows[i]?.[j] === true;
  (rows[0] as boolean[])[0] = true;
  for (let i = 1; i <= pattern.length; i++) {
    const token = pattern[i - 1] as T;
    for (let j = 0; j <= text.length; j++) {
      (rows[i] as boolean[])[j] =
        token === wild
          ? at(i - 1, j) || (j > 0 && at(i, j - 1))
          : j > 0 && at(i - 1, j - 1) && one(token, text[j - 1] as T);
    }
  }
  return at(pattern.length, text.length);
}

/** The plain definition, glob × path tables over segments and within them (slow, obviously right). */
const reference = (glob: string, path: string) =>
  table(glob.split("/"), path.split("/"), "**", (segment, part) =>
    table([...segment], [...part], "*", (token, char) => token === "?" || token === char),
  );

describe("globs against the reference", () => {
  // A fixed sequence (xorshift), so a failure names a case that can be run again.
  let seed = 0x9e3779b9;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const pick = (items: string[], length: number) =>
    Array.from({ length }, () => items[Math.floor(next() * items.length)]).join("");

  it("agrees on 5,000 generated globs and paths, `*`, `?`, `**` and astral characters included", () => {
    const disagreements: [string, string][] = [];
    for (let n = 0; n < 5_000; n++) {
      const glob = pick(["a", "b", "/", "*", "?", "𝄞", "**", "**/", "/**", "ab"], 1 + Math.floor(next() * 8));
      const path = pick(["a", "b", "/", "𝄞", "ab", ""], Math.floor(next() * 12));
      if (matchesGlob(glob, path) !== reference(glob, path)) disagreements.push([glob, path]);
    }
    expect(disagreements).toEqual([]);
  });

  it("agrees on long runs of `?` (more than one 32-character word of state)", () => {
    const disagreements: [string, string][] = [];
    for (let n = 0; n < 500; n++) {
      const glob = pick(["?", "?", "?", "*", "a", "𝄞"], 30 + Math.floor(next() * 50));
      const path = pick(["a", "a", "𝄞"], Math.floor(next() * 100));
      if (matchesGlob(glob, path) !== reference(glob, path)) disagreements.push([glob, path]);
    }
    expect(disagreements).toEqual([]);
  });
});

describe("globs on hostile input", () => {
  it("answer without backtracking on globs that make a regular expression take seconds", () => {
    // V8 took 17 s for `*a*a*a*a*b` against 200 `a`s as a RegExp; 15 ms a glob at the old bounds here.
    expect(matchesGlob(`${"*a".repeat(200)}*b`, "a".repeat(4096))).toBe(false);
    expect(matchesGlob(`*${"a".repeat(250)}b*`, "a".repeat(4096))).toBe(false);
    expect(matchesGlob(`${"**/".repeat(100)}x`, `${"a/".repeat(2000)}b`)).toBe(false);
    expect(matchesGlob(`*${"a?".repeat(60)}b*`, "a".repeat(4096))).toBe(false);
  });
});
