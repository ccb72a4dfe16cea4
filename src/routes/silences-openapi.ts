/** The OpenAPI description of /api/silences (./silences.ts). */

import {
  type ApiPaths,
  invalid,
  jsonResponse,
  PAGING_NOTES,
  problemResponse,
} from "../platform/http/openapi";
import { NewSilenceSchema } from "../silences/schema";
import { MAX_SILENCES_IN_FORCE } from "../silences/store";
import { SilenceIdParamSchema, SilenceListQuerySchema } from "./silences";
import * as answers from "./silences-schemas";

const noSilence = problemResponse("No such silence.");

export const silencesPaths: ApiPaths = {
  "/api/silences": {
    post: {
      operationId: "createSilence",
      summary:
        "Silence matching incidents from starts_at to ends_at, optionally only in weekly windows; open incidents it matches are flagged at once",
      body: "NewSilence",
      responses: {
        201: jsonResponse("The silence.", "Silence"),
        400: invalid,
        409: problemResponse(`${MAX_SILENCES_IN_FORCE} silences are active or upcoming already.`),
      },
    },
    get: {
      operationId: "listSilences",
      summary: "Silences, newest first; `status` picks active, upcoming or ended ones",
      query: SilenceListQuerySchema,
      notes: PAGING_NOTES,
      responses: { 200: jsonResponse("A page of silences.", "SilenceList"), 400: invalid },
    },
  },
  "/api/silences/{id}": {
    get: {
      operationId: "getSilence",
      summary: "One silence",
      params: SilenceIdParamSchema,
      responses: { 200: jsonResponse("The silence.", "Silence"), 400: invalid, 404: noSilence },
    },
    delete: {
      operationId: "endSilence",
      summary: "End a silence now (idempotent); incidents no other silence covers are unsilenced",
      params: SilenceIdParamSchema,
      responses: { 200: jsonResponse("The ended silence.", "Silence"), 400: invalid, 404: noSilence },
    },
  },
};

export const silencesSchemas = {
  NewSilence: NewSilenceSchema,
  Silence: answers.SilenceSchema,
  SilenceRecurrence: answers.SilenceRecurrenceSchema,
  SilenceList: answers.SilenceListSchema,
};
