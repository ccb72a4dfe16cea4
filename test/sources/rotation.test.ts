/**
 * Token rotation: a new token at once, the old one kept for the grace and refused after it, both
 * refused after a revoke, and no race with a DELETE or a PATCH that leaves a token working or lost.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SYSTEM } from "../../src/audit/actor";
import { nowMs } from "../../src/platform/clock";
import { changeSource, rotateSource } from "../../src/sources/actions";
import { findSourceByHash } from "../../src/sources/lookup";
import { hashToken } from "../../src/sources/token";
import { api, buildPayload, createSource, deliver } from "../helpers";

const HOUR = 3_600_000;

interface Rotated {
  id: string;
  token: string;
  webhook_url: string;
  basic_url: string;
  tokens: { current: boolean; expires_at?: string }[];
}

const rotate = (id: string, body?: unknown) =>
  api(`/api/sources/${id}/rotate`, {
    method: "POST",
    ...(body === undefined
      ? {}
      : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });

async function rotated(id: string, body?: unknown): Promise<Rotated> {
  const res = await rotate(id, body);
  if (res.status !== 200) throw new Error(`rotating answered ${res.status}`);
  return res.json();
}

/** Each call a build of its own, from an address of its own (no failed-attempt budget in the way). */
let builds = 0;
const status = async (token: string) => {
  builds += 1;
  const headers = { "CF-Connecting-IP": `198.18.${Math.floor(builds / 250)}.${builds % 250}` };
  return (await deliver(buildPayload({ job: "rotation", number: builds }), { token, headers })).status;
};

/**
 * A KV whose writes wait until `open()`: what a change that read the source, then was delayed (or
 * read it from a location whose KV cache was still old), writes after everything else. `reached`
 * settles once it has read and is about to write.
 */
