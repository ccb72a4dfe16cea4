/** The OpenAPI description of `GET /api/flaky-tests`. */
import { type ApiPaths, invalid, jsonResponse, PAGING_NOTES } from "../platform/http/openapi";
import { FlakyTestListQuerySchema } from "./flaky-tests";
import { FlakyTestListSchema, FlakyTestSchema } from "./flaky-tests-schemas";

export const flakyTestsPaths: ApiPaths = {
  "/api/flaky-tests": {
    get: {
      operationId: "listFlakyTests",
      summary:
        "Flaky tests per source, job and test: failures, flips (a failure a rebuild at the same commit, or the next build without changes, passed) and when last seen; most flips first",
      query: FlakyTestListQuerySchema,
      notes: PAGING_NOTES,
      responses: { 200: jsonResponse("A page of flaky tests.", "FlakyTestList"), 400: invalid },
    },
  },
};

export const flakyTestsSchemas = {
  FlakyTest: FlakyTestSchema,
  FlakyTestList: FlakyTestListSchema,
};
