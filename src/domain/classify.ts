/**
 * The product rule, per event: FINALIZED + SUCCESS resolves, everything else alerts; priority comes
 * from the build status alone (format reference §7 settles the cases the rule leaves open).
 */
import type { Phase, Status } from "./notification";

export type Kind = "ALERT" | "RESOLVE";
export type Priority = "HIGH" | "MEDIUM" | "LOW";

export interface Classification {
  kind: Kind;
  priority: Priority;
}

const PRIORITY: Record<Status, Priority> = {
  FAILURE: "HIGH",
  UNSTABLE: "MEDIUM",
  ABORTED: "MEDIUM",
  NOT_BUILT: "MEDIUM",
  SUCCESS: "LOW",
};

export function classify(phase: Phase, status: Status | undefined): Classification {
  return {
    kind: phase === "FINALIZED" && status === "SUCCESS" ? "RESOLVE" : "ALERT",
    // No status yet: the build is queued or running and nothing has failed.
    priority: status ? PRIORITY[status] : "LOW",
  };
}

/**
 * How far a build has got. An alert only ever moves forward along this order, so a late or retried
 * earlier phase cannot drag it back; NONE (manual `notifyEndpoints` sends) never advances it.
 */
export const PHASE_RANK: Record<Phase, number> = {
  NONE: 0,
  QUEUED: 1,
  STARTED: 2,
  COMPLETED: 3,
  FINALIZED: 4,
};

/**
 * An alert's state: `open` (alerting), `resolved`, `stale` (open, but silent for too long: set by
 * the cron trigger) or `quiet` (a quiet-lifecycle source's build that has not failed).
 */
export type AlertState = "open" | "resolved" | "stale" | "quiet";

/**
 * For a source with `quiet_lifecycle`, only failure-like outcomes open an alert: FAILURE, UNSTABLE,
 * ABORTED, or a FINALIZED without any result. QUEUED, STARTED and successful builds stay quiet.
 */
export function opensAlertWhenQuiet(phase: Phase, status: Status | undefined): boolean {
  if (status === "FAILURE" || status === "UNSTABLE" || status === "ABORTED") return true;
  return phase === "FINALIZED" && status === undefined;
}

/** The state a build's alert takes from this event alone (the store folds it with the stored one). */
export function eventState(kind: Kind, phase: Phase, status: Status | undefined, quiet: boolean): AlertState {
  if (kind === "RESOLVE") return quiet ? "quiet" : "resolved";
  return !quiet || opensAlertWhenQuiet(phase, status) ? "open" : "quiet";
}
