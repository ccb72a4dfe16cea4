/**
 * Where a form may send the browser afterwards (sign-in's `next`, an incident action's `back`): only
 * a plain path on this site.
 */
const SAME_SITE = "https://same-site.invalid";

/**
 * `path` when it is a plain path on this site, else `fallback`. It must start with one `/` and come
 * back unchanged from a URL parser: parsers drop tabs and newlines (`/\t/evil.example` →
 * `//evil.example`) and read `\` as `/`, so anything they would rewrite is refused rather than trusted.
 */
export function safePath(path: unknown, fallback = "/"): string {
  if (typeof path !== "string" || !/^\/(?![/\\])/.test(path)) return fallback;
  try {
    const url = new URL(path, SAME_SITE);
    return url.origin === SAME_SITE && url.href === SAME_SITE + path ? path : fallback;
  } catch {
    return fallback;
  }
}
