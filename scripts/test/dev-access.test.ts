/**
 * `npm run dev -- --as <email>` (scripts/lib/dev-access.ts): the option, the refusal outside local
 * development (also through scripts/dev.mjs itself, before it touches anything), and the simulated
 * Access: every request through its proxy reaches the Worker with an assertion that verifies against the
 * key set and vars it hands `wrangler dev`, whatever Access headers the browser tried to send. A loopback
 * echo server stands in for the Worker.
 */
import { spawnSync } from "node:child_process";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import {
  refusalOutsideLocalDev,
  SIMULATED_TEAM,
  startSimulatedAccess,
  takeAsOption,
} from "../lib/dev-access.ts";

describe("--as", () => {
  it("is taken out of the arguments wrangler dev gets, in either spelling", () => {
    expect(takeAsOption(["--port", "8899", "--as", "alice@example.com"])).toEqual({
      as: "alice@example.com",
      rest: ["--port", "8899"],
    });
    expect(takeAsOption(["--as=bob@example.com", "--ip", "127.0.0.1"])).toEqual({
      as: "bob@example.com",
      rest: ["--ip", "127.0.0.1"],
    });
    expect(takeAsOption(["--port", "8899"])).toEqual({ as: null, rest: ["--port", "8899"] });
  });

  it.each([[["--as"]], [["--as", "--port"]], [["--as=alice"]]])("needs an email: %j", (args) => {
    expect(() => takeAsOption(args)).toThrow("--as needs an email");
  });

  it("runs in local development only", () => {
    expect(refusalOutsideLocalDev({}, ["--port", "8899"])).toBeNull();
    expect(refusalOutsideLocalDev({ CI: "false" }, [])).toBeNull();
    expect(refusalOutsideLocalDev({ CI: "true" }, [])).toContain("looks like CI");
    expect(refusalOutsideLocalDev({ WORKERS_CI: "1" }, [])).toContain("looks like CI");
    expect(refusalOutsideLocalDev({ NODE_ENV: "production" }, [])).toContain("NODE_ENV is production");
    expect(refusalOutsideLocalDev({}, ["--remote"])).toContain("not with --remote");
    expect(refusalOutsideLocalDev({}, ["--env=staging"])).toContain("not with --env");
    expect(refusalOutsideLocalDev({}, ["-e", "production"])).toContain("not with -e");
  });

  it("stops scripts/dev.mjs in CI before it writes or starts anything", () => {
    const { status, stderr } = spawnSync(process.execPath, ["scripts/dev.mjs", "--as", "alice@example.com"], {
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    });
    expect(status).toBe(2);
    expect(stderr.trim()).toBe("--as is for local development, and this looks like CI");
  });
});

describe("the simulated Access", () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(() => Promise.all(closers.map((close) => close())));

  /** A stand-in Worker that answers with the headers and body it got. */
  async function echoWorker(): Promise<string> {
    const server = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      res.writeHead(201, { "Content-Type": "application/json", "X-Echo": "yes" });
      res.end(JSON.stringify({ headers: req.headers, body, method: req.method, url: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((done) => server.close(done)));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("signs every request as the person, verifiably with the vars it gives wrangler dev", async () => {
    const access = await startSimulatedAccess("alice@example.com");
    closers.push(() => access.close());
    const vars = Object.fromEntries(
      access.wranglerArgs
        .filter((_, i) => i % 2 === 1)
        .map((pair) => [pair.slice(0, pair.indexOf(":")), pair.slice(pair.indexOf(":") + 1)]),
    );
    expect(vars.ACCESS_TEAM_DOMAIN).toBe(SIMULATED_TEAM);
    expect(vars.ACCESS_CERTS_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cdn-cgi\/access\/certs$/);
    const proxy = await access.proxy(await echoWorker());
    expect(proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const res = await fetch(`${proxy}/api/incidents/7/ack?x=1`, {
      method: "POST",
      headers: {
        "Cf-Access-Jwt-Assertion": "forged",
        "Cf-Access-Authenticated-User-Email": "mallory@example.com",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "note=on+it",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-echo")).toBe("yes");
    const seen = (await res.json()) as {
      headers: IncomingHttpHeaders;
      body: string;
      method: string;
      url: string;
    };
    expect(seen).toMatchObject({ method: "POST", url: "/api/incidents/7/ack?x=1", body: "note=on+it" });
    // The Host the browser used, so the Worker's own URL (redirects, same-origin checks) is the proxy's.
    expect(seen.headers.host).toBe(new URL(proxy).host);
    expect(seen.headers["cf-access-authenticated-user-email"]).toBeUndefined();

    const jwks = (await (await fetch(vars.ACCESS_CERTS_URL as string)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(
      seen.headers["cf-access-jwt-assertion"] as string,
      createLocalJWKSet(jwks),
      { algorithms: ["RS256"], audience: vars.ACCESS_AUD, issuer: `https://${SIMULATED_TEAM}` },
    );
    expect(payload.email).toBe("alice@example.com");
    expect(protectedHeader.kid).toBe(jwks.keys[0]?.kid);
  });

  it("answers 502 while the Worker is not listening", async () => {
    const access = await startSimulatedAccess("alice@example.com");
    closers.push(() => access.close());
    const gone = await echoWorker();
    await closers.pop()?.(); // the echo server, closed again
    const res = await fetch(`${await access.proxy(gone)}/`);
    expect(res.status).toBe(502);
  });
});
