/**
 * The sign-in form says when signing in cannot work (plain http off localhost, where the browser drops
 * the `__Host-` cookie), announces its errors on their fields, and asks for a display name.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { form } from "../dashboard-client";

function signInPage(url: string, headers: Record<string, string> = {}) {
  return exports.default.fetch(url, { headers });
}

/** The notice's opening tag: `hidden` when the server thinks the page is a secure context. */
async function notice(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  const html = await res.text();
  return /<p[^>]*id="insecure-context"[^>]*>/.exec(html)?.[0] ?? "no notice";
}

describe("signing in over plain http", () => {
  it("says on the form, without any script, that it needs https or localhost", async () => {
    const res = await signInPage("http://ci-box.internal:8787/login");
    const html = await res.clone().text();
    expect(await notice(res)).not.toContain("hidden");
    expect(html).toContain("Signing in needs https or localhost.");
    expect(html).toContain("<code>http://localhost:8787</code>");
  });

  it.each([
    ["https", "https://itoc.example.com/login", {}],
    ["localhost", "http://localhost:8787/login", {}],
    ["a name under .localhost", "http://dash.localhost:8787/login", {}],
    ["127.0.0.1", "http://127.0.0.1:8787/login", {}],
    ["[::1]", "http://[::1]:8787/login", {}],
    [
      "http behind a proxy that ended https",
      "http://itoc.example.com/login",
      { "X-Forwarded-Proto": "https" },
    ],
  ])("keeps the notice hidden on %s", async (_, url, headers) => {
    expect(await notice(await signInPage(url, headers))).toContain("hidden");
  });

  it("lets the page's nonce'd script show or hide the notice from window.isSecureContext", async () => {
    const res = await signInPage("https://itoc.example.com/login");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    const html = await res.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain("window.isSecureContext");
  });
});

describe("a refused token", () => {
  it("is announced, and the token field is marked invalid and described by the message", async () => {
    const res = await form("/login", { token: "wrong", next: "/" });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toMatch(/<p class="error" id="token-error" role="alert">That is not the admin token\.<\/p>/);
    const field = /<input type="password"[^>]*>/.exec(html)?.[0] ?? "";
    expect(field).toContain('aria-invalid="true"');
    expect(field).toContain('aria-describedby="token-error"');
  });

  it("is not there before any attempt", async () => {
    const html = await (await signInPage("https://itoc.example.com/login")).text();
    expect(html).not.toContain("aria-invalid");
    expect(html).not.toContain('role="alert"');
  });
});

describe("the display name", () => {
  const signInWith = (fields: Record<string, string>) =>
    form("/login", { token: env.ADMIN_TOKEN, next: "/incidents", ...fields });

  it("is asked for, optional, and said to be a label rather than an identity", async () => {
    const html = await (await signInPage("https://itoc.example.com/login")).text();
    expect(html).toMatch(/<input type="text" name="name" value="" maxlength="100" autocomplete="name"/);
    expect(html).toContain("A label, not a proof of who you are");
    expect((await signInWith({ name: "   " })).status).toBe(303);
  });

  it("is kept in the signed session cookie", async () => {
    const res = await signInWith({ name: "Ada Lovelace" });
    expect(res.status).toBe(303);
    const cookie = decodeURIComponent(res.headers.get("Set-Cookie")?.split(";")[0] ?? "");
    expect(cookie).toMatch(/^__Host-itoc360_session=\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9+/]+=$/);
  });

  it.each([
    ["longer than the API's `by`", "x".repeat(101), "Your name: at most 100 characters."],
    [
      "one of the timeline's own actors",
      "Build",
      "Your name: that word is how the timeline names the system.",
    ],
  ])("is refused when %s, with no session and the name kept", async (_, name, message) => {
    const res = await signInWith({ name });
    expect(res.status).toBe(400);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    const html = await res.text();
    expect(html).toContain(`<p class="error" id="name-error" role="alert">${message}</p>`);
    expect(html).toContain(`value="${name}"`);
    expect(html).toContain('aria-describedby="name-error name-hint"');
  });

  it("is not judged before the token is right", async () => {
    const res = await form("/login", { token: "wrong", next: "/", name: "build" });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain("name-error");
  });
});
