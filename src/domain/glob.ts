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

const escapeRegExp = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, "\\$&");

function segmentSource(segment: string): string {
  return segment
    .split(/(\*+|\?)/)
    .map((part) => {
      if (part === "") return "";
      if (part === "?") return "[^/]";
      if (part.startsWith("*")) return "[^/]*";
      return escapeRegExp(part);
    })
    .join("");
}

/** The regular expression a glob stands for (anchored at both ends). */
function globSource(glob: string): string {
  const segments = glob.split("/");
  let source = "";
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === "**") {
      // Any number of whole segments, each followed by a `/` unless it ends the path.
      source += last ? (index === 0 ? ".*" : "(?:/.*)?") : index === 0 ? "(?:[^/]*/)*" : "(?:/[^/]*)*";
      if (!last && index !== 0) source += "/";
      return;
    }
    const previousWasGlobstar = index > 0 && segments[index - 1] === "**";
    if (index > 0 && !previousWasGlobstar) source += "/";
    source += segmentSource(segment);
  });
  return `^${source}$`;
}

/** A matcher for `glob`; compile once, match many. */
export function globMatcher(glob: string): (path: string) => boolean {
  const pattern = new RegExp(globSource(glob), "u");
  return (path) => pattern.test(path);
}

/** Whether `path` matches `glob`. */
export const matchesGlob = (glob: string, path: string) => globMatcher(glob)(path);

/** Whether `path` matches one of `globs` (false for none). */
export function matchesAny(globs: readonly string[], path: string): boolean {
  return globs.some((glob) => matchesGlob(glob, path));
}
