/**
 * Notification → BuildEvent: everything the store needs to know about one delivery, derived once,
 * so storage and the API never reinterpret the payload.
 */
import { type Classification, classify, PHASE_RANK } from "./classify";
import { jobFullName, jobLabel } from "./job";
import type { Notification, Phase, Status } from "./notification";

export interface BuildEvent extends Classification {
  /** Jenkins full name, the job's identity. */
  job: string;
  jobDisplayName: string;
  buildNumber: number;
  phase: Phase;
  phaseRank: number;
  status: Status | null;
  /** `build.timestamp`; with source, job, build and phase it identifies a delivery. */
  timestamp: number;
  title: string;
  buildUrl: string | null;
  branch: string | null;
  commit: string | null;
}

export function toBuildEvent(notification: Notification): BuildEvent {
  const { build } = notification;
  // The schema has already checked that the path decodes.
  const job = jobFullName(notification.url) ?? notification.url;
  const status = build.status ?? null;
  return {
    ...classify(build.phase, build.status ?? undefined),
    job,
    jobDisplayName: notification.display_name || notification.name,
    buildNumber: build.number,
    phase: build.phase,
    phaseRank: PHASE_RANK[build.phase],
    status,
    timestamp: build.timestamp ?? 0,
    title: `${jobLabel(job)} #${build.number} ${status ?? build.phase}`,
    buildUrl: build.full_url ?? build.url ?? null,
    branch: build.scm?.branch ?? null,
    commit: build.scm?.commit ?? null,
  };
}
