/**
 * Sign-in and sign-out. Every sign-in attempt spends the address's budget (`login:<ip>` on
 * AUTH_RATE_LIMITER) before the token is compared: past it even the right token gets 429 until the
 * window passes, so a 429 tells a guesser nothing. Afterwards only a plain same-site path is followed.
 */
import { Hono } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { clientIp } from "../http/client-block";
import { withinLimit } from "../http/limiter";
import { LoginPage } from "./login-page";
import { type DashboardEnv, nonce, page } from "./page-context";
import { signInContext } from "./secure-context";
import { endSession, startSession } from "./session";

const SAME_SITE = "https://same-site.invalid";

/**
 * `next` when it is a plain path on this site, else `/`. It must start with one `/` and come back
 * unchanged from a URL parser: parsers drop tabs and newlines (`/\t/evil.example` → `//evil.example`)
 * and read `\` as `/`, so anything they would rewrite is refused rather than trusted.
 */
function safeNext(next: unknown): string {
  if (typeof next !== "string" || !/^\/(?![/\\])/.test(next)) return "/";
  try {
    const url = new URL(next, SAME_SITE);
    return url.origin === SAME_SITE && url.href === SAME_SITE + next ? next : "/";
  } catch {
    return "/";
  }
}

export const signIn = new Hono<DashboardEnv>();

signIn.get("/login", page, (c) =>
  c.html(
    <LoginPage nonce={nonce(c)} next={safeNext(c.req.query("next"))} context={signInContext(c.req.raw)} />,
  ),
);

signIn.post("/login", page, async (c) => {
  const allowed = await withinLimit(c.env.AUTH_RATE_LIMITER, `login:${clientIp(c.req.raw.headers)}`);
  const form = await c.req.parseBody();
  const next = safeNext(form.next);
  const context = signInContext(c.req.raw);
  if (!allowed) {
    const error = "Too many attempts; wait a minute.";
    const page = <LoginPage nonce={nonce(c)} next={next} context={context} error={error} />;
    return c.html(page, 429, { "Retry-After": "60" });
  }
  const given = typeof form.token === "string" ? form.token : "";
  if (given && (await timingSafeEqual(given, c.env.ADMIN_TOKEN))) {
    await startSession(c);
    return c.redirect(next, 303);
  }
  const error = "That is not the admin token.";
  return c.html(<LoginPage nonce={nonce(c)} next={next} context={context} error={error} />, 401);
});

signIn.post("/logout", page, (c) => {
  endSession(c);
  return c.redirect("/login", 303);
});
