/**
 * Job identity. `name` is only the leaf item name and is not unique across folders, so the identity
 * is the Jenkins full name rebuilt from the job's `url` (format reference §6.1–6.2).
 */

/**
 * `job/acme/job/web-shop/job/feature%252Fx/` → `acme/web-shop/feature%2Fx`: each segment is
 * percent-decoded exactly once, which yields Jenkins item names (multibranch names stay mangled).
 * Returns undefined when a segment is not valid percent-encoding.
 */
export function jobFullName(jobPath: string): string | undefined {
  const segments = jobPath.split("/").filter((part, index) => index % 2 === 1 && part !== "");
  try {
    return segments.map(decodeURIComponent).join("/");
  } catch {
    return undefined;
  }
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
