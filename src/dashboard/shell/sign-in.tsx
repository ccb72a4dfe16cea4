/**
 * Sign-in and sign-out. Every sign-in attempt spends the address's budget (`login:<ip>` on
 * AUTH_RATE_LIMITER) before the token is compared: past it even the right token gets 429 until the
 * window passes, so a 429 tells a guesser nothing. Afterwards only a plain same-site path is followed.
 * The form also asks for a display name (./display-name.ts), kept in the session. Every sign-in is
 * recorded in the audit log (`admin_token.signed_in`, with the label and the address).
 */
import { Hono } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { ADMIN_TOKEN_ACTOR } from "../../audit/actor";
import { recordAudit } from "../../audit/entry";
import { accessConfigured } from "../../people/access";
import { ACCESS_HEADER } from "../../people/authenticate";
import { isUsableAdminToken } from "../../platform/http/admin-token";
import { clientIp } from "../../platform/http/client-block";
import { withinLimit } from "../../platform/http/limiter";
import { parseDisplayName } from "./display-name";
import { LoginPage } from "./login-page";
import { type DashboardEnv, nonce, page } from "./page-context";
import { safePath } from "./safe-path";
import { signInContext } from "./secure-context";
import { endSession, startSession } from "./session";

/** Cloudflare Access's logout path on the application's own hostname. */
const ACCESS_LOGOUT = "/cdn-cgi/access/logout";

export const signIn = new Hono<DashboardEnv>();

signIn.get("/login", page, (c) =>
  c.html(
    <LoginPage nonce={nonce(c)} next={safePath(c.req.query("next"))} context={signInContext(c.req.raw)} />,
  ),
);

signIn.post("/login", page, async (c) => {
  const allowed = await withinLimit(c.env.AUTH_RATE_LIMITER, `login:${clientIp(c.req.raw.headers)}`);
  const form = await c.req.parseBody();
  const next = safePath(form.next);
  const name = typeof form.name === "string" ? form.name : "";
  const shown = { nonce: nonce(c), next, name, context: signInContext(c.req.raw) };
  if (!allowed) {
    const page = <LoginPage {...shown} error="Too many attempts; wait a minute." />;
    return c.html(page, 429, { "Retry-After": "60" });
  }
  const given = typeof form.token === "string" ? form.token : "";
  // Under Access alone (no usable ADMIN_TOKEN) the form signs nobody in.
  if (
    !given ||
    !isUsableAdminToken(c.env.ADMIN_TOKEN) ||
    !(await timingSafeEqual(given, c.env.ADMIN_TOKEN))
  ) {
    return c.html(<LoginPage {...shown} error="That is not the admin token." />, 401);
  }
  // Only a holder of the token learns whether the name would do.
  const displayName = parseDisplayName(form.name);
  if ("error" in displayName) {
    return c.html(<LoginPage {...shown} nameError={`Your name: ${displayName.error}.`} />, 400);
  }
  await startSession(c, displayName.name);
  const actor = {
    kind: "admin-token" as const,
    name: displayName.name ?? ADMIN_TOKEN_ACTOR,
    ip: c.req.header("CF-Connecting-IP") ?? null,
  };
  await recordAudit(c.env.DB, { actor, action: "admin_token.signed_in", target: null });
  return c.redirect(next, 303);
});

// Signed in through Access, signing out is Access's own logout (it ends the Access session for this
// application); the admin-token session cookie goes either way.
signIn.post("/logout", page, (c) => {
  endSession(c);
  const throughAccess = accessConfigured(c.env) && c.req.header(ACCESS_HEADER);
  return c.redirect(throughAccess ? ACCESS_LOGOUT : "/login", 303);
});
