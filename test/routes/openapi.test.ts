/**
 * GET /api/openapi.json: a structurally valid OpenAPI 3.1 document that covers every mounted /api
 * route, with requests described from the routes' own schemas (their input side).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api as adminApp } from "../../src/routes/api";
import { api } from "../helpers";

interface Doc {
  openapi: string;
  info: { title: string; version: string };
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, Answer>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}
type Answer = { description: string; content?: Record<string, { schema?: { $ref: string } }>; $ref?: string };
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, Answer>;
}

let doc: Doc;

beforeAll(async () => {
  const res = await api("/api/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toContain("application/json");
  doc = await res.json();
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation })),
  );

/** Every `$ref` anywhere in the document. */
function refs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refs);
  if (!node || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "$ref" && typeof value === "string" ? [value] : refs(value),
  );
}

describe("GET /api/openapi.json", () => {
  it("needs the admin token like the rest of /api", async () => {
    const res = await api("/api/openapi.json", { headers: { Authorization: "Bearer wrong" } });
    expect(res.status).toBe(401);
    expect((await api("/api/openapi.json", { method: "POST" })).status).toBe(405);
  });

  it("is an OpenAPI 3.1 document secured by a bearer scheme or Cloudflare Access", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.access).toMatchObject({
      in: "header",
      name: "Cf-Access-Jwt-Assertion",
    });
    expect(doc.security).toEqual([{ adminToken: [] }, { access: [] }]);
    expect(Object.keys(doc.components.schemas).length).toBeGreaterThan(0);
  });

  it("gives each operation a unique id, its path parameters and described responses", () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, operation } of operations()) {
      expect(["get", "put", "post", "delete", "patch"]).toContain(method);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === "path");
      expect(declared.map((p) => p.name)).toEqual(inPath);
      expect(declared.every((p) => p.required)).toBe(true);
      const responses = Object.entries(operation.responses);
      expect(responses.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const [status, answer] of responses) {
        expect(status).toMatch(/^[1-5]\d\d$/);
        const shared = answer.$ref?.replace("#/components/responses/", "");
        expect((shared ? doc.components.responses[shared] : answer)?.description).toEqual(expect.any(String));
      }
    }
  });

  it("resolves every $ref within the document", () => {
    for (const ref of refs(doc)) {
      const [, section, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) ?? [];
      expect(section && name && doc.components[section as "schemas"]?.[name], ref).toBeDefined();
    }
  });

  it("documents every mounted /api route, and nothing else", () => {
    // src/index.ts mounts this app at /api; `all(...)` 405 handlers and middleware are method ALL.
    const mounted = adminApp.routes
      .filter((route) => route.method !== "ALL")
      .map((route) => `${route.method.toLowerCase()} /api${route.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = operations().map(({ path, method }) => `${method} ${path}`);
    expect(new Set(mounted).size).toBeGreaterThanOrEqual(10);
    expect([...new Set(mounted)].sort()).toEqual(documented.sort());
  });

  it("describes query and path parameters as sent, before the routes' transforms", () => {
    const query = (path: string) =>
      Object.fromEntries((doc.paths[path]?.get?.parameters ?? []).map((p) => [p.name, p]));
    const alerts = query("/api/alerts");
    expect(alerts.limit).toMatchObject({ required: false, schema: { type: "string", default: "50" } });
    expect(alerts.limit?.schema.pattern).toBe("^\\d+$");
    expect(alerts.cursor).toMatchObject({ required: false, schema: { type: "string" } });
    expect(alerts.kind?.schema).toEqual({ type: "string", enum: ["ALERT", "RESOLVE"] });
    expect(alerts.job?.schema).toEqual({ type: "string", maxLength: 4096 });
    expect(Object.keys(query("/api/jobs"))).toEqual(["state", "source_id", "limit", "cursor"]);
    expect(query("/api/alerts/{id}").id?.schema).toEqual({ type: "string", pattern: "^\\d{1,15}$" });
  });

  it("describes request bodies with their defaults and bounds", () => {
    const create = doc.paths["/api/sources"]?.post;
    expect(create?.requestBody).toMatchObject({
      required: true,
      content: { "application/json": { schema: { $ref: "#/components/schemas/NewSource" } } },
    });
    expect(doc.components.schemas.NewSource).toEqual({
      type: "object",
      properties: {
        name: { type: "string", minLength: 1, maxLength: 100 },
        quiet_lifecycle: { type: "boolean", default: false },
      },
      required: ["name"],
      // Unknown keys are refused (a misspelt field is a 400, not a silent no-op).
      additionalProperties: false,
    });
    expect(doc.components.schemas.SourceChange).toMatchObject({
      required: [],
      additionalProperties: false,
      properties: { policy: { $ref: "#/components/schemas/Policy" } },
    });
    expect(doc.components.schemas.Policy).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: [],
      properties: {
        jobs: { properties: { include: { maxItems: 20, items: { maxLength: 256 } } } },
        min_consecutive_failures: { type: "integer", minimum: 1, maximum: 100, default: 1 },
        priorities: { properties: { FAILURE: { default: "HIGH" }, MISSED_BUILD: { default: "MEDIUM" } } },
        silent_after: { default: null },
      },
    });
  });
});