function delayedWrites(kv: KVNamespace) {
  let open = () => {};
  let reach = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const delayed = new Proxy(kv, {
    get(target, property) {
      if (property === "put") {
        return async (...args: Parameters<KVNamespace["put"]>) => {
          reach();
          await gate;
          return target.put(...args);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { kv: delayed, reached, open };
}

/** Whether the token works at `at` (epoch ms), straight from KV, no isolate cache in between. */
const worksAt = async (token: string, at: number) =>
  (await findSourceByHash(env.SOURCES, await hashToken(token), at)) !== null;

describe("POST /api/sources/:id/rotate", () => {
  it("answers a new token once, with both Jenkins URLs, and keeps the old one for 24 h by default", async () => {
    const source = await createSource("rotated by default");
    const before = nowMs();
    const res = await rotate(source.id);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Rotated;
    expect(body).toMatchObject({ id: source.id, name: "rotated by default", disabled: false });
    expect(body.token).toMatch(/^itoc_[A-Za-z0-9_-]{32}$/);
    expect(body.token).not.toBe(source.token);
    expect(body.webhook_url).toBe(`https://itoc.example.com/webhooks/jenkins?token=${body.token}`);
    expect(body.basic_url).toBe(`https://jenkins:${body.token}@itoc.example.com/webhooks/jenkins`);
    const [current, previous] = body.tokens;
    expect(body.tokens).toHaveLength(2);
    expect(current).toEqual({ current: true });
    const expiresAt = Date.parse(previous?.expires_at ?? "");
    expect(expiresAt).toBeGreaterThanOrEqual(before + 24 * HOUR);
    expect(expiresAt).toBeLessThanOrEqual(nowMs() + 24 * HOUR);

    expect(await status(source.token)).toBe(200);
    expect(await status(body.token)).toBe(200);
  });

  it("shows both tokens on the source, never a token or a hash", async () => {
    const source = await createSource("shown");
    const fresh = await rotated(source.id, { grace: "1h" });
    const text = await (await api(`/api/sources/${source.id}`)).text();
    for (const secret of [
      source.token,
      fresh.token,
      await hashToken(source.token),
      await hashToken(fresh.token),
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(text).tokens).toEqual(fresh.tokens);
    const listed = await (await api("/api/sources")).text();
    expect(listed).not.toContain(await hashToken(fresh.token));
  });

  it("shows one current token on a source never rotated", async () => {
    const source = await createSource("never rotated");
    const shown = (await (await api(`/api/sources/${source.id}`)).json()) as Rotated;
    expect(shown.tokens).toEqual([{ current: true }]);
  });

  it("accepts both tokens during the grace and only the new one after it", async () => {
    const source = await createSource("graced");
    const now = nowMs();
    const fresh = await rotated(source.id, { grace: "24h" });
    for (const at of [now, now + 23 * HOUR, now + 24 * HOUR - 60_000]) {
      expect(await worksAt(source.token, at)).toBe(true);
      expect(await worksAt(fresh.token, at)).toBe(true);
    }
    for (const at of [now + 24 * HOUR + 60_000, now + 8 * 24 * HOUR]) {
      expect(await worksAt(source.token, at)).toBe(false);
      expect(await worksAt(fresh.token, at)).toBe(true);
    }
  });

  it("stops the old token when a short grace ends, even in this isolate's cache", async () => {
    const source = await createSource("short grace");
    const fresh = await rotated(source.id, { grace: "2s" });
    expect(await status(source.token)).toBe(200); // now cached in this isolate
    const until = Date.parse(fresh.tokens[1]?.expires_at ?? "");
    await new Promise((resolve) => setTimeout(resolve, until - nowMs() + 50));
    expect(await status(source.token)).toBe(401);
    expect(await status(fresh.token)).toBe(200);
  });

  it.each(["0s", "0"])("refuses the old token at once with a grace of %j", async (grace) => {
    const source = await createSource(`leaked (${grace})`);
    expect(await status(source.token)).toBe(200); // cached in this isolate: the rotation must drop it
    const fresh = await rotated(source.id, { grace });
    expect(fresh.tokens).toEqual([{ current: true }]);
    expect(await status(source.token)).toBe(401);
    expect(await status(fresh.token)).toBe(200);
  });

  it("ends every older token no later than the newest grace, and never extends one", async () => {
    const source = await createSource("rotated thrice");
    const now = nowMs();
    const second = await rotated(source.id, { grace: "1h" });
    const third = await rotated(source.id, { grace: "7d" });
    expect(third.tokens.map((token) => token.current)).toEqual([true, false, false]);
    // The first token keeps its 1 h; the second gets the 7 days.
    expect(await worksAt(source.token, now + 2 * HOUR)).toBe(false);
    expect(await worksAt(second.token, now + 2 * HOUR)).toBe(true);
    // A rotation with no grace ends both at once.
    const fourth = await rotated(source.id, { grace: "0s" });
    for (const token of [source.token, second.token, third.token]) expect(await status(token)).toBe(401);
    expect(await status(fourth.token)).toBe(200);
  });

  it("refuses both tokens after a revoke, and shows none", async () => {
    const source = await createSource("rotated then revoked");
    const fresh = await rotated(source.id, { grace: "7d" });
    expect(await status(source.token)).toBe(200);
    expect(await status(fresh.token)).toBe(200);
    expect((await api(`/api/sources/${source.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await status(source.token)).toBe(401);
    expect(await status(fresh.token)).toBe(401);
    // Both hashes carry their own one-way revocation key, not only the source's.
    for (const token of [source.token, fresh.token]) {
      expect(await env.SOURCES.get(`revoked:${await hashToken(token)}`)).toEqual(expect.any(String));
    }
    const shown = (await (await api(`/api/sources/${source.id}`)).json()) as Rotated & { disabled: boolean };
    expect(shown).toMatchObject({ disabled: true, tokens: [] });
    expect((await rotate(source.id)).status).toBe(409);
  });
});

describe("rotation racing other changes", { tags: ["any-day"] }, () => {
  it("never leaves a working token when a rotate races a DELETE (20 concurrent pairs)", async () => {
    for (let i = 0; i < 20; i++) {
      const source = await createSource(`rotate race ${i}`);
      if (i % 2 === 0) expect(await status(source.token)).toBe(200); // half with a cached lookup
      const [rotation, deleted] = await Promise.all([
        rotate(source.id, { grace: "7d" }),
        api(`/api/sources/${source.id}`, { method: "DELETE" }),
      ]);
      expect(deleted.status).toBe(204);
      expect([200, 409]).toContain(rotation.status);
      const tokens = [source.token];
      if (rotation.status === 200) tokens.push(((await rotation.json()) as Rotated).token);
      for (const token of tokens) {
        expect(await status(token)).toBe(401);
        expect(await worksAt(token, nowMs())).toBe(false);
      }
      const shown = (await (await api(`/api/sources/${source.id}`)).json()) as { disabled: boolean };
      expect(shown.disabled).toBe(true);
    }
  });

  it("leaves no working token when a rotation that read the source before a DELETE writes after it", async () => {
    const source = await createSource("stale rotation");
    const late = delayedWrites(env.SOURCES);
    const rotation = rotateSource(late.kv, source.id, 7 * 24 * HOUR, "https://itoc.example.com", {
      db: env.DB,
      actor: SYSTEM,
    });
    await late.reached;
    expect((await api(`/api/sources/${source.id}`, { method: "DELETE" })).status).toBe(204);
    late.open();
    const fresh = await rotation;
    if (typeof fresh === "string") throw new Error(`the rotation answered ${fresh}`);
    // The revoke could not know the new token's hash; the source's own revocation key covers it.
    expect(await status(fresh.token)).toBe(401);
    expect(await status(source.token)).toBe(401);
  });

  it("keeps which token is current when a PATCH that read the source before a rotation writes after it", async () => {
    const source = await createSource("stale patch");
    const late = delayedWrites(env.SOURCES);
    const change = changeSource(late.kv, source.id, (record) => ({ ...record, name: "renamed late" }), {
      db: env.DB,
      actor: SYSTEM,
    });
    await late.reached;
    const fresh = await rotated(source.id, { grace: "1h" });
    late.open();
    await change;
    const shown = (await (await api(`/api/sources/${source.id}`)).json()) as Rotated & { name: string };
    expect(shown).toMatchObject({ name: "renamed late", tokens: fresh.tokens });
    // So the leak response still finds the token Jenkins holds now: both old tokens end at once.
    const leak = await rotated(source.id, { grace: "0s" });
    expect(await status(fresh.token)).toBe(401);
    expect(await status(source.token)).toBe(401);
    expect(await status(leak.token)).toBe(200);
  });

  it("keeps the rotation when a PATCH races it, and a later DELETE still refuses every token", async () => {
    for (let i = 0; i < 20; i++) {
      const source = await createSource(`patch race ${i}`);
      const [rotation, patched] = await Promise.all([
        rotate(source.id, { grace: "1h" }),
        api(`/api/sources/${source.id}`, {
          method: "PATCH",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ name: `renamed ${i}` }),
        }),
      ]);
      expect(patched.status).toBe(200);
      const fresh = (await rotation.json()) as Rotated;
      // The PATCH wrote the record back, not which token is current.
      const shown = (await (await api(`/api/sources/${source.id}`)).json()) as Rotated;
      expect(shown.tokens).toHaveLength(2);
      expect(await status(fresh.token)).toBe(200);
      expect(await status(source.token)).toBe(200);
      expect((await api(`/api/sources/${source.id}`, { method: "DELETE" })).status).toBe(204);
      expect(await status(fresh.token)).toBe(401);
      expect(await status(source.token)).toBe(401);
    }
  });
});

describe("bad rotation requests", { tags: ["any-day"] }, () => {
  it.each([
    ["a grace over 7 days", { grace: "8d" }, "at most 7 days"],
    ["169 hours", { grace: "169h" }, "at most 7 days"],
    ["an unknown unit", { grace: "3w" }, 'expected a duration such as "30m", "24h" or "7d" ("0s" for none)'],
    ["a fraction", { grace: "1.5h" }, 'expected a duration such as "30m", "24h" or "7d" ("0s" for none)'],
    [
      "a negative grace",
      { grace: "-1h" },
      'expected a duration such as "30m", "24h" or "7d" ("0s" for none)',
    ],
    ["an empty grace", { grace: "" }, 'expected a duration such as "30m", "24h" or "7d" ("0s" for none)'],
    ["a number", { grace: 3600 }, "expected string"],
  ])("400 for %s, and nothing rotated", async (_, body, message) => {
    const source = await createSource("badly rotated");
    const res = await rotate(source.id, body);
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ errors: [{ path: "grace", message }] });
    const shown = (await (await api(`/api/sources/${source.id}`)).json()) as Rotated;
    expect(shown.tokens).toEqual([{ current: true }]);
  });

  it("400 for a body that is not JSON", async () => {
    const source = await createSource("not json");
    const res = await api(`/api/sources/${source.id}/rotate`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{grace",
    });
    expect(res.status).toBe(400);
  });

  it("404 for an unknown source and for an id that is not a source id", async () => {
    expect((await rotate(crypto.randomUUID())).status).toBe(404);
    expect((await rotate("x".repeat(600))).status).toBe(404);
  });

  it("405 for other methods, 401 without the admin token", async () => {
    const source = await createSource("methods");
    const res = await api(`/api/sources/${source.id}/rotate`);
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    const anonymous = await api(`/api/sources/${source.id}/rotate`, {
      method: "POST",
      headers: { Authorization: "Bearer wrong" },
    });
    expect(anonymous.status).toBe(401);
  });
});
