/**
 * Who may make, see and revoke which personal tokens, for the API (/api/tokens) and the People page alike.
 * A token never outranks whoever creates it, a token cannot create tokens (it could otherwise outlive its
 * own expiry), and everyone but an admin sees and revokes only their own.
 */
import type { Principal } from "./principal";
import { isAtLeast, type Role } from "./roles";
import { type ApiToken, isOwnedBy } from "./token-store";

/** Why `principal` may not create a token of `role`, or null when it may. */
export function whyNoToken(principal: Principal, role: Role): string | null {
  if (principal.actor.kind === "token") return "A personal token cannot create tokens; sign in as yourself.";
  if (!isAtLeast(principal.role, role)) {
    return `A token cannot outrank its creator: your role is ${principal.role ?? "none"}.`;
  }
  return null;
}

/** Whose tokens `principal` sees and revokes: null (everyone's) for an admin, else their own (a token's: its creator's). */
export const tokenOwner = ({ actor, role, onBehalfOf }: Principal): string | null =>
  isAtLeast(role, "admin") ? null : (onBehalfOf ?? actor.name);

/** Whether `principal` may revoke `token`. */
export function mayRevoke(principal: Principal, token: ApiToken): boolean {
  const owner = tokenOwner(principal);
  return owner === null || isOwnedBy(token, owner);
}
