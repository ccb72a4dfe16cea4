/** The OpenAPI description of the admin API's destination routes (notifications). */

import {
  DestinationChangeSchema,
  DestinationIdParamSchema,
  DestinationListQuerySchema,
  NewDestinationSchema,
} from "../notify/destinations/schema";
import { MAX_DESTINATIONS } from "../notify/destinations/writes";
import {
  type ApiPaths,
  invalid,
  jsonResponse,
  PAGING_NOTES,
  problemResponse,
} from "../platform/http/openapi";
import * as answers from "./destinations-schemas";

const noDestination = problemResponse("No such destination.");
const unreadable = problemResponse(
  "Its stored URL or secret is under a key no longer in DESTINATIONS_KEY (or does not decrypt).",
);
/** Replaces the shared 503: these routes also need DESTINATIONS_KEY. */
const unavailable = problemResponse(
  "ADMIN_TOKEN is unusable, or DESTINATIONS_KEY is unset or not `<id>:<base64 of 32 bytes>`[,…].",
);

export const destinationPaths: ApiPaths = {
  "/api/destinations": {
    post: {
      operationId: "createDestination",
      summary: "Add a Slack, Teams or webhook destination; a webhook's signing secret is shown only here",
      body: "NewDestination",
      responses: {
        201: jsonResponse("The destination (and a webhook's `secret`).", "CreatedDestination"),
        400: invalid,
        409: problemResponse(`There are ${MAX_DESTINATIONS} destinations already.`),
        503: unavailable,
      },
    },
    get: {
      operationId: "listDestinations",
      summary: "Destinations, oldest first (URLs as scheme and host only)",
      query: DestinationListQuerySchema,
      notes: PAGING_NOTES,
      responses: {
        200: jsonResponse("A page of destinations.", "DestinationList"),
        400: invalid,
        503: unavailable,
      },
    },
  },
  "/api/destinations/reencrypt": {
    post: {
      operationId: "reencryptDestinations",
      summary:
        "After a key rotation: rewrite every stored URL and secret under the first key of DESTINATIONS_KEY",
      responses: { 200: jsonResponse("What was rewritten.", "Reencryption"), 503: unavailable },
    },
  },
  "/api/destinations/{id}": {
    get: {
      operationId: "getDestination",
      summary: "One destination",
      params: DestinationIdParamSchema,
      responses: {
        200: jsonResponse("The destination.", "Destination"),
        400: invalid,
        404: noDestination,
        503: unavailable,
      },
    },
    patch: {
      operationId: "changeDestination",
      summary: "Change a destination or re-enable it (`disabled: false`); re-encrypts under the current key",
      params: DestinationIdParamSchema,
      body: "DestinationChange",
      responses: {
        200: jsonResponse("The destination.", "Destination"),
        400: invalid,
        404: noDestination,
        409: unreadable,
        503: unavailable,
      },
    },
    delete: {
      operationId: "deleteDestination",
      summary: "Delete a destination",
      params: DestinationIdParamSchema,
      responses: { 204: { description: "Deleted." }, 400: invalid, 404: noDestination, 503: unavailable },
    },
  },
  "/api/destinations/{id}/test": {
    post: {
      operationId: "testDestination",
      summary: "Send a test message (a made-up incident); a 410 from the receiver disables the destination",
      params: DestinationIdParamSchema,
      responses: {
        200: jsonResponse("What the receiver answered.", "DestinationTest"),
        400: invalid,
        404: noDestination,
        409: unreadable,
        503: unavailable,
      },
    },
  },
};

export const destinationSchemas = {
  NewDestination: NewDestinationSchema,
  DestinationChange: DestinationChangeSchema,
  DestinationMatch: answers.DestinationMatchAnswerSchema,
  Destination: answers.DestinationSchema,
  CreatedDestination: answers.CreatedDestinationSchema,
  DestinationList: answers.DestinationListSchema,
  DestinationTest: answers.DestinationTestSchema,
  Reencryption: answers.ReencryptionSchema,
};
