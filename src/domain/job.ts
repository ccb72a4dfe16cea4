/**
 * Job identity. `name` is only the leaf item name and is not unique across folders, so the identity
 * is the Jenkins full name rebuilt from the job's `url` (docs/jenkins-wire-format.md §5).
 */

/**
 * `job/acme/job/web-shop/job/feature%252Fx/` → `["acme", "web-shop", "feature%2Fx"]`: each segment
 * percent-decoded exactly once, which yields Jenkins item names (multibranch names stay mangled).
 * Returns undefined when a segment is not valid percent-encoding.
 */
function jobItemNames(jobPath: string): string[] | undefined {
  const segments = jobPath.split("/").filter((part, index) => index % 2 === 1 && part !== "");
  try {
    return segments.map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/**
 * Whether every item name is one Jenkins could have written. Item names never hold a `/` (multibranch
 * names arrive double-encoded, `%252F`), so a segment that decodes to one (`job/acme%2Fweb/`) is
 * refused: its full name would be that of the job `web` in the folder `acme`.
 */
export function hasPlainItemNames(jobPath: string): boolean {
  return !jobItemNames(jobPath)?.some((name) => name.includes("/"));
}

/** `job/acme/job/web-shop/job/feature%252Fx/` → `acme/web-shop/feature%2Fx`; undefined as above. */
export function jobFullName(jobPath: string): string | undefined {
  return jobItemNames(jobPath)?.join("/");
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
