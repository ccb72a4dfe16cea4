import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { REQUIRED_MIGRATION } from "../../src/routes/ready";
import { throwingKV } from "../fault-bindings";
import { api, callWorker } from "../helpers";

const readyz = (overrides: Partial<Env> = {}) => callWorker("/readyz", {}, overrides);

async function problems(res: Response): Promise<string[]> {
  expect(res.status).toBe(503);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const body = (await res.json()) as { errors: { path: string }[] };
  return body.errors.map((e) => e.path);
}

const unreachableD1 = {
  prepare: () => {
    throw new Error("D1_ERROR: Network connection lost.");
  },
} as unknown as D1Database;

describe("GET /readyz", () => {
  it("is ready when the database is migrated, KV answers and ADMIN_TOKEN is usable", async () => {
    const res = await readyz();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  });

  it("expects the newest migration in migrations/", () => {
    expect(REQUIRED_MIGRATION).toBe(env.TEST_MIGRATIONS.at(-1)?.name);
  });

  it("503 naming the database when D1 is unreachable", async () => {
    expect(await problems(await readyz({ DB: unreachableD1 }))).toEqual(["DB"]);
  });

  it("503 naming the database when the newest migration is not applied", async () => {
    await env.DB.prepare("DELETE FROM d1_migrations WHERE name = ?1").bind(REQUIRED_MIGRATION).run();
    try {
      expect(await problems(await readyz())).toEqual(["DB"]);
    } finally {
      await env.DB.prepare("INSERT INTO d1_migrations (name) VALUES (?1)").bind(REQUIRED_MIGRATION).run();
    }
  });

  it("503 naming KV when it fails", async () => {
    expect(await problems(await readyz({ SOURCES: throwingKV(env.SOURCES) }))).toEqual(["SOURCES"]);
  });

  it("503 naming ADMIN_TOKEN, but not its value, when it is too weak", async () => {
    const weak = "short-admin-token";
    const res = await readyz({ ADMIN_TOKEN: weak });
    expect(await problems(res.clone())).toEqual(["ADMIN_TOKEN"]);
    expect(await res.text()).not.toContain(weak);
  });

  it("503 naming ACCESS_AUD when only half of Cloudflare Access is configured", async () => {
    expect(await problems(await readyz({ ACCESS_TEAM_DOMAIN: "acme.cloudflareaccess.com" }))).toEqual([
      "ACCESS_AUD",
    ]);
    expect(await problems(await readyz({ ACCESS_AUD: "aud-tag" }))).toEqual(["ACCESS_AUD"]);
    const both = { ACCESS_TEAM_DOMAIN: "acme.cloudflareaccess.com", ACCESS_AUD: "aud-tag" };
    expect((await readyz(both)).status).toBe(200);
  });

  it("503 naming DESTINATIONS_KEY and the destination's id (never its name or URL) when one does not decrypt", async () => {
    // Sealed under other bytes with the same id k1: what a mistyped DESTINATIONS_KEY looks like.
    const other = { DESTINATIONS_KEY: `k1:${btoa("thirty-two bytes, but not k1's!!")}` };
    const res = await api(
      "/api/destinations",
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          name: "Ops pager",
          kind: "slack",
          url: "https://hooks.example.com/ops-pager",
        }),
      },
      other,
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    try {
      const answer = await readyz();
      const body = (await answer.clone().json()) as { errors: { path: string; message: string }[] };
      expect(await problems(answer)).toEqual(["DESTINATIONS_KEY"]);
      expect(body.errors[0]?.message).toMatch(new RegExp(`^destination ${id} cannot be decrypted`));
      const text = JSON.stringify(body);
      expect(text).not.toContain("Ops pager");
      expect(text).not.toContain("hooks.example.com");
      // Unset, with a destination that needs it: named too.
      const unset = (await (await readyz({ DESTINATIONS_KEY: "" })).json()) as {
        errors: { path: string; message: string }[];
      };
      expect(unset.errors).toEqual([
        {
          path: "DESTINATIONS_KEY",
          message: expect.stringMatching(new RegExp(`destination ${id} need it$`)),
        },
      ]);
      // The key it was sealed with is back: ready.
      expect((await readyz(other)).status).toBe(200);
    } finally {
      await api(`/api/destinations/${id}`, { method: "DELETE" });
    }
    expect((await readyz()).status).toBe(200);
  });

  it("lists everything that is wrong at once", async () => {
    const res = await readyz({ DB: unreachableD1, SOURCES: throwingKV(env.SOURCES), ADMIN_TOKEN: undefined });
    expect(await problems(res)).toEqual(["DB", "SOURCES", "ADMIN_TOKEN"]);
  });
});
