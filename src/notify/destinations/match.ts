/**
 * Routing: which incidents a destination hears about (`match`) and for which of their events (`on`).
 * Every rule a destination gives must hold; a destination without rules hears about every incident.
 * Globs are the policies' (../../platform/glob.ts), over the job path as displayed and the branch name. Pure.
 */
import * as v from "valibot";
import {
  type IncidentKind,
  IncidentKindSchema,
  type NotifyEvent,
  PRIORITIES,
  type Priority,
  PrioritySchema,
} from "../../core/vocabulary";
import { GlobBoundsSchema, MAX_GLOB_LENGTH, matchesGlob } from "../../platform/glob";

const GlobSchema = v.pipe(
  v.string("expected a glob"),
  v.minLength(1, "expected a glob"),
  v.maxLength(MAX_GLOB_LENGTH, `at most ${MAX_GLOB_LENGTH} characters`),
  GlobBoundsSchema,
);

/**
 * `match` as the API takes it. An unknown key is refused rather than dropped: a misspelt rule (`jobs`)
 * would otherwise route every incident to the destination. A strict object, not a loose one with a key
 * check: valibot leaves `__proto__`, `constructor` and `prototype` out of a loose object's output, so a
 * check on the output never saw them and `{"__proto__": …}` became `{}`, every incident.
 */
export const DestinationMatchSchema = v.pipe(
  v.strictObject({
    source_id: v.optional(
      v.pipe(v.string(), v.minLength(1, "expected a source id"), v.maxLength(64, "at most 64 characters")),
    ),
    job: v.optional(GlobSchema),
    branch: v.optional(GlobSchema),
    min_priority: v.optional(PrioritySchema),
    kinds: v.optional(v.pipe(v.array(IncidentKindSchema), v.minLength(1, "expected at least one kind"))),
  }),
  v.transform(({ source_id, job, branch, min_priority, kinds }) => ({
    ...(source_id !== undefined ? { source_id } : {}),
    ...(job !== undefined ? { job } : {}),
    ...(branch !== undefined ? { branch } : {}),
    ...(min_priority !== undefined ? { min_priority } : {}),
    ...(kinds !== undefined ? { kinds: [...new Set(kinds)] } : {}),
  })),
);

export interface DestinationMatch {
  source_id?: string;
  /** A glob over the job path as displayed (`acme/**`). An incident without a job (source_silent) never matches one. */
  job?: string;
  /** A glob over the branch; an incident without a branch never matches one. */
  branch?: string;
  /** This priority or a higher one (HIGH > MEDIUM > LOW). */
  min_priority?: Priority;
  kinds?: IncidentKind[];
}

/** What routing reads of an incident (the Incident model has all of it). */
export interface RoutedIncident {
  source_id: string;
  job_path: string | null;
  branch: string | null;
  priority: Priority;
  kind: IncidentKind;
}

const rank = (priority: Priority) => PRIORITIES.indexOf(priority);

/** Whether `incident` goes to a destination with these rules. */
export function routes(destination: { match: DestinationMatch }, incident: RoutedIncident): boolean {
  const { source_id, job, branch, min_priority, kinds } = destination.match;
  if (source_id !== undefined && source_id !== incident.source_id) return false;
  if (job !== undefined && (incident.job_path === null || !matchesGlob(job, incident.job_path))) return false;
  if (branch !== undefined && (incident.branch === null || !matchesGlob(branch, incident.branch)))
    return false;
  if (min_priority !== undefined && rank(incident.priority) > rank(min_priority)) return false;
  if (kinds !== undefined && !kinds.includes(incident.kind)) return false;
  return true;
}

/** Whether a destination wants to hear about `event` at all. */
export const subscribes = (destination: { on: readonly NotifyEvent[] }, event: NotifyEvent) =>
  destination.on.includes(event);
