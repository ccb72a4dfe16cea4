/**
 * The product rule, per event: FINALIZED + SUCCESS resolves, everything else alerts; priority comes
 * from the build status alone (docs/jenkins-wire-format.md §6 settles the cases the rule leaves open).
 */
import {
  type AlertState,
  type Kind,
  type Phase,
  PRIORITY_BY_STATUS,
  type Priority,
  type Status,
} from "./vocabulary";

export interface Classification {
  kind: Kind;
  priority: Priority;
}

export function classify(phase: Phase, status: Status | undefined): Classification {
  return {
    kind: phase === "FINALIZED" && status === "SUCCESS" ? "RESOLVE" : "ALERT",
    // No status yet: the build is queued or running and nothing has failed.
    priority: status ? PRIORITY_BY_STATUS[status] : "LOW",
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
