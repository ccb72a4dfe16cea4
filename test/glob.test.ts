import { describe, expect, it } from "vitest";
import { matchesAny, matchesGlob } from "../src/domain/glob";

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
  ])("%s against %s is %s", (glob, path, expected) => {
    expect(matchesGlob(glob, path)).toBe(expected);
  });

  it("matches any of a list, and none of an empty one", () => {
    expect(matchesAny(["main", "release/*"], "release/2")).toBe(true);
    expect(matchesAny([], "main")).toBe(false);
  });
});

describe("globs on hostile input", () => {
  it("match in time proportional to glob × path, never by backtracking", () => {
    const started = Date.now();
    const stars = `${"*a".repeat(200)}*b`;
    expect(matchesGlob(stars, "a".repeat(4096))).toBe(false);
    expect(matchesGlob(`${"**/".repeat(100)}x`, `${"a/".repeat(2000)}b`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("keep `?` to one character, astral ones included, and `**` to whole segments", () => {
    expect(matchesGlob("a?c", "a𝄞c")).toBe(true);
    expect(matchesGlob("**/**", "a")).toBe(true);
    expect(matchesGlob("a**b", "axxb")).toBe(true);
    expect(matchesGlob("a**b", "ax/xb")).toBe(false);
    expect(matchesGlob("*", "")).toBe(true);
    expect(matchesGlob("acme/**", "acme/")).toBe(true);
  });
});
