/**
 * The admin API's OpenAPI 3.1 document, built from valibot schemas by @valibot/to-json-schema.
 * Requests are described by the very schemas the routes validate with, on their input side (what a
 * client sends: `limit` is a string of digits, before the route turns it into a number); answers by
 * ../../routes/schemas.ts, as named components.
 */
import {
  type ConversionConfig,
  type JsonSchema,
  toJsonSchema,
  toJsonSchemaDefs,
} from "@valibot/to-json-schema";
import type * as v from "valibot";
import { MAX_LIMIT } from "./paging";
import { PROBLEM_JSON } from "./problem";

type Fields = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

const CONVERSION: ConversionConfig = {
  // OpenAPI 3.1's schema dialect is JSON Schema 2020-12.
  target: "draft-2020-12",
  // Pipes are read up to their first `transform`: what is sent, not what the route makes of it.
  typeMode: "input",
  // No JSON Schema keyword for these: `trim` reshapes a string, `check` is code (a cursor must decode),
  // `partial_check` relates fields (a heartbeat's `every` unless `off`).
  ignoreActions: ["trim", "check", "partial_check"],
  overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
};

/** One route as the document shows it (an OpenAPI Operation Object, with schemas still valibot's). */
export interface Operation {
  operationId: string;
  summary: string;
  /** Path parameters, named as in the path (`{id}`). */
  params?: Fields;
  query?: Fields;
  /** For parameters whose schema cannot say it all (a range checked after a transform). */
  notes?: Record<string, string>;
  /** The JSON body: a component's name. */
  body?: string;
  responses: Record<number, object>;
}

const ref = (component: string) => ({ $ref: `#/components/schemas/${component}` });

/** A JSON answer of the given component. */
export const jsonResponse = (description: string, component: string) => ({
  description,
  content: { "application/json": { schema: ref(component) } },
});

/** A problem+json answer (src/platform/http/problem.ts). */
export const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_JSON]: { schema: ref("Problem") } },
});

/** Every 400 the validator answers (./validate.ts). */
export const invalid = problemResponse(
  "Invalid request: `errors` lists each field path and what was expected.",
);

/** How the paged listings' `limit` and `cursor` are described (./paging.ts). */
export const PAGING_NOTES = {
  limit: `How many, 1 to ${MAX_LIMIT}.`,
  cursor: "The previous page's `next_cursor`.",
};

/** What authentication and roles (src/people/require-role.ts) can answer on any /api route, as shared components. */
const ADMIN_RESPONSES = {
  Unauthorized: problemResponse(
    "No valid credentials: a missing, wrong, revoked or expired token, or an Access assertion that fails (with `WWW-Authenticate`).",
  ),
  Forbidden: problemResponse(
    "The caller's role is below what the operation needs (the detail says which, and whom to ask).",
  ),
  TooManyRequests: problemResponse("Too many wrong tokens from this address (with `Retry-After`)."),
  AdminTokenUnusable: problemResponse(
    "ADMIN_TOKEN is unset, the example placeholder, or too short, and Cloudflare Access is not configured.",
  ),
};
const ADMIN_STATUSES: Record<number, keyof typeof ADMIN_RESPONSES> = {
  401: "Unauthorized",
  403: "Forbidden",
  429: "TooManyRequests",
  503: "AdminTokenUnusable",
};
const adminResponseRefs = Object.fromEntries(
  Object.entries(ADMIN_STATUSES).map(([status, name]) => [
    status,
    { $ref: `#/components/responses/${name}` },
  ]),
);

function parameters(where: "path" | "query", fields: Fields | undefined, notes: Record<string, string>) {
  if (!fields) return [];
  const { properties = {}, required = [] } = toJsonSchema(fields, CONVERSION);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: where,
    required: where === "path" || required.includes(name),
    ...(notes[name] ? { description: notes[name] } : {}),
    schema,
  }));
}

function operation({ params, query, notes = {}, body, responses, ...rest }: Operation) {
  const parameterList = [...parameters("path", params, notes), ...parameters("query", query, notes)];
  return {
    ...rest,
    ...(parameterList.length ? { parameters: parameterList } : {}),
    ...(body
      ? { requestBody: { required: true, content: { "application/json": { schema: ref(body) } } } }
      : {}),
    // An operation may describe one of the shared statuses more precisely (a 503 with a cause of its own).
    responses: { ...adminResponseRefs, ...responses },
  };
}

/** Paths of the document, each with its operations by method: what each resource's fragment gives. */
export type ApiPaths = Record<string, Record<string, Operation>>;

export interface ApiDescription {
  info: { title: string; version: string; description?: string };
  /** Path → method (lower case) → operation. */
  paths: ApiPaths;
  /** Named schemas (bodies and answers); a schema used inside another one becomes a `$ref`. */
  schemas: Record<string, v.GenericSchema>;
}

/** The OpenAPI 3.1 document: every operation needs a bearer token (personal or ADMIN_TOKEN) or Access; its role is in its description. */
export function openApiDocument({ info, paths, schemas }: ApiDescription) {
  return {
    openapi: "3.1.1",
    info,
    security: [{ adminToken: [] }, { access: [] }],
    paths: Object.fromEntries(
      Object.entries(paths).map(([path, operations]) => [
        path,
        Object.fromEntries(Object.entries(operations).map(([method, op]) => [method, operation(op)])),
      ]),
    ),
    components: {
      schemas: toJsonSchemaDefs(schemas, CONVERSION) as Record<string, JsonSchema>,
      responses: ADMIN_RESPONSES,
      securitySchemes: {
        adminToken: {
          type: "http",
          scheme: "bearer",
          description:
            "A personal API token (`itoc_pat_…`, POST /api/tokens) or the Worker's ADMIN_TOKEN secret.",
        },
        access: {
          type: "apiKey",
          in: "header",
          name: "Cf-Access-Jwt-Assertion",
          description: "Cloudflare Access's signed assertion, added by Access in front of the Worker.",
        },
      },
    },
  };
}
