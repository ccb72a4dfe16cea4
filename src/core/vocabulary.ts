/**
 * The product's words, each declared once as a value list with its valibot picklist and its type:
 * the payload schema, routes, the dashboard's filters, the tests and the soak import these instead of
 * re-listing them. No relative imports, so Node scripts can load it as it is.
 */
import * as v from "valibot";

/** `build.phase` as the plugin sends it (plugins ≤ 1.5 said FINISHED, read as FINALIZED). */
export const PHASES = ["QUEUED", "STARTED", "COMPLETED", "FINALIZED", "NONE"] as const;
export type Phase = (typeof PHASES)[number];

/** `build.status`: Jenkins' Result. */
export const STATUSES = ["SUCCESS", "UNSTABLE", "FAILURE", "NOT_BUILT", "ABORTED"] as const;
export type Status = (typeof STATUSES)[number];

/** `ALERT` or `RESOLVE`: what one event means (./classify.ts). */
export const KINDS = ["ALERT", "RESOLVE"] as const;
export type Kind = (typeof KINDS)[number];

export const PRIORITIES = ["HIGH", "MEDIUM", "LOW"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The product's priority for each build result (no result yet: LOW, see ./classify.ts). */
export const PRIORITY_BY_STATUS: Record<Status, Priority> = {
  FAILURE: "HIGH",
  UNSTABLE: "MEDIUM",
  ABORTED: "MEDIUM",
  NOT_BUILT: "MEDIUM",
  SUCCESS: "LOW",
};

/**
 * An alert's state: `open` (alerting), `resolved`, `stale` (open, but silent for too long: set by the
 * cron trigger) or `quiet` (a quiet-lifecycle source's build that has not failed).
 */
export const ALERT_STATES = ["open", "resolved", "stale", "quiet"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** A job's health (docs/alerts.md "Job health"). */
export const JOB_STATES = ["failing", "passing", "running", "unknown"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** An incident's kind (docs/incidents.md): a failure streak, a build that did not happen, a silent source. */
export const INCIDENT_KINDS = ["failure", "missed_build", "source_silent"] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** An incident's state: `open`, `acknowledged` (someone is on it) or `resolved`. */
export const INCIDENT_STATES = ["open", "acknowledged", "resolved"] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** How an incident was resolved: by a green build, by hand, or by the build or event a heartbeat waited for. */
export const RESOLVERS = ["build", "manual", "heartbeat"] as const;
export type Resolver = (typeof RESOLVERS)[number];

/** Where notifications go (docs/notifications.md): a Slack incoming webhook, a Teams Workflows webhook, or a signed webhook. */
export const DESTINATION_KINDS = ["slack", "teams", "webhook"] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** What a destination can be told about an incident; `escalated`: still open and unacknowledged after a while. */
export const NOTIFY_EVENTS = ["opened", "resolved", "acknowledged", "escalated"] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** "expected A, B or C", the message every picklist of ours gives. */
export function expectedOneOf(values: readonly string[]): string {
  return `expected ${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
}

const picklistOf = <const T extends readonly string[]>(values: T) =>
  v.picklist(values, expectedOneOf(values));

export const KindSchema = picklistOf(KINDS);
export const PrioritySchema = picklistOf(PRIORITIES);
export const AlertStateSchema = picklistOf(ALERT_STATES);
export const JobStateSchema = picklistOf(JOB_STATES);
export const IncidentKindSchema = picklistOf(INCIDENT_KINDS);
export const IncidentStateSchema = picklistOf(INCIDENT_STATES);
export const ResolverSchema = picklistOf(RESOLVERS);
export const DestinationKindSchema = picklistOf(DESTINATION_KINDS);
export const NotifyEventSchema = picklistOf(NOTIFY_EVENTS);
