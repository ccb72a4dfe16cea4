/**
 * Escalations (the every-minute trigger): an incident still open, not acknowledged and not silenced,
 * `escalate_after` after it opened, owes "escalated" to each destination that asks for it, once. Like
 * the other follow-ups it goes out only after "opened" was delivered there (src/notify/store.ts).
 * What is due is selected by index, oldest first ({@link incidentsToEscalate}), however many other
 * incidents are open. Within `budget` queries: the destinations, then for each a page of candidates and
 * one statement per new row, as many as the budget leaves room for (the rest next minute).
 *
 * An incident falls due once, `escalate_after` after it opened, so each minute reads only those that fell
 * due in the last {@link RECENT_MS} ({@link scanFrom}); once an hour a full pass reads every one still
 * owed (one silenced when it fell due and un-silenced since, or one a long cron outage passed over), and
 * a run that ran out of budget owes the next minute a full pass too (cron_cursors `escalations`), until
 * one finishes.
 * Rescanning every due incident every minute would read incidents × destinations × 1,440 rows a day:
 * with a thousand long-open incidents and three destinations, more than the Free plan's 5 million D1
 * rows read a day, after which D1 refuses every query, ingest included.
 */

import { branchName } from "../core/branch";
import { nowIso } from "../platform/clock";
import { readCursor, writeCursor } from "../platform/db/cron-cursors";
import { routes, subscribes } from "./destinations/match";
import { listSealedDestinations } from "./destinations/store";
import { type EscalationCursor, FIRST_PAGE, incidentsToEscalate } from "./escalation-sql";
import { enqueueSends } from "./outbox";
import { oweStatement } from "./store";

/**
 * Candidates read per query. Those a destination's `match` turns away are read again each minute (the
 * globs are not SQL); pages go on while the budget lasts, so only thousands of them could delay one.
 */
const PAGE = 500;

/** How far back a minute's pass looks for incidents that fell due: missed runs within it cost nothing. */
export const RECENT_MS = 15 * 60_000;

/**
 * Where a destination's pass starts: at the incidents that fell due in the last {@link RECENT_MS}, or
 * at the oldest on the hour's full pass (the run whose scheduled time is in minute 0).
 */
export function scanFrom(full: boolean, openedBefore: string): EscalationCursor {
  if (full) return FIRST_PAGE;
  return { opened_at: new Date(Date.parse(openedBefore) - RECENT_MS).toISOString(), id: 0 };
}

/** cron_cursors row: 1 while a full pass is owed (the last run ran out of budget), else 0. */
const FULL_PASS_OWED = "escalations";

/** A destination's pass read its last page. */
const FINISHED: EscalationCursor = { opened_at: "finished", id: -1 };

export async function escalate(env: Env, now: Date, budget: number): Promise<number> {
  if (budget < 5) return 0;
  const escalating = (await listSealedDestinations(env.DB, { enabledOnly: true })).filter(
    (destination) => destination.escalate_after_ms !== null && subscribes(destination, "escalated"),
  );
  if (escalating.length === 0) return 0;
  const owedFullPass = (await readCursor(env.DB, FULL_PASS_OWED)) === 1;
  const full = owedFullPass || now.getUTCMinutes() === 0;
  // The destinations, the cursor's read and its write.
  let left = budget - 3;
  let exhausted = false;
  // `now` (the trigger's scheduled time) decides who is late; the rows are due from the clock.
  const at = nowIso();
  const owed: { id: number; state: string }[] = [];
  for (const destination of escalating) {
    const openedBefore = new Date(now.getTime() - (destination.escalate_after_ms as number)).toISOString();
    let after = scanFrom(full, openedBefore);
    while (left >= 2) {
      const page = await incidentsToEscalate(env.DB, destination.id, openedBefore, after, PAGE);
      left -= 1;
      const routed = page.filter((incident) =>
        routes(destination, { ...incident, branch: branchName(incident.branch) }),
      );
      const due = routed.slice(0, left);
      if (due.length < routed.length) exhausted = true;
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
      if (page.length < PAGE || !last) {
        after = FINISHED;
        break;
      }
      after = last;
    }
    if (after !== FINISHED) exhausted = true;
  }
  if (exhausted !== owedFullPass)
    await writeCursor(env.DB, FULL_PASS_OWED, exhausted ? 1 : 0, nowIso()).run();
  await enqueueSends(
    env,
    owed.filter((row) => row.state === "pending").map((row) => row.id),
  );
  if (owed.length > 0) console.log(JSON.stringify({ event: "notify_escalated", notifications: owed.length }));
  return owed.length;
}
