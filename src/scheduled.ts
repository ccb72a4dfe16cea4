/**
 * The cron trigger's work (wrangler.toml `crons`), within the plan's D1 queries per invocation
 * (D1_QUERIES_PER_INVOCATION): open alerts gone silent become stale (one query), then heartbeats
 * (./heartbeats/cron.ts: missed builds and silent sources, before retention, which can wait), incidents
 * follow the silences in force (./silences/effects.ts: a few queries and a bounded share of work, going
 * on where the last run stopped; after heartbeats, so a missed build opened now is silenced now), then
 * retention (./operations/retention.ts): alerts past ALERT_RETENTION_DAYS go with their events, then events
 * past RETENTION_DAYS, then dead letters past it too (they hold bodies), then audit entries past
 * ALERT_RETENTION_DAYS (the log is kept as long as alerts), oldest first, PURGE_ROWS a round,
 * until nothing is left, the budget is spent or PURGE_MS have passed. What is left waits for the next run.
 * `now` is the trigger's scheduled time. Before retention, and alone every minute, the notification outbox
 * sweep (./notify/sweep.ts: two queries; every minute also escalations, ./notify/escalate.ts), which also
 * sends on what heartbeats and silences just wrote to incidents' timelines (after silences, so a missed build
 * opened during a silence is held, not sent). Then, before retention and within {@link ROLLUP_QUERIES}, the
 * insights' daily rollup ({@link rollUpInsights}: the days closed since the last run, and the closed days
 * whose alerts changed).
 */

import { markStaleAlerts } from "./alerts/stale";
import { checkHeartbeats } from "./heartbeats/cron";
import { ROLLUP_QUERIES, rollUpInsights } from "./insights/rollup";
import { escalate } from "./notify/escalate";
import { SWEEP_QUERIES, sweepOutbox } from "./notify/sweep";
import {
  alertRetentionDays,
  PURGE_ROWS,
  purgeOldAlerts,
  purgeOldAudit,
  purgeOldDeadLetters,
  purgeOldEvents,
  retentionDays,
  STATEMENTS_PER_ROUND,
} from "./operations/retention";
import { nowMs } from "./platform/clock";
import { queriesPerInvocation } from "./platform/vars";
import { applySilences } from "./silences/effects";

/** Wall time the purge may take per run: a cron trigger that runs this often has 30 s in all. */
const PURGE_MS = 20_000;

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/** The trigger that runs the outbox sweep alone (wrangler.toml `crons`). */
export const SWEEP_CRON = "* * * * *";

export async function runScheduled(env: Env, now: Date, cron = ""): Promise<void> {
  if (cron === SWEEP_CRON) {
    await sweepOutbox(env, now);
    await escalate(env, now, queriesPerInvocation(env) - SWEEP_QUERIES);
    return;
  }
  let queries = queriesPerInvocation(env);
  await markStaleAlerts(env, now);
  queries -= 1;
  queries -= (await checkHeartbeats(env, now, queries)).queries;
  try {
    queries -= (await applySilences(env, now, queries, "cursor")).queries;
  } catch (error) {
    // Retention does not wait on silences: the next run tries again.
    console.error(JSON.stringify({ event: "silences_apply_failed", error: String(error) }));
  }
  if (queries >= SWEEP_QUERIES) {
    queries -= SWEEP_QUERIES;
    await sweepOutbox(env, now, 0);
  }
  try {
    queries -= (await rollUpInsights(env.DB, now, Math.min(queries, ROLLUP_QUERIES))).queries;
  } catch (error) {
    // The insights read the days not rolled up from the alerts meanwhile: the next run goes on.
    console.error(JSON.stringify({ event: "insights_rollup_failed", error: String(error) }));
  }
  const deadline = nowMs() + PURGE_MS;

  /** Runs rounds while the budget and the clock allow; true once a round found less than a full batch. */
  async function rounds(statements: number, round: () => Promise<number>): Promise<boolean> {
    while (queries >= statements && nowMs() < deadline) {
      queries -= statements;
      if ((await round()) < PURGE_ROWS) return true;
    }
    return false;
  }

  const purged = { alerts: 0, alert_events: 0, events: 0, dead_letters: 0, audit: 0 };
  const alertsBefore = daysBefore(now, alertRetentionDays(env));
  const eventsBefore = daysBefore(now, retentionDays(env));
  const alertsDone = await rounds(STATEMENTS_PER_ROUND.alerts, async () => {
    const { alerts, events } = await purgeOldAlerts(env.DB, alertsBefore);
    purged.alerts += alerts;
    purged.alert_events += events;
    return alerts;
  });
  const eventsDone = await rounds(STATEMENTS_PER_ROUND.events, async () => {
    const events = await purgeOldEvents(env.DB, eventsBefore);
    purged.events += events;
    return events;
  });
  const deadLettersDone = await rounds(STATEMENTS_PER_ROUND.deadLetters, async () => {
    const deadLetters = await purgeOldDeadLetters(env.DB, eventsBefore);
    purged.dead_letters += deadLetters;
    return deadLetters;
  });
  const auditDone = await rounds(STATEMENTS_PER_ROUND.audit, async () => {
    const entries = await purgeOldAudit(env.DB, alertsBefore);
    purged.audit += entries;
    return entries;
  });
  console.log(
    JSON.stringify({
      event: "retention_purged",
      ...purged,
      complete: alertsDone && eventsDone && deadLettersDone && auditDone,
      alerts_before: alertsBefore,
      events_before: eventsBefore,
    }),
  );
}
