/**
 * Globs over `/`-separated paths (job paths as displayed, branch names), as policies, silences and
 * notification routes write them (README "Globs"):
 * - `*` matches any run of characters within one segment (never a `/`), empty included;
 * - `**` as a whole segment matches any number of segments, none included (`acme/**` matches `acme`,
 *   `acme/web` and `acme/web/main`);
 * - `?` matches one character other than `/`;
 * - everything else matches itself, case-sensitively (Jenkins item names are case-sensitive).
 */

/** The longest glob accepted, in characters (a job path is at most 4,096). */
export const MAX_GLOB_LENGTH = 512;

/**
 * One glob segment (code points, no `/`) against one path segment: greedy, returning only to the last
 * `*` seen, so at most (pattern × text) steps. A regular expression would backtrack: `*a*a*a*a*b`
 * against 200 `a`s took V8 17 s, and the cron trigger and ingest match every glob of every policy
 * and silence.
 */
function segmentMatches(pattern: readonly string[], text: readonly string[]): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const token = pattern[p];
    if (token === "*") {
      star = p++;
      resume = t;
    } else if (token !== undefined && (token === "?" || token === text[t])) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** A matcher for `glob`; compile once, match many. */
export function globMatcher(glob: string): (path: string) => boolean {
  const segments = glob.split("/").map((segment) => (segment === "**" ? null : [...segment]));
  return (path) => {
    const parts = path.split("/").map((part) => [...part]);
    // matched[j]: the glob's segments so far match the path's first j segments.
    let matched = parts.map(() => false).concat(false);
    matched[0] = true;
    for (const segment of segments) {
      const next = matched.map(() => false);
      let reached = false;
      for (let j = 0; j <= parts.length; j++) {
        if (segment === null) {
          // `**`: any number of whole segments, none included.
          reached ||= matched[j] === true;
          next[j] = reached;
        } else if (j > 0 && matched[j - 1]) {
          next[j] = segmentMatches(segment, parts[j - 1] ?? []);
        }
      }
      matched = next;
    }
    return matched[parts.length] === true;
  };
}

/** Whether `path` matches `glob`. */
export const matchesGlob = (glob: string, path: string) => globMatcher(glob)(path);

/** Whether `path` matches one of `globs` (false for none). */
export function matchesAny(globs: readonly string[], path: string): boolean {
  return globs.some((glob) => matchesGlob(glob, path));
}
