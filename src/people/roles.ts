/**
 * Roles, lowest first: a `viewer` reads everything but secrets; a `responder` also acknowledges,
 * resolves, sends again, and creates and ends silences; an `admin` also manages sources, tokens and
 * rotation, policies, destinations, heartbeats, dead letters and people.
 */
export const ROLES = ["viewer", "responder", "admin"] as const;
export type Role = (typeof ROLES)[number];

const rank = (role: Role) => ROLES.indexOf(role);

/** Whether `role` may do what `needed` may. */
export const isAtLeast = (role: Role | null, needed: Role): boolean =>
  role !== null && rank(role) >= rank(needed);

/** The higher of two roles (null is below every role). */
export const higher = (a: Role | null, b: Role | null): Role | null =>
  a === null ? b : isAtLeast(b, a) ? b : a;

/** The lower of two roles (null is below every role). */
export const lower = (a: Role | null, b: Role | null): Role | null =>
  a === null || b === null ? null : isAtLeast(a, b) ? b : a;

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);
