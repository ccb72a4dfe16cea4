/** The OpenAPI description of the admin API's incident routes. */

import { IncidentActionSchema, IncidentListQuerySchema } from "../incidents/schema";
import {
  type ApiPaths,
  invalid,
  jsonResponse,
  type Operation,
  PAGING_NOTES,
  problemResponse,
} from "../platform/http/openapi";
import { IncidentIdParamSchema, NotificationParamSchema } from "./incidents";
import * as incidents from "./incidents-schemas";

const noIncident = problemResponse("No such incident.");

const action = (operationId: string, summary: string): Operation => ({
  operationId,
  summary,
  params: IncidentIdParamSchema,
  body: "IncidentAction",
  responses: {
    200: jsonResponse("The incident and its timeline.", "IncidentWithTimeline"),
    400: invalid,
    404: noIncident,
  },
});

export const incidentPaths: ApiPaths = {
  "/api/incidents": {
    get: {
      operationId: "listIncidents",
      summary: "Incidents, newest first",
      query: IncidentListQuerySchema,
      notes: PAGING_NOTES,
      responses: { 200: jsonResponse("A page of incidents.", "IncidentList"), 400: invalid },
    },
  },
  "/api/incidents/{id}": {
    get: {
      operationId: "getIncident",
      summary: "One incident and its timeline, oldest entry first",
      params: IncidentIdParamSchema,
      responses: {
        200: jsonResponse("The incident and its timeline.", "IncidentWithTimeline"),
        400: invalid,
        404: noIncident,
      },
    },
  },
  "/api/incidents/{id}/acknowledge": {
    post: action(
      "acknowledgeIncident",
      "Acknowledge an open incident (idempotent); the timeline and the audit log record the verified identity of the caller, not `by`",
    ),
  },
  "/api/incidents/{id}/resolve": {
    post: action(
      "resolveIncident",
      "Resolve an incident by hand (idempotent); the job's next paging build opens a new one; the verified identity of the caller is recorded, not `by`",
    ),
  },
  "/api/incidents/{id}/notifications/{notification}/send": {
    post: {
      operationId: "sendNotificationAgain",
      summary:
        "Send a delivered or given-up notification again, with a fresh retry schedule and the same webhook-id",
      params: NotificationParamSchema,
      responses: {
        202: jsonResponse("Queued.", "SentAgain"),
        400: invalid,
        404: problemResponse("No such notification of this incident, or it is still being sent."),
      },
    },
  },
};

export const incidentSchemas = {
  Incident: incidents.IncidentSchema,
  IncidentEvent: incidents.IncidentEventSchema,
  IncidentList: incidents.IncidentListSchema,
  IncidentWithTimeline: incidents.IncidentWithTimelineSchema,
  IncidentAction: IncidentActionSchema,
  Notification: incidents.NotificationSchema,
  SentAgain: incidents.SentAgainSchema,
};
