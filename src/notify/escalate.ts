/**
 * Escalations (the every-minute trigger): an incident still open, not acknowledged and not silenced,
 * `escalate_after` after it opened, owes "escalated" to each destination that asks for it, once. Like
 * the other follow-ups it goes out only after "opened" was delivered there (src/db/notifications.ts).
 * What is due is selected by index, oldest first ({@link incidentsToEscalate}), however many other
 * incidents are open. Within `budget` queries: the destinations, then for each a page of candidates and
 * one statement per new row, as many as the budget leaves room for (the rest next minute).
 */
import { listSealedDestinations } from "../db/destinations";
import { FIRST_PAGE, incidentsToEscalate } from "../db/escalations";
import { oweStatement } from "../db/notifications";
import { branchName } from "../domain/branch";
import { routes, subscribes } from "../domain/destination-match";
import { nowIso } from "../platform/clock";
import { enqueueSends } from "./outbox";

/**
 * Candidates read per query. Those a destination's `match` turns away are read again each minute (the
 * globs are not SQL); pages go on while the budget lasts, so only thousands of them could delay one.
 */
const PAGE = 500;

export async function escalate(env: Env, now: Date, budget: number): Promise<number> {
  if (budget < 3) return 0;
  const escalating = (await listSealedDestinations(env.DB, { enabledOnly: true })).filter(
    (destination) => destination.escalate_after_ms !== null && subscribes(destination, "escalated"),
  );
  let left = budget - 1;
  // `now` (the trigger's scheduled time) decides who is late; the rows are due from the clock.
  const at = nowIso();
  const owed: { id: number; state: string }[] = [];
  for (const destination of escalating) {
    const openedBefore = new Date(now.getTime() - (destination.escalate_after_ms as number)).toISOString();
    let after = FIRST_PAGE;
    while (left >= 2) {
      const page = await incidentsToEscalate(env.DB, destination.id, openedBefore, after, PAGE);
      left -= 1;
      const due = page
        .filter((incident) => routes(destination, { ...incident, branch: branchName(incident.branch) }))
        .slice(0, left);
      if (due.length > 0) {
        const afterOpened = subscribes(destination, "opened");
        const results = await env.DB.batch<{ id: number; state: string }>(
          due.map((incident) =>
            oweStatement(
              env.DB,
              {
                incidentId: incident.id,
                destinationId: destination.id,
                event: "escalated",
                afterOpened,
                held: false,
              },
              at,
            ),
          ),
        );
        left -= due.length;
        owed.push(...results.flatMap((result) => result.results));
      }
      const last = page.at(-1);
      if (page.length < PAGE || !last) break;
      after = last;
    }
  }
  await enqueueSends(
    env,
    owed.filter((row) => row.state === "pending").map((row) => row.id),
  );
  if (owed.length > 0) console.log(JSON.stringify({ event: "notify_escalated", notifications: owed.length }));
  return owed.length;
}
