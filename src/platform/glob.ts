/**
 * Globs over `/`-separated paths (job paths as displayed, branch names), as policies, silences and
 * notification routes write them (docs/incidents.md "Globs"):
 * - `*` matches any run of characters within one segment (never a `/`), empty included;
 * - `**` as a whole segment matches any number of segments, none included (`acme/**` matches `acme`,
 *   `acme/web` and `acme/web/main`);
 * - `?` matches one character other than `/`;
 * - everything else matches itself, case-sensitively (Jenkins item names are case-sensitive).
 *
 * Matching takes time linear in the path, whatever the glob: no regular expression (V8's backtracks:
 * `*a*a*a*a*b` against 200 `a`s took 17 s) and no glob × path table. Between two `*`, a run of
 * characters has a fixed length, so the leftmost place it fits is the right one to keep (nothing a later
 * place allows is lost), and likewise for the segments between two `**`: each is looked for once, from
 * where the last one ended ({@link segmentMatcher}, {@link globMatcher}). Runs without `?` are found
 * with `indexOf`; runs with `?` by a bit-parallel scan ({@link findWild}), one pass over the text.
 * Measured at the bounds below in docs/performance.md ("Globs").
 */
import * as v from "valibot";
import { findWild, matchWild, matchWildBack, type Wild, wild } from "./glob-wild";

/** The longest glob accepted, in characters. */
export const MAX_GLOB_LENGTH = 256;
/** The most wildcards (`*`, `?`, `**`, each counted) in one glob. */
export const MAX_GLOB_WILDCARDS = 8;
/** The most `/`-separated segments in one glob. */
export const MAX_GLOB_SEGMENTS = 16;
/**
 * The most `**` in one glob. With one, the segments before it match the path's first segments and
 * those after it its last ones: each path segment is read at most once per glob. Between two `**`,
 * segments would have to be looked for at every depth of the path.
 */
export const MAX_GLOB_DOUBLE_STARS = 1;

/** Why `glob` is refused (over a bound above), or undefined when it is not. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `at most ${MAX_GLOB_LENGTH} characters`;
  return shapeProblem(glob);
}

function shapeProblem(glob: string): string | undefined {
  const wildcards = glob.match(/\*\*|[*?]/g)?.length ?? 0;
  if (wildcards > MAX_GLOB_WILDCARDS) return `at most ${MAX_GLOB_WILDCARDS} wildcards (*, ** or ?)`;
  const segments = glob.split("/");
  if (segments.length > MAX_GLOB_SEGMENTS) return `at most ${MAX_GLOB_SEGMENTS} segments`;
  if (segments.filter((segment) => segment === "**").length > MAX_GLOB_DOUBLE_STARS) {
    return `at most ${MAX_GLOB_DOUBLE_STARS} ** segment`;
  }
  return undefined;
}

/**
 * The bounds on wildcards and segments as a valibot action, for every schema that takes a glob (after
 * its `maxLength(MAX_GLOB_LENGTH)`, which the OpenAPI document shows); names the bound, never the glob.
 */
export const GlobBoundsSchema = v.check<string, (issue: v.CheckIssue<string>) => string>(
  (glob) => shapeProblem(glob) === undefined,
  (issue) => shapeProblem(issue.input) ?? "not a glob",
);

/** Between two `*`: a plain string, or one with `?` in it. */
type Run = string | Wild;

const fitsAt = (run: Run, text: string, at: number) =>
  typeof run === "string" ? (text.startsWith(run, at) ? at + run.length : -1) : matchWild(run, text, at);

const fitsBefore = (run: Run, text: string, end: number, from: number) => {
  if (typeof run !== "string") return matchWildBack(run, text, end, from);
  const start = end - run.length;
  return start >= from && text.startsWith(run, start) ? start : -1;
};

/** Where the leftmost `run` at or after `from` ends, or -1. */
function findRun(run: Run, text: string, from: number): number {
  if (typeof run !== "string") return findWild(run, text, from);
  const at = text.indexOf(run, from);
  return at === -1 ? -1 : at + run.length;
}

/** One glob segment (no `/`, not `**`) as a test of one path segment. */
function segmentMatcher(segment: string): (text: string) => boolean {
  if (!/[*?]/.test(segment)) return (text) => text === segment;
  if (/^\*+$/.test(segment)) return () => true;
  const runs: Run[] = segment.split("*").map((run) => (run.includes("?") ? wild(run) : run));
  const first = runs[0] ?? "";
  if (runs.length === 1) return (text) => fitsAt(first, text, 0) === text.length;
  const last = runs[runs.length - 1] ?? "";
  const middle = runs.slice(1, -1).filter((run) => run !== "");
  return (text) => {
    let at = fitsAt(first, text, 0);
    for (let i = 0; i < middle.length && at !== -1; i++) at = findRun(middle[i] as Run, text, at);
    return at !== -1 && fitsBefore(last, text, text.length, at) !== -1;
  };
}

