/**
 * Job identity: the payload's `url` (`job.getUrl()`) → the job's Jenkins full name and the bounded key
 * it is stored, matched and shown under. `name` is only the leaf item name and is not unique across
 * folders. One pure function, {@link jobIdentity}; the rules and their Jenkins sources are in
 * docs/jenkins-wire-format.md §5.
 */

import { sha256Hex } from "../platform/sha256";
import { cutText, jsonBytes } from "./bounds";

/** The longest key, in characters (UTF-16 units): what the `job` filters and globs accept. */
export const JOB_KEY_MAX = 4096;
/**
 * A full name of up to this many bytes (UTF-8 in a JSON string, as ./bounds.ts counts) is its own key;
 * a longer one is keyed by its first this-many bytes, "…" and the SHA-256 of the whole name: over this
 * many bytes, so no full name kept whole can equal a hashed key, and at most 4,073 (so within
 * {@link JOB_KEY_MAX} characters). No Jenkins full name reaches it: each item is a directory under
 * `$JENKINS_HOME/jobs/…/jobs/`, and that path fits in PATH_MAX (4,096 bytes).
 */
export const JOB_NAME_KEPT = 4000;

export type JobIdentity =
  | {
      ok: true;
      /** Jenkins' `getFullName()`. */
      fullName: string;
      /** What the job is stored, matched and shown under: bounded, see {@link JOB_NAME_KEPT}. */
      key: string;
    }
  | {
      ok: false;
      /** Why, for the problem+json; never quotes the url. */
      reason: string;
    };

/** What Util.rawEncode writes, plus `/` and `%`: RFC 3986 path characters. */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
/** Segments followed by a name that is not an item: views, and the user owning `my-views`. */
const NAMED_CONTEXT = new Set(["view", "user"]);

/**
 * `job/acme/job/web-shop/job/feature%252Fx/` → `acme/web-shop/feature%2Fx`: each name percent-decoded
 * exactly once, which yields Jenkins item names (multibranch names stay mangled), joined by `/`.
 *
 * - Children of a matrix project or a Maven module set have no `job/` (their parent's
 *   `getUrlChildPrefix()` is `"."`): `job/matrix/jdk=17,label=linux/` → `matrix/jdk=17,label=linux`.
 *   Cores before `AbstractItem.getShortUrl()` dropped the `"."` wrote `job/matrix/./jdk=17/`.
 * - The URL follows the web request that ended the build, so it may go through views (`view/Team/`,
 *   `view/A/view/B/`, `job/repo/view/change-requests/`, `user/alice/my-views/view/all/`, `me/my-views/`):
 *   a view names no job and is left out, so the job keeps one identity.
 * - Refused only when no job can be read from it: characters Jenkins never writes, broken
 *   percent-encoding, an empty segment, no job at all or a view at the end, or a `job/` name holding
 *   an encoded `/` (`job/acme%2Fweb/` would pass for `job/acme/job/web/`).
 */
export function jobIdentity(url: string): JobIdentity {
  // No leading `/` from Jenkins, and always a trailing one; tolerate either way.
  const path = url.slice(url.startsWith("/") ? 1 : 0, url.endsWith("/") ? -1 : undefined);
  if (path === "") return refuse(NO_JOB);
  if (!PATH_CHARACTERS.test(path))
    return refuse("expected URL path characters only, each name percent-encoded as Jenkins writes it");
  const segments = path.split("/");
  const items: string[] = [];
  let endsInView = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (segment === "") return refuse("expected no empty path segment (//)");
    endsInView = false;
    if (segment === "job" || NAMED_CONTEXT.has(segment)) {
      const name = segments[++i];
      if (name === undefined || name === "") return refuse(`expected a name after ${segment}/`);
      if (segment !== "job") {
        endsInView = segment === "view";
        continue;
      }
      const item = decode(name);
      if (item === undefined) return refuse(BROKEN);
      if (item.includes("/"))
        return refuse("expected job/ names without an encoded / (%2F): it would read as a folder");
      items.push(item);
    } else if (segment === "." || items.length === 0) {
      // `.` from older cores; before the first job, a views' owner (`me`, `my-views`, a plugin's).
    } else {
      // A child addressed without `job/`: a matrix configuration or a Maven module. Jenkins' full
      // name joins it as it is, even when an axis value holds a `/`.
      const item = decode(segment);
      if (item === undefined) return refuse(BROKEN);
      items.push(item);
    }
  }
  if (items.length === 0) return refuse(NO_JOB);
  if (endsInView) return refuse("expected the URL to end with a job, not a view");
  const fullName = items.join("/");
  return { ok: true, fullName, key: jobKey(fullName) };
}

const NO_JOB = "expected a job's URL: job/<name>/, after any views";
const BROKEN = "expected each name percent-encoded as UTF-8 (as Util.rawEncode writes it)";

const refuse = (reason: string): JobIdentity => ({ ok: false, reason });

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The full name when it takes at most {@link JOB_NAME_KEPT} bytes; else its head, "…", and its SHA-256. */
function jobKey(fullName: string): string {
  if (fullName.length <= JOB_NAME_KEPT / 6 || jsonBytes(fullName) <= JOB_NAME_KEPT) return fullName;
  const head = cutText(fullName, JOB_NAME_KEPT + 3); // at most JOB_NAME_KEPT bytes, then "…"
  return `${head === fullName ? `${fullName}…` : head}${sha256Hex(fullName)}`;
}

/**
 * A name for people: item names decoded once more, so a multibranch `feature%2Fx` reads `feature/x`.
 * Never used as an identity (`a%2Fb` and a folder `a` holding `b` read the same).
 */
export function jobLabel(fullName: string): string {
  return fullName
    .split("/")
    .map((item) => {
      try {
        return decodeURIComponent(item);
      } catch {
        return item;
      }
    })
    .join("/");
}
