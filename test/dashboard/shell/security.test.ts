import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { nowMs } from "../../../src/platform/clock";
import { api, buildPayload, callWorker, createSource, deliver } from "../../helpers";
import { sourceFormNonce } from "../dashboard-client";

const ORIGIN = "https://itoc.example.com";
const FORM = "application/x-www-form-urlencoded";
let session: string;

function post(path: string, body: BodyInit, options: { type?: string; ip?: string; cookie?: string } = {}) {
  const headers = new Headers({ Origin: ORIGIN, "CF-Connecting-IP": options.ip ?? "192.0.2.70" });
  if (options.type !== undefined) headers.set("Content-Type", options.type);
  if (options.cookie) headers.set("Cookie", options.cookie);
  return exports.default.fetch(new URL(path, ORIGIN), { method: "POST", headers, body, redirect: "manual" });
}

const signIn = (fields: Record<string, string>, ip: string) =>
  post("/login", new URLSearchParams(fields).toString(), { type: FORM, ip });

beforeAll(async () => {
  const res = await signIn({ token: env.ADMIN_TOKEN, next: "/" }, "192.0.2.71");
  session = (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
});

describe("guessing the admin token at sign-in", () => {
  it("spends the budget before comparing: past it even the right token gets 429 and no session", async () => {
    const attempt = (token: string) =>
      callWorker(
        `${ORIGIN}/login`,
        {
          method: "POST",
          headers: { "Content-Type": FORM, Origin: ORIGIN, "CF-Connecting-IP": "203.0.113.61" },
          body: new URLSearchParams({ token, next: "/" }).toString(),
          redirect: "manual",
        },
        { AUTH_RATE_LIMITER: env.TIGHT_RATE_LIMITER },
      );
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt(`guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401]);

    const right = await attempt(env.ADMIN_TOKEN);
    expect(right.status).toBe(429);
    expect(right.headers.get("Retry-After")).toBe("60");
    expect(right.headers.get("Set-Cookie")).toBeNull();
  });
});

describe("where sign-in sends you", () => {
  it.each([
    ["a tab that a URL parser drops", "/\t/evil.example"],
    ["a newline", "/jobs\nX-Evil: 1"],
    ["a backslash", "/\\evil.example"],
    ["a scheme-relative URL", "//evil.example/"],
    ["an absolute URL", "https://evil.example/"],
    ["a dot segment that leaves an empty first segment", "/.//evil.example"],
  ])("goes home instead of following %s", async (_, next) => {
    const res = await signIn({ token: env.ADMIN_TOKEN, next }, "192.0.2.72");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/");
  });

  it("goes back to a plain same-site path with its query", async () => {
    const res = await signIn({ token: env.ADMIN_TOKEN, next: "/?job=acme%2Fweb&state=open" }, "192.0.2.72");
    expect(res.headers.get("Location")).toBe("/?job=acme%2Fweb&state=open");
  });
});

describe("form posts", () => {
  const big = new URLSearchParams({ token: "x", next: `/${"a".repeat(17 * 1024)}` }).toString();

  function streamed(text: string): ReadableStream<Uint8Array> {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096));
        controller.close();
      },
    });
  }

  it.each([
    ["with Content-Length", () => big],
    ["streamed, without Content-Length", () => streamed(big)],
  ])("413 for a sign-in form over 16 KiB, %s", async (_, body) => {
    const res = await post("/login", body(), { type: FORM, ip: "192.0.2.73" });
    expect(res.status).toBe(413);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("413 for a signed-in form over 16 KiB", async () => {
    const res = await post("/sources", new URLSearchParams({ name: "x".repeat(17 * 1024) }).toString(), {
      type: FORM,
      cookie: session,
    });
    expect(res.status).toBe(413);
  });

  it.each([
    ["JSON", "application/json"],
    ["plain text", "text/plain"],
    ["no declared type", undefined],
  ])("415 for a %s post, which Hono's CSRF check would not look at", async (_, type) => {
    for (const [path, cookie] of [
      ["/sources", session],
      ["/login", ""],
      ["/logout", session],
    ] as const) {
      // Bytes, so that fetch declares no type of its own (a string would go as text/plain).
      const res = await post(path, new TextEncoder().encode(JSON.stringify({ name: "json" })), {
        type,
        cookie,
      });
      expect(res.status).toBe(415);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    }
  });

  it("accepts a multipart form", async () => {
    const body = new FormData();
    body.set("name", "Jenkins (multipart)");
    body.set("form_nonce", await sourceFormNonce(session));
    const res = await exports.default.fetch(new URL("/sources", ORIGIN), {
      method: "POST",
      headers: { Origin: ORIGIN, Cookie: session },
      body,
    });
    expect(res.status).toBe(201);
  });
});

describe("the session cookie", () => {
  const hmac = async (key: string, value: string) => {
    const imported = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const signature = await crypto.subtle.sign("HMAC", imported, new TextEncoder().encode(value));
    return btoa(String.fromCharCode(...new Uint8Array(signature)));
  };

  it("is not signed with ADMIN_TOKEN itself, so it cannot be used to test guesses offline", async () => {
    const [value, signature] = decodeURIComponent(session.split("=").slice(1).join("=")).split(".");
    expect(Number(value)).toBeGreaterThan(nowMs() / 1000);
    expect(signature).not.toBe(await hmac(env.ADMIN_TOKEN, value ?? ""));
  });

  it("refuses a cookie signed with ADMIN_TOKEN itself", async () => {
    const expires = String(Math.floor(nowMs() / 1000) + 3600);
    const forged = `${expires}.${await hmac(env.ADMIN_TOKEN, expires)}`;
    const res = await exports.default.fetch(new URL("/jobs", ORIGIN), {
      headers: { Cookie: `__Host-itoc360_session=${encodeURIComponent(forged)}` },
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});

describe("revoking from the dashboard", () => {
  const long = "a".repeat(600);

  it("sends an id that is not a source id back to the list", async () => {
    const page = await exports.default.fetch(new URL(`/sources/${long}/revoke`, ORIGIN), {
      headers: { Cookie: session },
      redirect: "manual",
    });
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toBe("/sources");

    const revoke = await post(`/sources/${long}/revoke`, "", { type: FORM, cookie: session });
    expect(revoke.status).toBe(303);
    expect(revoke.headers.get("Location")).toBe("/sources");
  });
});

describe("Unicode direction controls in what Jenkins sent", () => {
  it("show as visible escapes on every page and live list, so ‮gnp.exe cannot pose as exe.png", async () => {
    const { id: sourceId, token } = await createSource("direction controls");
    // With an `&` beside it: the rest of the text keeps its escapes as they were (no `&amp;amp;`).
    const job = "\u202Egnp.exe & co";
    const res = await deliver(buildPayload({ job, number: 3, phase: "COMPLETED", status: "FAILURE" }), {
      token,
    });
    const { alert_id: alertId } = (await res.json()) as { alert_id: number };
    const listed = await api(`/api/incidents?source_id=${sourceId}`);
    const [{ id: incidentId }] = ((await listed.json()) as { incidents: [{ id: number }] }).incidents;
    // The API keeps the name as Jenkins sent it: a program must be able to match it.
    expect(((await (await api(`/api/alerts/${alertId}`)).json()) as { job: string }).job).toContain(job);
    for (const path of [
      "/",
      "/needs-attention/rows",
      "/alerts",
      "/alerts/rows",
      `/alerts/${alertId}`,
      "/incidents",
      `/incidents/${incidentId}`,
      "/jobs",
    ]) {
      const res = await exports.default.fetch(new URL(path, ORIGIN), { headers: { Cookie: session } });
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(html, path).toContain("&lt;U+202E&gt;gnp.exe &amp; co");
      expect(html, path).not.toContain("&amp;amp;");
      // What the live lists announce to a screen reader, too.
      if (path === "/") expect(html).toContain('data-announce="<U+202E>gnp.exe &amp; co failure');
    }
  });
});
