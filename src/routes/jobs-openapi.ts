/** The OpenAPI description of the job routes: job health, one job, its history, its heartbeat. */
import {
  type ApiPaths,
  invalid,
  jsonResponse,
  PAGING_NOTES,
  problemResponse,
} from "../platform/http/openapi";
import { HeartbeatChangeSchema, JobIdParamSchema, JobListQuerySchema } from "./jobs";
import { HistoryBuildSchema, JobHistorySchema } from "./jobs-schemas";
import * as answers from "./schemas";

const noJob = problemResponse("No such job.");

export const jobsPaths: ApiPaths = {
  "/api/jobs": {
    get: {
      operationId: "listJobs",
      summary: "Job health, one entry per source and job, newest job first",
      query: JobListQuerySchema,
      notes: PAGING_NOTES,
      responses: { 200: jsonResponse("A page of jobs.", "JobList"), 400: invalid },
    },
  },
  "/api/jobs/{id}": {
    get: {
      operationId: "getJob",
      summary: "One job's health and heartbeat",
      params: JobIdParamSchema,
      responses: { 200: jsonResponse("The job.", "Job"), 400: invalid, 404: noJob },
    },
  },
  "/api/jobs/{id}/history": {
    get: {
      operationId: "getJobHistory",
      summary:
        "The job's newest 50 builds, failure rates over 7 and 30 days, time to green, median duration, open incidents",
      params: JobIdParamSchema,
      responses: { 200: jsonResponse("The job's history.", "JobHistory"), 400: invalid, 404: noJob },
    },
  },
  "/api/jobs/{id}/heartbeat": {
    put: {
      operationId: "setJobHeartbeat",
      summary:
        'Set how often the job should start a build (`{"every": "24h", "grace": "2h"}`), or turn its heartbeat off (`{"off": true}`)',
      params: JobIdParamSchema,
      body: "HeartbeatChange",
      responses: { 200: jsonResponse("The job, with its heartbeat.", "Job"), 400: invalid, 404: noJob },
    },
    delete: {
      operationId: "learnJobHeartbeat",
      summary: "Forget the hand-set heartbeat (or off): learn it from the job's build starts again",
      params: JobIdParamSchema,
      responses: { 200: jsonResponse("The job, with its heartbeat.", "Job"), 400: invalid, 404: noJob },
    },
  },
};

export const jobsSchemas = {
  Job: answers.JobSchema,
  JobList: answers.JobListSchema,
  Heartbeat: answers.HeartbeatSchema,
  JobHistory: JobHistorySchema,
  HistoryBuild: HistoryBuildSchema,
  HeartbeatChange: HeartbeatChangeSchema,
};
