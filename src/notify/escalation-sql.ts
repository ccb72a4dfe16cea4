/**
 * The incidents that may owe one destination an escalation: open (not acknowledged), not silenced,
 * opened long enough ago, and not escalated to it yet. Oldest first, a page at a time, through the
 * partial index incidents_to_escalate, so acknowledged, silenced and resolved incidents cost nothing
 * however many there are.
 */

import { jobLabel } from "../core/job";
import type { RoutedIncident } from "./destinations/match";

/** An incident as escalation reads it: what routing needs, and where the next page starts. */
export interface EscalationCandidate extends RoutedIncident {
  id: number;
  opened_at: string;
}

/** Where a page starts: after this incident in (opened_at, id) order. */
export type EscalationCursor = { opened_at: string; id: number };

export const FIRST_PAGE: EscalationCursor = { opened_at: "", id: 0 };

export async function incidentsToEscalate(
  db: D1Database,
  destinationId: number,
  openedBefore: string,
  after: EscalationCursor,
  limit: number,
): Promise<EscalationCandidate[]> {
  const { results } = await db
    .prepare(
      `SELECT id, source_id, job, branch, priority, kind, opened_at
       FROM incidents INDEXED BY incidents_to_escalate
       WHERE state = 'open' AND silenced = 0 AND opened_at <= ?1 AND (opened_at, id) > (?2, ?3)
         AND NOT EXISTS (SELECT 1 FROM notifications n
                         WHERE n.incident_id = incidents.id AND n.event = 'escalated' AND n.destination_id = ?4)
       ORDER BY opened_at, id LIMIT ?5`,
    )
    .bind(openedBefore, after.opened_at, after.id, destinationId, limit)
    .all<Omit<EscalationCandidate, "job_path"> & { job: string | null }>();
  return results.map(({ job, ...row }) => ({ ...row, job_path: job === null ? null : jobLabel(job) }));
}
