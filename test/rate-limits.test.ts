/** Per-source and per-client limits, on a real Rate Limiting binding with a budget of 3 a minute. */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { countingKV } from "./fault-bindings";
import { createSource, JSON_TYPE, notification } from "./helpers";

function send(token: string, overrides: Partial<Env>, options: { ip?: string; number?: number } = {}) {
  return worker.fetch(
    new Request(`https://itoc.example.com/webhooks/jenkins?token=${encodeURIComponent(token)}`, {
      method: "POST",
      headers: { "Content-Type": JSON_TYPE, "CF-Connecting-IP": options.ip ?? "192.0.2.1" },
      body: JSON.stringify(notification({ job: "limits", number: options.number ?? 1 })),
    }),
    { ...env, ...overrides },
    createExecutionContext(),
  );
}

describe("per-source rate limit", () => {
  it("answers 429 with Retry-After past the source's budget, and leaves other sources alone", async () => {
    const [noisy, quiet] = await Promise.all([createSource("noisy"), createSource("quiet")]);
    const tight = { SOURCE_RATE_LIMITER: env.TIGHT_RATE_LIMITER };
    const statuses: number[] = [];
    for (let n = 1; n <= 4; n++) statuses.push((await send(noisy.token, tight, { number: n })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const limited = await send(noisy.token, tight, { number: 5 });
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect(limited.headers.get("Content-Type")).toBe("application/problem+json");

    expect((await send(quiet.token, tight)).status).toBe(200);
  });
});

describe("failed authentications per client", () => {
  it("refuses a client past the cap with 429, without reading KV, and leaves other clients alone", async () => {
    const tight = { AUTH_RATE_LIMITER: env.TIGHT_RATE_LIMITER };
    const guess = (i: number) => `itoc_${String(i).padStart(32, "G")}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(guess(i), tight, { ip: "203.0.113.9" })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);

    // Even a real token is not looked up for that client until the window passes...
    const real = await createSource("behind the same address");
    const { kv, calls } = countingKV(env.SOURCES);
    const blocked = await send(real.token, { ...tight, SOURCES: kv }, { ip: "203.0.113.9" });
    expect(blocked.status).toBe(429);
    expect(calls.get).toBe(0);

    // ...while another client is served as usual.
    expect((await send(real.token, tight, { ip: "198.51.100.20" })).status).toBe(200);
  });
});
