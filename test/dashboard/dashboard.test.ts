/** The dashboard through the Worker: sign-in, pages, escaping, CSRF, CSP, the live fragment. */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPayload, createSource, deliver, eventually } from "../helpers";
import { captureLogs } from "../logs";
import { form as formAs, ORIGIN, page as pageAs, signIn, sourceFormNonce } from "./dashboard-client";

let session: string;

const page = (path: string, init: RequestInit = {}, cookie = session) => pageAs(path, init, cookie);
const form = (path: string, fields: Record<string, string>, origin = ORIGIN, cookie = session) =>
  formAs(path, fields, cookie, origin);

beforeAll(async () => {
  session = await signIn();
});

describe("signing in", () => {
  it("sends visitors without a session to the sign-in form", async () => {
    const res = await page("/jobs?x=1", {}, "");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/login?next=%2Fjobs%3Fx%3D1");
    const login = await page("/login", {}, "");
    expect(await login.text()).toContain('type="password"');
  });

  it("refuses a wrong token", async () => {
    const res = await form("/login", { token: "wrong", next: "/" }, ORIGIN, "");
    expect(res.status).toBe(401);
    expect(res.headers.get("Set-Cookie")).toBeNull();
  });

  it("sets a signed, HttpOnly, Secure, SameSite=Strict session cookie and goes back where it was", async () => {
    const res = await form("/login", { token: env.ADMIN_TOKEN, next: "/jobs" }, ORIGIN, "");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/jobs");
    const cookie = res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^__Host-itoc360_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=43200/);
  });

  it("never sends anyone off-site after sign-in", async () => {
    const res = await form("/login", { token: env.ADMIN_TOKEN, next: "//evil.example/" }, ORIGIN, "");
    expect(res.headers.get("Location")).toBe("/");
  });

  it("refuses a tampered cookie", async () => {
    const res = await page("/", {}, session.replace(/=(\d)/, "=9"));
    expect(res.status).toBe(303);
  });

  it("signs out", async () => {
    const res = await form("/logout", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
  });
});

