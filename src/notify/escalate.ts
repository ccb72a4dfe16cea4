/**
 * Escalations (the every-minute trigger): an incident still open, not acknowledged, `escalate_after`
 * after it opened owes "escalated" to each destination that asks for it, once. Like the other
 * follow-ups it goes out only after "opened" was delivered there (src/db/notifications.ts). Silenced
 * incidents escalate nothing. Within `budget` queries: the destinations, the open incidents (few: read
 * through incidents_needing_attention), the escalations already owed, then one batch of new rows, as
 * many as the budget leaves room for (the rest next minute).
 */
import { listSealedDestinations } from "../db/destinations";
import { incidentsNeedingAttention } from "../db/incidents";
import { oweStatement } from "../db/notifications";
import { branchName } from "../domain/branch";
import { routes, subscribes } from "../domain/destination-match";
import { nowIso } from "../platform/clock";
import { enqueueSends } from "./outbox";

/** Open incidents looked at per run (the oldest first would be fairer; open incidents are few). */
const INCIDENTS_PER_RUN = 500;

export async function escalate(env: Env, now: Date, budget: number): Promise<number> {
  if (budget < 4) return 0;
  const escalating = (await listSealedDestinations(env.DB, { enabledOnly: true })).filter(
    (destination) => destination.escalate_after_ms !== null && subscribes(destination, "escalated"),
  );
  if (escalating.length === 0) return 0;
  const open = (await incidentsNeedingAttention(env.DB, INCIDENTS_PER_RUN)).filter(
    (incident) => incident.state === "open" && !incident.silenced,
  );
  if (open.length === 0) return 0;
  const { results: owedAlready } = await env.DB.prepare(
    `SELECT incident_id, destination_id FROM notifications
     WHERE event = 'escalated' AND incident_id IN (SELECT value FROM json_each(?1))`,
  )
    .bind(JSON.stringify(open.map((incident) => incident.id)))
    .all<{ incident_id: number; destination_id: number }>();
  const known = new Set(owedAlready.map((row) => `${row.incident_id}:${row.destination_id}`));
  // Rows are due from the real clock (`now` is the trigger's scheduled time, which decides who is late).
  const at = nowIso();
  const statements = escalating.flatMap((destination) =>
    open
      .filter(
        (incident) =>
          !known.has(`${incident.id}:${destination.id}`) &&
          Date.parse(incident.opened_at) + (destination.escalate_after_ms as number) <= now.getTime() &&
          routes(destination, { ...incident, branch: branchName(incident.branch) }),
      )
      .map((incident) =>
        oweStatement(
          env.DB,
          {
            incidentId: incident.id,
            destinationId: destination.id,
            event: "escalated",
            afterOpened: subscribes(destination, "opened"),
            held: false,
          },
          at,
        ),
      ),
  );
  if (statements.length === 0) return 0;
  const results = await env.DB.batch<{ id: number; state: string }>(statements.slice(0, budget - 3));
  const owed = results.flatMap((result) => result.results);
  await enqueueSends(
    env,
    owed.filter((row) => row.state === "pending").map((row) => row.id),
  );
  if (owed.length > 0) console.log(JSON.stringify({ event: "notify_escalated", notifications: owed.length }));
  return owed.length;
}
