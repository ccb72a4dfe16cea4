/**
 * The sign-in form says when signing in cannot work (plain http off localhost, where the browser drops
 * the `__Host-` cookie), and announces its errors on the token field.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { form } from "./dashboard-client";

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
