/** The OpenAPI description of the admin API's alert routes: the listing and one alert's timeline. */
import {
  type ApiPaths,
  invalid,
  jsonResponse,
  PAGING_NOTES,
  problemResponse,
} from "../platform/http/openapi";
import { AlertIdParamSchema, AlertListQuerySchema } from "./alerts";
import * as answers from "./schemas";

export const alertsPaths: ApiPaths = {
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
};

export const alertsSchemas = {
  Alert: answers.AlertSchema,
  AlertEvent: answers.AlertEventSchema,
  TestSummary: answers.TestSummarySchema,
  AlertWithEvents: answers.AlertWithEventsSchema,
  AlertList: answers.AlertListSchema,
};
