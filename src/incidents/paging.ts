/**
 * What ingest needs to know about a build to keep its incidents (./sql.ts): whether it
 * pages and with which priority, how many paging builds in a row open an incident, and whether an
 * incident it opens starts silenced. Decided here, in the Worker, from the source's policy and
 * silences, read through isolate caches of plain values (30 s): no extra round trip per delivery,
 * one per source and isolate every 30 s.
 */

import { isFinished } from "../core/build-context";
import type { BuildEvent } from "../core/build-event";
import { jobLabel } from "../core/job";
import type { Priority } from "../core/vocabulary";
import { nowMs } from "../platform/clock";
import { silencesFor } from "../silences/cache";
import { silenceTarget } from "../silences/effects";
import { isSilenced } from "../silences/rules";
import { type FlakyMode, isDeploy, pagingPriority } from "../sources/policy";
import { policyFor } from "../sources/policy-cache";

export interface IncidentRules {
  /** The incident priority this build pages with; null when it does not page. */
  priority: Priority | null;
  /** Paging builds in a row (between green builds) before an incident opens. */
  minFailures: number;
  /** An incident this build opens starts silenced (a matching silence is active). */
  silenced: boolean;
  /**
   * The build is a deploy ({@link isDeploy}): stored as one on its alert, so incidents that open within
   * the hour after it name it. Decided with the rest of the policy, once, when the build is written.
   */
  deploy: boolean;
  /** What the build does when it failed only on known-flaky tests (decided in SQL: ../flaky/sql.ts). */
  flaky: FlakyMode;
}

/** The rules for `event` of `sourceId` as they stand now. */
export async function rulesFor(
  env: Pick<Env, "DB">,
  sourceId: string,
  event: Pick<BuildEvent, "phase" | "status" | "job" | "branch">,
  now = new Date(nowMs()),
): Promise<IncidentRules> {
  const policy = await policyFor(env, sourceId);
  const jobPath = jobLabel(event.job);
  const priority = pagingPriority(policy, {
    jobPath,
    branch: event.branch,
    finished: isFinished(event.phase),
    status: event.status,
  });
  // Silences matter only to a build that may open an incident: a paging one, or a finished one (a
  // green build that arrives late splits the incident above it off as a new one). The others never
  // read them.
  const silenced =
    (priority !== null || isFinished(event.phase)) &&
    isSilenced(
      await silencesFor(env, sourceId, now),
      silenceTarget({ source_id: sourceId, job: event.job, branch: event.branch }),
      now,
    );
  const deploy = isDeploy(policy, { jobPath, phase: event.phase, status: event.status });
  return { priority, minFailures: policy.min_consecutive_failures, silenced, deploy, flaky: policy.flaky };
}