describe("pages", () => {
  it("renders alerts under a strict CSP whose nonce the page's script carries", async () => {
    const { token } = await createSource("dashboard");
    await deliver(buildPayload({ job: "dash/payments", number: 5, phase: "COMPLETED", status: "FAILURE" }), {
      token,
    });
    const res = await page("/alerts");
    expect(res.status).toBe(200);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toContain("default-src 'none'");
    expect(nonce).toBeTruthy();
    const html = await res.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    // The alert's own row shows its job, its source's name and the provider.
    const row =
      /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*dash\/payments(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(html)?.[0] ?? "";
    expect(row).toMatch(/>dashboard</);
    expect(row).toMatch(/>Jenkins</);
  });

  it("renders payload-derived strings as text", async () => {
    const { token } = await createSource("xss");
    const evil = "<img src=x onerror=alert(1)>";
    const res = await deliver(
      buildPayload({ job: `dash/${encodeURIComponent("x")}`, number: 1, displayName: evil }),
      { token },
    );
    const { alert_id } = (await res.json()) as { alert_id: number };
    for (const path of ["/alerts", `/alerts/${alert_id}`, "/jobs"]) {
      const html = await (await page(path)).text();
      expect(html).not.toContain(evil);
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    }
  });

  it("links builds only to http(s) URLs", async () => {
    const { id: source, token } = await createSource("links");
    const res = await deliver(
      buildPayload({ job: "dash/links", number: 3, extra: { full_url: "javascript:alert(1)//" } }),
      { token },
    );
    const { alert_id } = (await res.json()) as { alert_id: number };
    for (const path of [`/alerts?source_id=${source}`, `/alerts/${alert_id}`]) {
      const html = await (await page(path)).text();
      expect(html).toContain("#3");
      expect(html).not.toMatch(/href="javascript:/);
    }
  });

  it("shows an alert's timeline with its payloads folded", async () => {
    const { id: source, token } = await createSource("timeline");
    for (const phase of ["STARTED", "COMPLETED"]) {
      await deliver(
        buildPayload({
          job: "dash/timeline",
          number: 2,
          phase,
          status: phase === "COMPLETED" ? "UNSTABLE" : undefined,
        }),
        { token },
      );
    }
    const list = await (await page(`/alerts?source_id=${source}`)).text();
    const id = /href="\/alerts\/(\d+)"/.exec(list)?.[1];
    const html = await (await page(`/alerts/${id}`)).text();
    expect(html.match(/<details>/g)).toHaveLength(2);
    expect(html).toContain("UNSTABLE");
  });

  it("answers the live fragment with new rows only", async () => {
    const { id: source, token } = await createSource("live");
    const first = (await (
      await deliver(buildPayload({ job: "dash/live", number: 1 }), { token })
    ).json()) as { alert_id: number };
    await deliver(buildPayload({ job: "dash/live", number: 2 }), { token });
    const html = await (
      await page(`/alerts/rows?after=${first.alert_id}&source_id=${source}`, {
        headers: { "X-Requested-With": "fetch" },
      })
    ).text();
    expect(html.match(/<tr /g)).toHaveLength(1);
    expect(html).toContain("#2");
  });

  it("sends a link to the alerts list from when it was the home page to /alerts", async () => {
    const res = await page("/?job=acme%2Fweb&state=open");
    expect(res.status).toBe(301);
    expect(res.headers.get("Location")).toBe("/alerts?job=acme%2Fweb&state=open");
    expect((await page("/")).status).toBe(200);
  });
});

describe("sources page", () => {
  it("creates a source and shows its token once, with the Jenkins settings", async () => {
    const res = await form("/sources", {
      name: "Jenkins (page)",
      form_nonce: await sourceFormNonce(session),
    });
    expect(res.status).toBe(201);
    const html = await res.text();
    const url = /id="webhook-url">([^<]+)</.exec(html)?.[1] ?? "";
    const token = new URL(url.replaceAll("&amp;", "&")).searchParams.get("token") ?? "";
    expect(token).toMatch(/^itoc_/);
    for (const field of ["JSON", "HTTP", "All Events", "30000", "Retries"]) expect(html).toContain(field);
    expect(html).toContain(`jenkins:${token}@`);
    expect(await (await page("/sources")).text()).not.toContain(token);
    expect((await deliver(buildPayload({ job: "dash/from-page" }), { token })).status).toBe(200);
  });

  it("refuses a cross-site form post", async () => {
    const res = await form("/sources", { name: "csrf" }, "https://evil.example");
    expect(res.status).toBe(403);
    const login = await form("/login", { token: env.ADMIN_TOKEN }, "https://evil.example", "");
    expect(login.status).toBe(403);
  });

  it("revokes a source after confirmation", async () => {
    const { id, token } = await createSource("to revoke from the page");
    const confirm = await (await page(`/sources/${id}/revoke`)).text();
    expect(confirm).toContain("Yes, revoke");
    expect((await form(`/sources/${id}/revoke`, {})).status).toBe(303);
    const logs = captureLogs();
    expect((await deliver(buildPayload({ job: "dash/revoked" }), { token })).status).toBe(401);
    expect(logs.named("delivery_rejected")).toEqual([expect.objectContaining({ status: 401 })]);
  });

  it("shows when and why a source's deliveries were last rejected", async () => {
    const { token } = await createSource("rejected from the page");
    const logs = captureLogs();
    expect((await deliver("{not json", { token })).status).toBe(400);
    expect(logs.named("delivery_rejected")).toEqual([expect.objectContaining({ status: 400 })]);
    const html = await eventually(
      async () => (await page("/sources")).text(),
      (text) => text.includes("400 invalid-payload"),
    );
    expect(html).toMatch(/last rejected <time[^>]*>[^<]+<\/time> \(400 invalid-payload\)/);
  });
});
