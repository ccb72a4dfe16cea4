/**
 * The {@link Actor} a request acts as: the principal the authentication middleware sets
 * (`c.var.principal`, a Principal of src/people, read here by its shape: the audit log sits below people),
 * read in one place by every route and page that changes something.
 */
import type { Context } from "hono";
import type { Actor } from "./actor";

/** The principal's actor; a change reached without authentication is a bug, never recorded as nobody. */
export function requestActor(c: Context): Actor {
  const principal = (c.var as { principal?: { actor: Actor } }).principal;
  if (!principal) throw new Error("a change without an authenticated principal");
  return principal.actor;
}
