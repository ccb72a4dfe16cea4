/** Revocation is final: no concurrent or later write can bring a revoked token back. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SYSTEM } from "../../src/audit/actor";
import { revokeSource } from "../../src/sources/actions";
import { api, buildPayload, createSource, deliver } from "../helpers";
import { logsOfEachTest } from "../logs";

const logs = logsOfEachTest();
const refusedToken = expect.objectContaining({ event: "delivery_rejected", status: 401, source_id: null });

const patch = (id: string, body: unknown) =>
  api(`/api/sources/${id}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("revoking a source", () => {
  it("holds against 20 concurrent PATCH + DELETE pairs: the token is refused after every one", async () => {
    for (let i = 0; i < 20; i++) {
      const source = await createSource(`race ${i}`);
      const [patched, deleted] = await Promise.all([
        patch(source.id, { name: `renamed ${i}`, quiet_lifecycle: true }),
        api(`/api/sources/${source.id}`, { method: "DELETE" }),
      ]);
      expect(deleted.status).toBe(204);
      expect(patched.status).toBe(200);
      const headers = { "CF-Connecting-IP": `198.18.0.${i}` };
      const res = await deliver(buildPayload({ job: "race", number: i + 1 }), {
        token: source.token,
        headers,
      });
      expect(res.status).toBe(401);
      // A PATCH after the revoke cannot undo it either.
      await patch(source.id, { name: `after ${i}` });
      expect(
        (await deliver(buildPayload({ job: "race", number: i + 1 }), { token: source.token })).status,
      ).toBe(401);
      const listed = (await (await api(`/api/sources/${source.id}`)).json()) as { disabled: boolean };
      expect(listed.disabled).toBe(true);
    }
    expect(logs.named("delivery_rejected")).toEqual(Array(40).fill(refusedToken));
    expect(logs.lines).toHaveLength(40);
  });

  it("lists a revoked source as disabled even if its record was written back", async () => {
    const source = await createSource("written back");
    await api(`/api/sources/${source.id}`, { method: "DELETE" });
    await patch(source.id, { name: "still revoked" });
    const { sources } = (await (await api("/api/sources")).json()) as {
      sources: { id: string; disabled: boolean; revoked_at?: string }[];
    };
    expect(sources.find((s) => s.id === source.id)).toMatchObject({
      disabled: true,
      revoked_at: expect.any(String),
    });
  });
});

describe("a revoke that fails halfway", () => {
  it("never shows a source revoked while its token still works", async () => {
    const source = await createSource("half revoked");
    // KV refuses the token's revocation key: the revoke fails before anything says it succeeded.
    const flaky = new Proxy(env.SOURCES, {
      get(target, property) {
        if (property === "put") {
          return (key: string, ...rest: [string]) =>
            key.startsWith("revoked:")
              ? Promise.reject(new Error("KV PUT failed"))
              : target.put(key, ...rest);
        }
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    await expect(revokeSource(flaky, source.id, { db: env.DB, actor: SYSTEM })).rejects.toThrow(
      "KV PUT failed",
    );
    const shown = (await (await api(`/api/sources/${source.id}`)).json()) as { disabled: boolean };
    expect(shown.disabled).toBe(false);
    // So it can be revoked again, and then it is.
    expect((await api(`/api/sources/${source.id}`, { method: "DELETE" })).status).toBe(204);
    const res = await deliver(buildPayload({ job: "half", number: 1 }), {
      token: source.token,
      headers: { "CF-Connecting-IP": "198.18.1.1" },
    });
    expect(res.status).toBe(401);
    expect(logs.lines).toEqual([refusedToken]);
  });
});
