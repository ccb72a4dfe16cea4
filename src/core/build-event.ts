/**
 * JenkinsPayload → BuildEvent: everything the store needs to know about one delivery, derived once,
 * so storage and the API never reinterpret the payload.
 */
import { cutText } from "./bounds";
import { type BuildContext, buildContext, isFinished } from "./build-context";
import { type Classification, classify, eventState, PHASE_RANK } from "./classify";
import { jobIdentity, jobLabel } from "./job";
import type { JenkinsPayload, Phase, Status } from "./payload";
import type { AlertState } from "./vocabulary";

export interface BuildEvent extends Classification, BuildContext {
  /** The job's key: its Jenkins full name, bounded (`jobIdentity`). */
  job: string;
  jobDisplayName: string;
  buildNumber: number;
  phase: Phase;
  phaseRank: number;
  status: Status | null;
  /** `build.timestamp`; with source, job, build and phase it identifies a delivery. */
  timestamp: number;
  /** When the build finished by Jenkins' clock: `timestamp` of a COMPLETED or FINALIZED event. */
  finishedTs: number | null;
  /** The state this event alone gives the build's alert. */
  state: AlertState;
  title: string;
  buildUrl: string | null;
  branch: string | null;
  commit: string | null;
}

export interface SourceSettings {
  /** Only failure-like outcomes open alerts (see `opensAlertWhenQuiet`). */
  quietLifecycle?: boolean;
}

/** Longest title, in characters (the job path in it may be up to 4096). */
const MAX_TITLE_LENGTH = 512;

/** Facts the bounded payload no longer shows ({@link boundPayload}). */
export interface Counts {
  changesCount: number | null;
  /** The job's key, read before `url` was bounded; else read from `url` here. */
  job?: string;
}

export function toBuildEvent(
  payload: JenkinsPayload,
  settings: SourceSettings = {},
  counts?: Counts,
): BuildEvent {
  const { build } = payload;
  const job = counts?.job ?? jobKeyOf(payload.url);
  const status = build.status ?? null;
  const classification = classify(build.phase, build.status ?? undefined);
  const timestamp = build.timestamp ?? 0;
  return {
    ...classification,
    ...buildContext(payload, jobLabel(job), counts),
    job,
    jobDisplayName: payload.display_name || payload.name,
    buildNumber: build.number,
    phase: build.phase,
    phaseRank: PHASE_RANK[build.phase],
    status,
    timestamp,
    finishedTs: isFinished(build.phase) ? timestamp : null,
    state: eventState(
      classification.kind,
      build.phase,
      build.status ?? undefined,
      settings.quietLifecycle ?? false,
    ),
    title: cutText(`${jobLabel(job)} #${build.number} ${status ?? build.phase}`, MAX_TITLE_LENGTH),
    buildUrl: build.full_url ?? build.url ?? null,
    branch: build.scm?.branch ?? null,
    commit: build.scm?.commit ?? null,
  };
}

/** For callers without a key: `url`'s, or the url itself if it names no job (acceptBody refuses those). */
function jobKeyOf(url: string): string {
  const identity = jobIdentity(url);
  return identity.ok ? identity.key : url;
}
