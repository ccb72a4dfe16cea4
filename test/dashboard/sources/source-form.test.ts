/**
 * The sources page's form is good for one source: its answer ("is ready", with the token) can be
 * reloaded or posted again without creating a second source or showing a token again.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { NONCE_SECONDS } from "../../../src/dashboard/shell/form-nonce";
import { nowMs } from "../../../src/platform/clock";
import { api } from "../../helpers";
import { form, page, signIn, sourceFormNonce } from "../dashboard-client";

let session: string;

beforeAll(async () => {
  session = await signIn();
});

const createFromPage = (fields: Record<string, string>) => form("/sources", fields, session);

async function sourcesNamed(name: string): Promise<{ id: string }[]> {
  const { sources } = (await (await api("/api/sources")).json()) as {
    sources: { id: string; name: string }[];
  };
  return sources.filter((source) => source.name === name);
}

describe("posting the source form again", () => {
  it("answers 409 “already created” without a token, and creates nothing more", async () => {
    const nonce = await sourceFormNonce(session);
    const first = await createFromPage({ name: "Jenkins (reloaded)", form_nonce: nonce });
    expect(first.status).toBe(201);
    expect(await first.text()).toMatch(/itoc_[A-Za-z0-9_-]{32}/);

    const again = await createFromPage({ name: "Jenkins (reloaded)", form_nonce: nonce });
    expect(again.status).toBe(409);
    const html = await again.text();
    expect(html).toContain("Already created");
    expect(html).toContain("“Jenkins (reloaded)”");
    expect(html).toContain("token was shown once");
    expect(html).toContain('href="/sources"');
    expect(html).not.toMatch(/itoc_|webhooks\/jenkins/);
    const [created, ...more] = await sourcesNamed("Jenkins (reloaded)");
    expect(more).toEqual([]);
    expect(html).toContain(`href="/sources/${created?.id}/revoke"`);
  });

  it("still answers “already created” when the second post changes the name", async () => {
    const nonce = await sourceFormNonce(session);
    expect((await createFromPage({ name: "Jenkins (first name)", form_nonce: nonce })).status).toBe(201);
    expect((await createFromPage({ name: "Jenkins (second name)", form_nonce: nonce })).status).toBe(409);
    expect(await sourcesNamed("Jenkins (second name)")).toEqual([]);
  });

  it("gives every rendering of the form a nonce of its own", async () => {
    const nonces = await Promise.all([1, 2, 3].map(() => sourceFormNonce(session)));
    expect(new Set(nonces).size).toBe(3);
  });
});

describe("what the form nonce leaves in KV", () => {
  it("a record under the nonce's hash holding the source id, never the nonce or a token, that expires", async () => {
    const nonce = await sourceFormNonce(session);
    const html = await (await createFromPage({ name: "Jenkins (kv record)", form_nonce: nonce })).text();
    const token = /itoc_[A-Za-z0-9_-]{32}/.exec(html)?.[0] ?? "";
    const [source] = await sourcesNamed("Jenkins (kv record)");

    const { keys } = await env.SOURCES.list({ prefix: "form-nonce:" });
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(nonce));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const record = keys.find((key) => key.name === `form-nonce:${hex}`);
    // KV expires keys on the platform's own clock (expirationTtl), not the Worker's test clock.
    expect(record?.expiration).toBeGreaterThan(Date.now() / 1000 + NONCE_SECONDS);
    expect(await env.SOURCES.get(`form-nonce:${hex}`)).toBe(source?.id);
    for (const key of keys) {
      expect(key.name).not.toContain(nonce);
      expect(await env.SOURCES.get(key.name)).not.toContain(token);
    }
  });
});

describe("a form that cannot be trusted to be fresh", () => {
  const dayOld = `${Math.floor(nowMs() / 1000) - NONCE_SECONDS - 60}.${"A".repeat(22)}`;

  it.each([
    ["without a nonce", "no nonce", {}],
    ["with a malformed nonce", "malformed", { form_nonce: "not-a-nonce" }],
    ["with a nonce more than a day old", "day old", { form_nonce: dayOld }],
  ])("is refused %s: 400, nothing created, and a fresh form to fill in", async (_, label, fields) => {
    const name = `Jenkins (${label})`;
    const res = await createFromPage({ name, ...fields });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("nothing was created");
    expect(html).toMatch(/name="form_nonce" value="\d+\.[A-Za-z0-9_-]{22}"/);
    expect(await sourcesNamed(name)).toEqual([]);
  });
});

describe("a day later", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("still answers a used nonce “already created”, and refuses an unused one as too old", async () => {
    const used = await sourceFormNonce(session);
    const unused = await sourceFormNonce(session);
    expect((await createFromPage({ name: "Jenkins (old tab)", form_nonce: used })).status).toBe(201);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + (NONCE_SECONDS + 60) * 1000);
    const tomorrow = await signIn(); // today's session has expired by then
    const post = (nonce: string) =>
      form("/sources", { name: "Jenkins (old tab)", form_nonce: nonce }, tomorrow);
    expect((await post(used)).status).toBe(409);
    expect((await post(unused)).status).toBe(400);
    expect(await sourcesNamed("Jenkins (old tab)")).toHaveLength(1);
  });
});

describe("the sources list after all that", () => {
  it("shows no token", async () => {
    const html = await (await page("/sources", {}, session)).text();
    expect(html).not.toMatch(/itoc_/);
  });
});
