/**
 * Unknown addresses: a browser gets the dashboard's 404 page, programs (and every API, webhook and
 * probe path) keep problem+json.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { NAVIGATION, page, signIn } from "../dashboard-client";

let session: string;

beforeAll(async () => {
  session = await signIn();
});

async function expectPage(res: Response) {
  expect(res.status).toBe(404);
  expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  expect(csp).toContain("default-src 'none'");
  const html = await res.text();
  expect(html).toContain("<h1>Not found</h1>");
  expect(html).toContain('href="/"');
  return html;
}

async function expectProblem(res: Response) {
  expect(res.status).toBe(404);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  expect(await res.json()).toMatchObject({ type: "urn:itoc360:problem:not-found", status: 404 });
}

describe("an unknown alert", () => {
  it("is a 404 page, not JSON, for a signed-in browser", async () => {
    const html = await expectPage(await page("/alerts/99999", { headers: NAVIGATION }, session));
    expect(html).toContain("Sign out");
  });

  it("is a 404 page whatever the Accept: it is a dashboard page", async () => {
    await expectPage(await page("/alerts/99999", {}, session));
  });

  it("sends a visitor without a session to sign in first, telling nothing about which ids exist", async () => {
    const res = await page("/alerts/99999", { headers: NAVIGATION });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/login?next=%2Falerts%2F99999");
  });
});

describe("an unknown address", () => {
  it.each(["/nope", "/alerts/not-a-number", "/sources/abc/def", "/jobs/x"])(
    "is a 404 page for a browser: %s",
    async (path) => {
      await expectPage(await page(path, { headers: NAVIGATION }, session));
    },
  );

  it("is a 404 page for a browser without a session too, without the navigation", async () => {
    const html = await expectPage(await page("/nope", { headers: NAVIGATION }));
    expect(html).not.toContain("Sign out");
  });

  it("varies by Accept, and is problem+json for a program", async () => {
    const res = await page("/nope", { headers: NAVIGATION }, session);
    expect(res.headers.get("Vary")).toContain("Accept");
    await expectProblem(await page("/nope", { headers: { Accept: "application/json" } }, session));
    await expectProblem(await page("/nope", {}, session));
  });

  it.each([
    "/api",
    "/api/nope",
    "/api/nope/deeper",
    "/webhooks/nope",
    "/functions/v1/nope",
    "/healthz/x",
    "/readyz/x",
  ])("stays problem+json under %s, even for a browser", async (path) => {
    await expectProblem(await page(path, { headers: NAVIGATION }, session));
  });

  it("stays problem+json for a form posted to it", async () => {
    const res = await page("/nope", {
      method: "POST",
      headers: {
        ...NAVIGATION,
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://itoc.example.com",
      },
      body: "a=1",
    });
    await expectProblem(res);
  });
});
