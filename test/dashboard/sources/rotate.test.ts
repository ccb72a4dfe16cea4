/** The dashboard's "Rotate…": confirmation with a grace choice, the new URL shown once, the old token's time left. */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, buildPayload, createSource, deliver } from "../../helpers";

const ORIGIN = "https://itoc.example.com";
let session: string;

function page(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("Cookie", session);
  return exports.default.fetch(new URL(path, ORIGIN), { redirect: "manual", ...init, headers });
}

const form = (path: string, fields: Record<string, string>, origin = ORIGIN) =>
  page(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams(fields).toString(),
  });

const tokenIn = (html: string) => {
  const url = /id="webhook-url">([^<]+)</.exec(html)?.[1] ?? "";
  return new URL(url.replaceAll("&amp;", "&")).searchParams.get("token") ?? "";
};

let builds = 0;
const status = async (token: string) => {
  builds += 1;
  const headers = { "CF-Connecting-IP": `198.19.0.${builds % 250}` };
  return (await deliver(buildPayload({ job: "dash/rotation", number: builds }), { token, headers })).status;
};

beforeAll(async () => {
  const res = await exports.default.fetch(new URL("/login", ORIGIN), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN, next: "/" }).toString(),
    redirect: "manual",
  });
  session = (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
});

describe("rotating a source's token from the dashboard", () => {
  it("offers Rotate… on each active source, behind a confirmation with a grace choice", async () => {
    const { id } = await createSource("rotate from the page");
    expect(await (await page("/sources")).text()).toContain(`href="/sources/${id}/rotate"`);
    const confirm = await page(`/sources/${id}/rotate`);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain(`action="/sources/${id}/rotate"`);
    expect(html).toMatch(/<option value="24h" selected="">/);
    expect(html).toContain('<option value="0s">');
  });

  it("shows the new URL once and keeps the old token for the grace, with its time left", async () => {
    const { id, token: old } = await createSource("rotated on the page");
    const res = await form(`/sources/${id}/rotate`, { grace: "24h" });
    expect(res.status).toBe(200);
    const html = await res.text();
    const fresh = tokenIn(html);
    expect(fresh).toMatch(/^itoc_/);
    expect(fresh).not.toBe(old);
    expect(html).toContain(`jenkins:${fresh}@`);
    expect(html).toMatch(/id="old-token">The old token keeps working for <span[^>]*>(23 h 59 min|24 h)</);
    expect(await status(old)).toBe(200);
    expect(await status(fresh)).toBe(200);
    // Never again: not on the list, not on the confirmation page.
    const list = await (await page("/sources")).text();
    const confirm = await (await page(`/sources/${id}/rotate`)).text();
    for (const later of [list, confirm]) {
      expect(later).not.toContain(fresh);
      expect(later).not.toContain(old);
    }
    expect(list).toMatch(/old token: <span title="[^"]+">(23 h 59 min|24 h)<\/span> left/);
    expect(confirm).toContain('id="previous-tokens"');
  });

  it("ends the old token at once with no grace", async () => {
    const { id, token: old } = await createSource("leaked, rotated on the page");
    const html = await (await form(`/sources/${id}/rotate`, { grace: "0s" })).text();
    expect(html).toContain("The old token no longer works");
    expect(await status(old)).toBe(401);
    expect(await status(tokenIn(html))).toBe(200);
  });

  it("answers a grace it does not offer with the form and an error, rotating nothing", async () => {
    const { id, token } = await createSource("bad grace on the page");
    const res = await form(`/sources/${id}/rotate`, { grace: "30d" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Grace: at most 7 days.");
    const shown = (await (await api(`/api/sources/${id}`)).json()) as { tokens: unknown[] };
    expect(shown.tokens).toEqual([{ current: true }]);
    expect(await status(token)).toBe(200);
  });

  it("refuses a cross-site post and a JSON post", async () => {
    const { id } = await createSource("csrf rotation");
    expect((await form(`/sources/${id}/rotate`, { grace: "0s" }, "https://evil.example")).status).toBe(403);
    const json = await page(`/sources/${id}/rotate`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: ORIGIN },
      body: JSON.stringify({ grace: "0s" }),
    });
    expect(json.status).toBe(415);
    const shown = (await (await api(`/api/sources/${id}`)).json()) as { tokens: unknown[] };
    expect(shown.tokens).toEqual([{ current: true }]);
  });

  it("goes back to the list for a revoked, unknown or malformed source", async () => {
    const { id } = await createSource("revoked before rotating");
    await api(`/api/sources/${id}`, { method: "DELETE" });
    expect(await (await page("/sources")).text()).not.toContain(`href="/sources/${id}/rotate"`);
    for (const target of [id, crypto.randomUUID(), "x".repeat(600)]) {
      for (const res of [
        await page(`/sources/${target}/rotate`),
        await form(`/sources/${target}/rotate`, { grace: "1h" }),
      ]) {
        expect(res.status).toBe(303);
        expect(res.headers.get("Location")).toBe("/sources");
      }
    }
  });

  it("asks for a session", async () => {
    const { id } = await createSource("no session");
    const res = await exports.default.fetch(new URL(`/sources/${id}/rotate`, ORIGIN), { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/login\?next=/);
  });
});
