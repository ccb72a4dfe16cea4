import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callWorker } from "../../helpers";

const UNUSABLE = "ADMIN_TOKEN is not set, is the example placeholder, or is shorter than 32 characters";

function call(path: string, init: RequestInit & { ip?: string }, overrides: Partial<Env> = {}) {
  const headers = new Headers(init.headers);
  headers.set("CF-Connecting-IP", init.ip ?? "192.0.2.50");
  return callWorker(path, { ...init, headers, redirect: "manual" }, overrides);
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe("failed admin authentications per client", () => {
  const tight = { AUTH_RATE_LIMITER: env.TIGHT_RATE_LIMITER };

  it("answers 429 with Retry-After past the budget, even for the right token, and leaves other clients alone", async () => {
    const ip = "203.0.113.41";
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await call("/api/sources", { ip, headers: bearer(`guess-${i}`) }, tight)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);

    const right = await call("/api/sources", { ip, headers: bearer(env.ADMIN_TOKEN) }, tight);
    expect(right.status).toBe(429);
    expect(right.headers.get("Retry-After")).toBe("60");
    expect(right.headers.get("Content-Type")).toBe("application/problem+json");

    const other = await call("/api/sources", { ip: "203.0.113.42", headers: bearer(env.ADMIN_TOKEN) }, tight);
    expect(other.status).toBe(200);
  });

  it("does not spend the budget on requests with the right token", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call("/api/alerts", { ip: "203.0.113.43", headers: bearer(env.ADMIN_TOKEN) }, tight);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });
});

describe("ADMIN_TOKEN strength", () => {
  const weak: [string, () => string | undefined][] = [
    ["missing", () => undefined],
    ["empty", () => ""],
    ["31 characters long", () => "x".repeat(31)],
    ["the placeholder from .dev.vars.example", () => env.EXAMPLE_ADMIN_TOKEN],
  ];

  it.each(weak)(
    "503 from the admin API when ADMIN_TOKEN is %s, even to that very token",
    async (_, token) => {
      const adminToken = token();
      const res = await call(
        "/api/sources",
        { headers: bearer(adminToken || "x") },
        { ADMIN_TOKEN: adminToken },
      );
      expect(res.status).toBe(503);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ status: 503, detail: UNUSABLE });
      if (adminToken) expect(text).not.toContain(adminToken);
    },
  );

  it.each(weak)("503 from the dashboard when ADMIN_TOKEN is %s", async (_, token) => {
    const adminToken = token();
    const page = await call("/login", {}, { ADMIN_TOKEN: adminToken });
    expect(page.status).toBe(503);
    expect(await page.json()).toMatchObject({ detail: UNUSABLE });

    const signIn = await call(
      "/login",
      {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://itoc.example.com" },
        body: new URLSearchParams({ token: adminToken ?? "", next: "/" }).toString(),
      },
      { ADMIN_TOKEN: adminToken },
    );
    expect(signIn.status).toBe(503);
    expect(signIn.headers.get("Set-Cookie")).toBeNull();
  });

  it("accepts a token of 32 characters", async () => {
    const token = "y".repeat(32);
    const res = await call("/api/sources", { headers: bearer(token) }, { ADMIN_TOKEN: token });
    expect(res.status).toBe(200);
  });
});
