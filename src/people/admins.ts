/**
 * The ADMINS var: comma-separated emails (or Access service tokens' common names) who are admins whatever
 * D1 says, so a new deployment is usable before anyone has a role. Compared case-insensitively, as email
 * addresses are in practice (Access passes the identity provider's spelling).
 */

/** The subjects ADMINS names, lower-cased. */
export function admins(env: Pick<Env, "ADMINS">): string[] {
  return (env.ADMINS ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
}

/** Whether ADMINS names `subject`. */
export const isListedAdmin = (env: Pick<Env, "ADMINS">, subject: string) =>
  admins(env).includes(subject.toLowerCase());
