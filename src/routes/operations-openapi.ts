/** The OpenAPI description of the admin API's operations routes: stats and storage, dead letters. */

import {
  type ApiPaths,
  invalid,
  jsonResponse,
  PAGING_NOTES,
  problemResponse,
} from "../platform/http/openapi";
import { DeadLetterIdParamSchema, DeadLetterListQuerySchema } from "./dead-letters";
import * as operations from "./operations-schemas";

const noDeadLetter = problemResponse("No such dead letter.");

export const operationsPaths: ApiPaths = {
  "/api/stats": {
    get: {
      operationId: "getStats",
      summary: "Rejections no source can be blamed for (this isolate's count), and what the database holds",
      responses: { 200: jsonResponse("The counts.", "Stats") },
    },
  },
  "/api/dead-letters": {
    get: {
      operationId: "listDeadLetters",
      summary: "Messages the queues gave up on, newest first",
      query: DeadLetterListQuerySchema,
      notes: PAGING_NOTES,
      responses: { 200: jsonResponse("A page of dead letters.", "DeadLetterList"), 400: invalid },
    },
  },
  "/api/dead-letters/{id}": {
    get: {
      operationId: "getDeadLetter",
      summary: "One dead letter",
      params: DeadLetterIdParamSchema,
      responses: { 200: jsonResponse("The dead letter.", "DeadLetter"), 400: invalid, 404: noDeadLetter },
    },
    delete: {
      operationId: "discardDeadLetter",
      summary: "Discard a dead letter for good",
      params: DeadLetterIdParamSchema,
      responses: { 204: { description: "Discarded." }, 400: invalid, 404: noDeadLetter },
    },
  },
  "/api/dead-letters/{id}/replay": {
    post: {
      operationId: "replayDeadLetter",
      summary:
        "Put the message back on its queue (idempotent by the ingest rules), then delete the dead letter",
      params: DeadLetterIdParamSchema,
      responses: {
        202: jsonResponse("Back on its queue.", "Replayed"),
        400: invalid,
        404: noDeadLetter,
        409: problemResponse("No producer for the queue it died on."),
        503: problemResponse("The queue did not take it; the dead letter is kept."),
      },
    },
  },
};

export const operationsSchemas = {
  Stats: operations.StatsSchema,
  DeadLetter: operations.DeadLetterSchema,
  DeadLetterList: operations.DeadLetterListSchema,
  Replayed: operations.ReplayedSchema,
};
