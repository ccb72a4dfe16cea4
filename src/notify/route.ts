/**
 * Routing: a timeline entry that notifies (opened, acknowledged, resolved, and a silence's end) becomes
 * one notification row per destination it concerns, in one batch that also marks the entry routed (the
 * outbox, see migrations/0006_notifications.sql). Returns the rows to send now.
 *
 * - opened: to every matching destination whose `on` has it; held while the incident is silenced.
 * - a silence's end (unsilenced) on an incident still open: "opened" as if it had just opened (rows
 *   held by the silence are released; a destination that already had it is not sent it twice).
 * - acknowledged, resolved: after "opened" to the same destination was delivered (held meanwhile, and
 *   while the incident's "opened" entry is still to be routed); never if "opened" gave up or was never
 *   owed (an incident that opened and resolved while silenced sends nothing).
 */

import { branchName } from "../core/branch";
import type { Incident } from "../incidents/store";
import { type RoutedIncident, routes, subscribes } from "./destinations/match";
import type { Destination } from "./destinations/store";
import { type NotificationEvent, type Owed, oweStatement } from "./store";

/** What routing reads of a destination (no secret: routing never decrypts). */
export type Routable = Pick<Destination, "id" | "on" | "match">;

export interface TimelineEntry {
  id: number;
  type: string;
}

/** The notification event an entry makes, or null if it makes none. */
export function eventOf(type: string, incident: Pick<Incident, "state">): NotificationEvent | null {
  switch (type) {
    case "opened":
    case "acknowledged":
    case "resolved":
      return type;
    case "unsilenced":
      return incident.state === "resolved" ? null : "opened";
    default:
      return null;
  }
}

/**
 * Whether `destination`'s rules take `incident` (its notifications, and the Slack app's `/incidents`
 * list). Branch globs see the branch name as policies and silences do (no remote prefix).
 */
export const routesIncident = (destination: Pick<Routable, "match">, incident: RoutedIncident) =>
  routes(destination, { ...incident, branch: branchName(incident.branch) });

/** What `entry` owes each of `destinations` (pure). */
export function owedFor(entry: TimelineEntry, incident: Incident, destinations: Routable[]): Owed[] {
  const event = eventOf(entry.type, incident);
  if (!event) return [];
  return destinations
    .filter((destination) => subscribes(destination, event) && routesIncident(destination, incident))
    .map((destination) => ({
      incidentId: incident.id,
      destinationId: destination.id,
      event,
      afterOpened: subscribes(destination, "opened"),
      held: event === "opened" && incident.silenced,
    }));
}

/**
 * Records what `entry` owes and marks it routed, in one batch; the ids of rows to send now. An entry
 * already routed (a redelivered message, the sweep) owes nothing again.
 */
export async function routeEntry(
  db: D1Database,
  entry: TimelineEntry,
  incident: Incident,
  destinations: Routable[],
  now: string,
): Promise<number[]> {
  const owed = owedFor(entry, incident, destinations);
  const statements = [
    ...owed.map((o) => oweStatement(db, o, now)),
    // A resolved incident whose "opened" a silence held will never announce anything: what waits for
    // it is skipped (after the rows above, which may have just joined it).
    ...(entry.type === "resolved" && incident.silenced
      ? [
          db
            .prepare(
              "UPDATE notifications SET state = 'skipped' WHERE incident_id = ?1 AND state = 'waiting'",
            )
            .bind(incident.id),
        ]
      : []),
    db
      .prepare(
        "UPDATE incident_events SET routed_at = ?2 WHERE id = ?1 AND (routed_at IS NULL OR routed_at LIKE 'dead-lettered %')",
      )
      .bind(entry.id, now),
  ];
  const results = await db.batch<{ id: number; state: string }>(statements);
  return results
    .slice(0, owed.length)
    .flatMap((result) => result.results)
    .filter((row) => row.state === "pending")
    .map((row) => row.id);
}
