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
