/**
 * Silences (maintenance windows), pure: the model, when one silences (its span, cut short by
 * `ended_at`, and optional weekly windows: ./recurrence.ts) and which incidents it matches. Storage:
 * src/silences/store.ts; effects on incidents: src/silences/effects.ts.
 */
import * as v from "valibot";
import { expectedOneOf } from "../core/vocabulary";
import { matchesGlob as matches } from "../platform/glob";
import { inWindow, type Recurrence, windowsWithin } from "./recurrence";

const SILENCE_STATUSES = ["active", "upcoming", "ended"] as const;
/** `active` from starts_at until it ends (windows of a recurring one included), `upcoming` before. */
export type SilenceStatus = (typeof SILENCE_STATUSES)[number];
export const SilenceStatusSchema = v.picklist(SILENCE_STATUSES, expectedOneOf(SILENCE_STATUSES));

/** What a silence applies to: each given field must match (none given: everything). */
export interface SilenceMatch {
  source_id: string | null;
  /** A glob over the job path as displayed (src/core/job.ts jobLabel). */
  job: string | null;
  /** A glob over the branch name. */
  branch: string | null;
}

export interface Silence {
  id: number;
  match: SilenceMatch;
  starts_at: string;
  ends_at: string;
  recurrence: Recurrence | null;
  comment: string;
  created_by: string | null;
  created_at: string;
  /** When DELETE ended it early; null otherwise. */
  ended_at: string | null;
}

/** What decides when a silence silences. */
export type SilenceSpan = Pick<Silence, "starts_at" | "ends_at" | "ended_at" | "recurrence">;

/**
 * A silence as the API and the dashboard show it at `now`: its status, whether it silences at this
 * instant (a recurring one only within a window) and when that next changes.
 */
export interface SilenceView extends Silence {
  status: SilenceStatus;
  silencing: boolean;
  next_change: string | null;
}

export const silenceView = (silence: Silence, now: Date): SilenceView => ({
  ...silence,
  status: silenceStatus(silence, now),
  silencing: isSilencing(silence, now),
  next_change: nextChange(silence, now)?.toISOString() ?? null,
});

/** An incident as silences see it. */
export interface SilenceTarget {
  sourceId: string;
  /** jobLabel(job); null for incidents without a job (source_silent). */
  jobPath: string | null;
  /** The branch name as matched (see docs/incidents.md "Silences"), or null. */
  branch: string | null;
}

/** When the silence stops: ends_at, or ended_at when DELETE ended it before. */
function endOf(span: SilenceSpan): number {
  const ends = Date.parse(span.ends_at);
  return span.ended_at === null ? ends : Math.min(ends, Date.parse(span.ended_at));
}

export function silenceStatus(span: SilenceSpan, now: Date): SilenceStatus {
  const at = now.getTime();
  if (at >= endOf(span)) return "ended";
  return at < Date.parse(span.starts_at) ? "upcoming" : "active";
}

/** Whether the silence silences at the instant `at`: within its span and, if recurring, a window. */
export function isSilencing(span: SilenceSpan, at: Date): boolean {
  const t = at.getTime();
  if (t < Date.parse(span.starts_at) || t >= endOf(span)) return false;
  return span.recurrence === null || inWindow(span.recurrence, t);
}

/** The first instant after `after` at which isSilencing changes, or null when it never will. */
export function nextChange(span: SilenceSpan, after: Date): Date | null {
  const t = after.getTime();
  const start = Date.parse(span.starts_at);
  const end = endOf(span);
  if (t >= end) return null;
  const { recurrence } = span;
  if (!recurrence) return new Date(t < start ? start : end);
  for (const [from, to] of windowsWithin(recurrence, start, end, Math.max(t, start))) {
    if (from > t) return new Date(from);
    if (to > t) return new Date(to);
  }
  return null;
}

/** Whether the silence silences anything at all (a recurrence may have no window within the span). */
export const silencesAnything = (span: SilenceSpan) =>
  nextChange(span, new Date(Date.parse(span.starts_at) - 1)) !== null;

/**
 * Whether the silence applies to the incident. A silence naming a job or a branch applies only to
 * incidents that have one: source_silent incidents (no job) match only silences that name neither.
 */
export function matchesIncident(silence: Pick<Silence, "match">, target: SilenceTarget): boolean {
  const { source_id, job, branch } = silence.match;
  if (source_id !== null && source_id !== target.sourceId) return false;
  if (target.jobPath === null && (job !== null || branch !== null)) return false;
  if (job !== null && (target.jobPath === null || !matches(job, target.jobPath))) return false;
  if (branch !== null && (target.branch === null || !matches(branch, target.branch))) return false;
  return true;
}

/** The first silence that silences the incident at `now`, if any. */
export function silencing(
  silences: readonly Silence[],
  target: SilenceTarget,
  now: Date,
): Silence | undefined {
  return silences.find((silence) => isSilencing(silence, now) && matchesIncident(silence, target));
}

/** Whether any of `silences` silences the incident at `now` (for ingest: a new incident opens silenced). */
export const isSilenced = (silences: readonly Silence[], target: SilenceTarget, now: Date): boolean =>
  silencing(silences, target, now) !== undefined;
