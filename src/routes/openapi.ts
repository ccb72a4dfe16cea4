/**
 * GET /api/openapi.json (admin): the admin API's OpenAPI 3.1 document. Request schemas are imported
 * from the routes that validate with them. test/routes/openapi.test.ts checks that every /api route is here,
 * test/routes/api-answers.test.ts that real answers match the response schemas.
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../platform/env";
import { requireAdmin } from "../platform/http/admin-auth";
import {
  type ApiDescription,
  invalid,
  jsonResponse,
  openApiDocument,
  PAGING_NOTES,
  problemResponse,
} from "../platform/http/openapi";
import { methodNotAllowed } from "../platform/http/problem";
import { RotationSchema } from "../sources/grace";
import { SourceIdSchema } from "../sources/model";
import { PolicySchema } from "../sources/policy";
import { AlertIdParamSchema, AlertListQuerySchema } from "./alerts";
import { destinationPaths, destinationSchemas } from "./destinations-openapi";
import { incidentPaths, incidentSchemas } from "./incidents-openapi";
import { JobListQuerySchema } from "./jobs";
import { jobsPaths, jobsSchemas } from "./jobs-openapi";
import { operationsPaths, operationsSchemas } from "./operations-openapi";
import * as answers from "./schemas";
import { silencesPaths, silencesSchemas } from "./silences-openapi";
import { NewSourceSchema, SourceChangeSchema } from "./sources";

const SourceIdParam = v.object({ id: SourceIdSchema });
const noSource = problemResponse("No such source (or not a source id).");

/** The routes, their schemas and answers; also what the tests check real answers against. */
export const adminApi: ApiDescription = {
  info: {
    title: "ITOC360 Jenkins edge: admin API",
    // The API's own version, not the package's: raised when an answer changes incompatibly.
    version: "1",
    description:
      "Sources (Jenkins webhooks), alerts with their timelines, incidents, job health, rejection counts, notification destinations.",
  },
  paths: {
    "/api/sources": {
      post: {
        operationId: "createSource",
        summary: "Create a source; its token is shown only in this answer",
        body: "NewSource",
        responses: {
          201: jsonResponse("The source, its token and webhook URL.", "CreatedSource"),
          400: invalid,
        },
      },
      get: {
        operationId: "listSources",
        summary: "Every source with its delivery counters and noise policy (never tokens)",
        responses: { 200: jsonResponse("The sources.", "SourceList") },
      },
    },
    "/api/sources/{id}": {
      get: {
        operationId: "getSource",
        summary: "One source with its delivery counters and noise policy",
        params: SourceIdParam,
        responses: { 200: jsonResponse("The source.", "SourceDetail"), 404: noSource },
      },
      patch: {
        operationId: "changeSource",
        summary:
          "Rename a source, switch its quiet lifecycle, or replace its noise policy (in effect everywhere within 30 s)",
        params: SourceIdParam,
        body: "SourceChange",
        responses: {
          200: jsonResponse("The updated source and its policy.", "SourceWithPolicy"),
          400: invalid,
          404: noSource,
        },
      },
      delete: {
        operationId: "revokeSource",
        summary: "Revoke a source's token for good",
        params: SourceIdParam,
        responses: { 204: { description: "Revoked." }, 404: noSource },
      },
    },
    "/api/sources/{id}/rotate": {
      post: {
        operationId: "rotateSource",
        summary:
          "A new token, shown once; the old one keeps working for `grace` (default 24h, at most 7d; 0s: none)",
        params: SourceIdParam,
        body: "Rotation",
        responses: {
          200: jsonResponse("The source, its new token and URLs, and its tokens.", "RotatedSource"),
          400: invalid,
          404: noSource,
          409: problemResponse("The source is revoked: create a new one instead."),
        },
      },
    },
    "/api/alerts": {
      get: {
        operationId: "listAlerts",
        summary: "Alerts, newest first; without `state`, quiet builds are left out",
        query: AlertListQuerySchema,
        notes: PAGING_NOTES,
        responses: { 200: jsonResponse("A page of alerts.", "AlertList"), 400: invalid },
      },
    },
    "/api/alerts/{id}": {
      get: {
        operationId: "getAlert",
        summary: "One alert and its timeline, oldest event first",
        params: AlertIdParamSchema,
        responses: {
          200: jsonResponse("The alert and its events.", "AlertWithEvents"),
          400: invalid,
          404: problemResponse("No such alert."),
        },
      },
    },
    "/api/jobs": {
      get: {
        operationId: "listJobs",
        summary: "Job health, one entry per source and job, newest job first",
        query: JobListQuerySchema,
        notes: PAGING_NOTES,
        responses: { 200: jsonResponse("A page of jobs.", "JobList"), 400: invalid },
      },
    },
    ...incidentPaths,
    ...jobsPaths,
    ...operationsPaths,
    ...silencesPaths,
    ...destinationPaths,
    "/api/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This document",
        responses: { 200: { description: "The OpenAPI 3.1 document.", content: { "application/json": {} } } },
      },
    },
  },
  schemas: {
    NewSource: NewSourceSchema,
    SourceChange: SourceChangeSchema,
    Policy: PolicySchema,
    Source: answers.SourceSchema,
    SourcePolicy: answers.PolicyAnswerSchema,
    SourceWithPolicy: answers.SourceWithPolicySchema,
    SourceStats: answers.SourceStatsSchema,
    SourceWithStats: answers.SourceWithStatsSchema,
    SourceDetail: answers.SourceDetailSchema,
    Rotation: RotationSchema,
    RotatedSource: answers.RotatedSourceSchema,
    SourceList: answers.SourceListSchema,
    CreatedSource: answers.CreatedSourceSchema,
    Alert: answers.AlertSchema,
    AlertEvent: answers.AlertEventSchema,
    TestSummary: answers.TestSummarySchema,
    AlertWithEvents: answers.AlertWithEventsSchema,
    AlertList: answers.AlertListSchema,
    Job: answers.JobSchema,
    JobList: answers.JobListSchema,
    Heartbeat: answers.HeartbeatSchema,
    Problem: answers.ProblemSchema,
    ...incidentSchemas,
    ...jobsSchemas,
    ...operationsSchemas,
    ...silencesSchemas,
    ...destinationSchemas,
  },
};

/** Built on first request, then kept: a plain value, the same for every request. */
let document: ReturnType<typeof openApiDocument> | undefined;

export const openapi = new Hono<AppEnv>();

openapi.use(requireAdmin());

openapi.get("/", (c) => {
  document ??= openApiDocument(adminApi);
  return c.json(document);
});

openapi.all("/", methodNotAllowed("GET"));
