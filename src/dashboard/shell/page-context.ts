/**
 * What every dashboard route shares: its Hono env (with the CSP nonce secureHeaders sets), and the
 * middleware a page needs, attached per route (`dashboard.get(path, signedInPage, handler)`) rather
 * than by a list of paths, so no page can be left without its CSP, CSRF check or session check.
 */
import { every } from "hono/combine";
import { csrf } from "hono/csrf";
import { NONCE, type SecureHeadersVariables, secureHeaders } from "hono/secure-headers";
import type { PrincipalVariables } from "../../people/principal";
import { requireSignInPossible } from "../../people/require-role";
import type { Role } from "../../people/roles";
import type { AppEnv } from "../../platform/env";
import { deadLetterBadge } from "./dead-letter-badge";
import { visibleDirectionControls } from "./direction-controls";
import { formPosts } from "./form-posts";
import { keyBanner } from "./key-banner";
import { navForRole } from "./nav-for-role";
import { requirePageRole, requirePrincipal } from "./principal";
import type { SessionVariables } from "./session";

/** `principal` and `signedInAs` are set on signed-in pages only (by requirePrincipal, through signedInPage). */
export type DashboardEnv = {
  Bindings: AppEnv["Bindings"];
  Variables: AppEnv["Variables"] & SecureHeadersVariables & Partial<SessionVariables & PrincipalVariables>;
};

export const nonce = (c: { get: (key: "secureHeadersNonce") => string | undefined }) =>
  c.get("secureHeadersNonce") ?? "";

const securePage = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: [NONCE],
    imgSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: "same-origin",
});

/**
 * Any page: strict CSP with a per-response nonce, a usable ADMIN_TOKEN or Access (503 otherwise), form posts
 * form-typed and at most 16 KiB, and Hono's CSRF check.
 */
export const page = every(securePage, requireSignInPossible(), formPosts(), csrf());

/**
 * A page for anyone with a role (viewer and up): all of the above, then who is asking (./principal.ts:
 * Access's assertion or the admin-token session; the sign-in form otherwise; how pages name them in
 * `signedInAs`) and their role, direction controls shown as escapes in all its text (outermost, so
 * the banner and badge are covered too), the header's links for the reader's role, its dead-letter
 * count, and the banner naming destinations DESTINATIONS_KEY cannot read.
 */
export const signedInPage = every(
  page,
  requirePrincipal(),
  requirePageRole("viewer"),
  visibleDirectionControls(),
  navForRole(),
  deadLetterBadge(),
  keyBanner(),
);

/** A page or form post for `role` and up: {@link signedInPage}, and 403 with whom to ask below it. */
export const pageFor = (role: Role) => every(signedInPage, requirePageRole(role));
