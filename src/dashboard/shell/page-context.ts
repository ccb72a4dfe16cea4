/**
 * What every dashboard route shares: its Hono env (with the CSP nonce secureHeaders sets), and the
 * middleware a page needs, attached per route (`dashboard.get(path, signedInPage, handler)`) rather
 * than by a list of paths, so no page can be left without its CSP, CSRF check or session check.
 */
import { every } from "hono/combine";
import { csrf } from "hono/csrf";
import { NONCE, type SecureHeadersVariables, secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../../platform/env";
import { requireUsableAdminToken } from "../../platform/http/admin-token";
import { deadLetterBadge } from "./dead-letter-badge";
import { visibleDirectionControls } from "./direction-controls";
import { formPosts } from "./form-posts";
import { keyBanner } from "./key-banner";
import { requireSession, type SessionVariables } from "./session";

/** `signedInAs` is set on signed-in pages only (by requireSession, through signedInPage). */
export type DashboardEnv = {
  Bindings: AppEnv["Bindings"];
  Variables: AppEnv["Variables"] & SecureHeadersVariables & Partial<SessionVariables>;
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
 * Any page: strict CSP with a per-response nonce, a usable ADMIN_TOKEN (503 otherwise), form posts
 * form-typed and at most 16 KiB, and Hono's CSRF check.
 */
export const page = every(securePage, requireUsableAdminToken(), formPosts(), csrf());

/**
 * A page behind the session: all of the above, then the session (the sign-in form otherwise; its
 * display name in `signedInAs`), direction controls shown as escapes in all its text (outermost, so
 * the banner and badge are covered too), the header's dead-letter count, and the banner naming
 * destinations DESTINATIONS_KEY cannot read.
 */
export const signedInPage = every(
  page,
  requireSession(),
  visibleDirectionControls(),
  deadLetterBadge(),
  keyBanner(),
);
