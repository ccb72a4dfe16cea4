/** The OpenAPI description of the admin API's source routes: create, list, change, revoke, rotate. */
import * as v from "valibot";
import { type ApiPaths, invalid, jsonResponse, problemResponse } from "../platform/http/openapi";
import { RotationSchema } from "../sources/grace";
import { SourceIdSchema } from "../sources/model";
import { PolicySchema } from "../sources/policy";
import * as answers from "./schemas";
import { NewSourceSchema, SourceChangeSchema } from "./sources";

const SourceIdParam = v.object({ id: SourceIdSchema });
const noSource = problemResponse("No such source (or not a source id).");

export const sourcesPaths: ApiPaths = {
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
};

export const sourcesSchemas = {
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
};
