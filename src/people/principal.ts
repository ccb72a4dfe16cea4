/**
 * The caller of an authenticated request: who (the {@link Actor} recorded with every change) and what they
 * may do (their {@link Role}; null for a verified person nobody has given a role).
 */
import type { Actor } from "../audit/actor";
import type { Role } from "./roles";

export interface Principal {
  actor: Actor;
  role: Role | null;
  /** For a personal token, the person who created it (whose tokens it sees); otherwise absent. */
  onBehalfOf?: string;
  /** For an Access identity, the groups its assertion named (a token it creates keeps them). */
  groups?: readonly string[];
}

/** What the authentication middleware sets on a request. */
export interface PrincipalVariables {
  principal: Principal;
}