type Segment = (text: string) => boolean;

/** The segments between two `**`, compiled. */
interface Group {
  segments: Segment[];
  /** Bits of the plain segments, by their text; of the `*` ones (any part); the others are tested. */
  plain: Map<string, number>;
  any: number;
  wild: [Segment, number][];
}

function group(segments: string[]): Group {
  const plain = new Map<string, number>();
  const wild: [Segment, number][] = [];
  let any = 0;
  segments.forEach((segment, k) => {
    if (/^\*+$/.test(segment)) any |= 1 << k;
    else if (/[*?]/.test(segment)) wild.push([segmentMatcher(segment), 1 << k]);
    else plain.set(segment, (plain.get(segment) ?? 0) | (1 << k));
  });
  return { segments: segments.map(segmentMatcher), plain, any, wild };
}

/** Whether the group matches the path's segments from `at` on. */
function groupAt({ segments }: Group, parts: readonly string[], at: number): boolean {
  for (let i = 0; i < segments.length; i++)
    if (!(segments[i] as Segment)(parts[at + i] as string)) return false;
  return true;
}

/**
 * Where the leftmost match of the group at or after part `from` (and before `end`) ends, or -1: one
 * pass over the parts, bit k of `state` saying "the group's first k + 1 segments end here" (at most
 * MAX_GLOB_SEGMENTS bits), each part looked up once among the plain segments and tested once by each
 * wildcard one.
 */
function findGroup(g: Group, parts: readonly string[], from: number, end: number): number {
  const top = 1 << (g.segments.length - 1);
  let state = 0;
  for (let j = from; j < end; j++) {
    const part = parts[j] as string;
    const next = (state << 1) | 1;
    let mask = (g.plain.get(part) ?? 0) | g.any;
    // A segment is tested only where the ones before it match: each part at most once per segment.
    for (const [test, bit] of g.wild) if (next & bit && test(part)) mask |= bit;
    state = next & mask;
    if (state & top) return j + 1;
  }
  return -1;
}

// The last path split, kept: a delivery matches one path against many globs. A string, no I/O.
let lastPath = "";
let lastParts: readonly string[] = [""];

function partsOf(path: string): readonly string[] {
  if (path !== lastPath) {
    lastParts = path.split("/");
    lastPath = path;
  }
  return lastParts;
}

/** A matcher for `glob`; compile once, match many. */
export function globMatcher(glob: string): (path: string) => boolean {
  if (!/[*?]/.test(glob)) return (path) => path === glob;
  // The segments between `**`s: the first group starts the path, the last ends it, the others lie between.
  const split = glob.split("/").reduce<string[][]>(
    (all, segment) => {
      if (segment === "**") all.push([]);
      else all[all.length - 1]?.push(segment);
      return all;
    },
    [[]],
  );
  const groups = split.map(group);
  const head = groups[0] as Group;
  const tail = groups[groups.length - 1] as Group;
  const between = groups.slice(1, -1).filter((g) => g.segments.length > 0);
  const single = groups.length === 1;
  return (path) => {
    const parts = partsOf(path);
    if (single) return parts.length === head.segments.length && groupAt(head, parts, 0);
    const end = parts.length - tail.segments.length;
    if (end < head.segments.length || !groupAt(head, parts, 0) || !groupAt(tail, parts, end)) return false;
    let at = head.segments.length;
    for (const g of between) {
      at = findGroup(g, parts, at, end);
      if (at === -1) return false;
    }
    return true;
  };
}

// Compiled globs, kept per isolate (plain values): the cron matches every open incident against every
// active silence, routing every incident event against every destination. Cleared when full, so
// distinct globs cannot grow it without bound.
const compiled = new Map<string, (path: string) => boolean>();

/** Whether `path` matches `glob` (compiled once per isolate). */
export function matchesGlob(glob: string, path: string): boolean {
  let matcher = compiled.get(glob);
  if (!matcher) {
    if (compiled.size >= 1000) compiled.clear();
    matcher = globMatcher(glob);
    compiled.set(glob, matcher);
  }
  return matcher(path);
}

/** Whether `path` matches one of `globs` (false for none). */
export function matchesAny(globs: readonly string[], path: string): boolean {
  return globs.some((glob) => matchesGlob(glob, path));
}
