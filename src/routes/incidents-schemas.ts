/**
 * What the admin API's incident routes answer, as valibot schemas for the OpenAPI document and
 * test/routes/api-answers.test.ts, like ./schemas.ts.
 */
import * as v from "valibot";
import { IncidentKindSchema, IncidentStateSchema, PrioritySchema, ResolverSchema } from "../core/vocabulary";
import { Integer, NextCursor, Timestamp } from "./schemas";

/** {@link toApiIncident}: the Incident model and its provider. */
export const IncidentSchema = v.object({
  id: Integer,
  kind: IncidentKindSchema,
  source_id: v.string(),
  source_name: v.string(),
  provider: v.literal("jenkins"),
  job: v.pipe(v.nullable(v.string()), v.description("The job's Jenkins full name; null for source_silent.")),
  job_display_name: v.nullable(v.string()),
  job_path: v.pipe(
    v.nullable(v.string()),
    v.description("The job path as displayed (multibranch names decoded)."),
  ),
  branch: v.nullable(v.string()),
  state: IncidentStateSchema,
  priority: v.pipe(PrioritySchema, v.description("The highest of its builds', after the source's policy.")),
  first_build: v.pipe(v.nullable(Integer), v.description("The streak's first paging build.")),
  last_build: v.nullable(Integer),
  build_count: v.pipe(Integer, v.description("Its paging builds (alert_ids lists the newest 100).")),
  opened_at: Timestamp,
  acknowledged_at: v.nullable(Timestamp),
  acknowledged_by: v.nullable(v.string()),
  resolved_at: v.nullable(Timestamp),
  resolved_by: v.nullable(ResolverSchema),
  resolved_by_build: v.nullable(Integer),
  resolved_by_name: v.pipe(v.nullable(v.string()), v.description("Who resolved it by hand (a label).")),
  silenced: v.boolean(),
  flaky: v.pipe(
    v.boolean(),
    v.description(
      'Every failing build of the incident failed only on tests known to be flaky (docs/incidents.md “Flaky tests”); false under the policy\'s `flaky: "page"`.',
    ),
  ),
  alert_ids: v.array(Integer),
  latest_alert_id: v.pipe(v.nullable(Integer), v.description("The alert of its latest build.")),
});

export const IncidentEventSchema = v.object({
  id: Integer,
  type: v.picklist(["opened", "joined", "acknowledged", "silenced", "unsilenced", "resolved"]),
  at: Timestamp,
  build_number: v.nullable(Integer),
  by: v.pipe(v.nullable(v.string()), v.description("`build`, `heartbeat`, a silence, or who acted by hand.")),
  note: v.nullable(v.string()),
});

export const IncidentListSchema = v.object({
  incidents: v.array(IncidentSchema),
  next_cursor: NextCursor,
});

/** What the incident owed a destination, and how sending it went (src/notify/store.ts). */
export const NotificationSchema = v.object({
  id: Integer,
  incident_id: Integer,
  destination_id: Integer,
  destination_name: v.pipe(v.nullable(v.string()), v.description("Null once the destination is deleted.")),
  destination_kind: v.nullable(v.picklist(["slack", "teams", "webhook"])),
  event: v.picklist(["opened", "acknowledged", "escalated", "resolved"]),
  state: v.pipe(
    v.picklist(["pending", "waiting", "delivered", "failed", "skipped"]),
    v.description(
      "pending: to send; waiting: held until opened is delivered or the silence ends; failed: given up (see last_error); skipped: its opened never went out.",
    ),
  ),
  attempts: Integer,
  last_status: v.pipe(
    v.nullable(Integer),
    v.description("The receiver's last HTTP status; null: no answer."),
  ),
  last_error: v.nullable(v.string()),
  created_at: Timestamp,
  next_attempt_at: Timestamp,
  delivered_at: v.nullable(Timestamp),
  gave_up_at: v.nullable(Timestamp),
  message_id: v.pipe(
    v.nullable(v.string()),
    v.description(
      "The webhook-id a webhook destination is sent it under (msg_…), the same on every attempt; null only for a row written during an upgrade, until its first attempt.",
    ),
  ),
});

/** {@link DeployBefore}: a deploy of the incident's source that finished in the hour before it opened. */
export const DeployBeforeSchema = v.object({
  alert_id: v.pipe(Integer, v.description("The alert of the deploy's green build.")),
  job: v.pipe(v.string(), v.description("The deploy job's Jenkins full name.")),
  job_path: v.pipe(
    v.string(),
    v.description("The deploy job's path as displayed, what `deploy_jobs` matched."),
  ),
  build_number: Integer,
  finished_at: v.pipe(Timestamp, v.description("When its green build (FINALIZED SUCCESS) was received.")),
  minutes_before: v.pipe(
    Integer,
    v.description("Whole minutes between its finish and the incident's opening (0 to 60)."),
  ),
});

export const IncidentWithTimelineSchema = v.object({
  ...IncidentSchema.entries,
  timeline: v.pipe(v.array(IncidentEventSchema), v.description("Oldest first; the newest 500 entries.")),
  notifications: v.array(NotificationSchema),
  deploys_before: v.pipe(
    v.array(DeployBeforeSchema),
    v.description(
      "Deploys (green builds of the policy's `deploy_jobs`) of its source that finished in the hour before it opened, newest first, at most 20.",
    ),
  ),
});

export const SentAgainSchema = v.object({ id: Integer, state: v.literal("pending") });
