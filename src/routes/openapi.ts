/**
 * GET /api/openapi.json (admin): the admin API's OpenAPI 3.1 document, assembled from each resource's
 * fragment (`<resource>-openapi.ts`, whose request schemas are the ones its routes validate with).
 * test/routes/openapi.test.ts checks that every /api route is here, test/routes/api-answers.test.ts that
 * real answers match the response schemas.
 */
import { Hono } from "hono";
import { type AuthEnv, requireRole } from "../people/require-role";
import { type ApiDescription, openApiDocument } from "../platform/http/openapi";
import { methodNotAllowed } from "../platform/http/problem";
import { alertsPaths, alertsSchemas } from "./alerts-openapi";
import { auditPaths, auditSchemas } from "./audit-openapi";
import { destinationPaths, destinationSchemas } from "./destinations-openapi";
import { flakyTestsPaths, flakyTestsSchemas } from "./flaky-tests-openapi";
import { incidentPaths, incidentSchemas } from "./incidents-openapi";
import { insightsPaths, insightsSchemas } from "./insights-openapi";
import { jobsPaths, jobsSchemas } from "./jobs-openapi";
import { operationsPaths, operationsSchemas } from "./operations-openapi";
import { peoplePaths, peopleSchemas } from "./people-openapi";
import * as answers from "./schemas";
import { silencesPaths, silencesSchemas } from "./silences-openapi";
import { sourcesPaths, sourcesSchemas } from "./sources-openapi";

/** The routes, their schemas and answers; also what the tests check real answers against. */
export const adminApi: ApiDescription = {
  info: {
    title: "ITOC360 Jenkins edge: admin API",
    // The API's own version, not the package's: raised when an answer changes incompatibly.
    version: "1",
    description:
      "Sources (Jenkins webhooks), alerts with their timelines, incidents, job health, flaky tests, rejection counts, notification destinations, people and their roles, personal API tokens, the audit log.",
  },
  paths: {
    ...sourcesPaths,
    ...alertsPaths,
    ...incidentPaths,
    ...jobsPaths,
    ...insightsPaths,
    ...flakyTestsPaths,
    ...operationsPaths,
    ...silencesPaths,
    ...destinationPaths,
    ...peoplePaths,
    ...auditPaths,
    "/api/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This document",
        responses: { 200: { description: "The OpenAPI 3.1 document.", content: { "application/json": {} } } },
      },
    },
  },
  schemas: {
    Problem: answers.ProblemSchema,
    ...sourcesSchemas,
    ...alertsSchemas,
    ...incidentSchemas,
    ...jobsSchemas,
    ...insightsSchemas,
    ...flakyTestsSchemas,
    ...operationsSchemas,
    ...silencesSchemas,
    ...destinationSchemas,
    ...peopleSchemas,
    ...auditSchemas,
  },
};

/** Built on first request, then kept: a plain value, the same for every request. */
let document: ReturnType<typeof openApiDocument> | undefined;

export const openapi = new Hono<AuthEnv>();

openapi.use(requireRole("admin"));

openapi.get("/", (c) => {
  document ??= openApiDocument(adminApi);
  return c.json(document);
});

openapi.all("/", methodNotAllowed("GET"));
