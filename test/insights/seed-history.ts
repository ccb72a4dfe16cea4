/**
 * Writes a generated history (fixtures/insights-history.ts) into the real schema, as ingest would leave it;
 * and runs the insights' rollup as the cron trigger would.
 */
import { env } from "cloudflare:workers";
import type { History } from "../../fixtures/insights-history.ts";
import { ROLLUP_QUERIES, type RollupRun, rollUpInsights } from "../../src/insights/rollup";

/** The cron's runs at `now` (each with the share of the budget a run gives it) until nothing is left. */
export async function rollUpAsTheCron(now: number): Promise<RollupRun[]> {
  const runs: RollupRun[] = [];
  do runs.push(await rollUpInsights(env.DB, new Date(now), ROLLUP_QUERIES));
  while (!runs.at(-1)?.complete && runs.length < 20);
  return runs;
}

/** Each table's rows as one JSON argument, spread by json_each: three statements, one batch. */
export async function seedHistory(history: History): Promise<void> {
  const db = env.DB;
  const incidents = history.incidents.map((incident, i) => ({
    ...incident,
    after_build: i,
    state: incident.resolved_at ? "resolved" : incident.acknowledged_at ? "acknowledged" : "open",
  }));
  const field = (name: string) => `json_extract(value, '$.${name}')`;
  await db.batch([
    db
      .prepare(
        `INSERT INTO incidents (kind, source_id, source_name, job, job_display_name, after_build, state, priority,
           opened_at, acknowledged_at, resolved_at, updated_at)
         SELECT ${field("kind")}, ${field("source_id")}, 'Source ' || ${field("source_id")}, ${field("job")},
           ${field("job")}, ${field("after_build")}, ${field("state")}, 'HIGH', ${field("opened_at")},
           ${field("acknowledged_at")}, ${field("resolved_at")}, ${field("opened_at")}
         FROM json_each(?1)`,
      )
      .bind(JSON.stringify(incidents)),
    db
      .prepare(
        `INSERT INTO alerts (source_id, source_name, job, job_display_name, build_number, phase, phase_rank, status,
           kind, priority, title, first_seen_at, last_seen_at)
         SELECT ${field("source_id")}, 'Source ' || ${field("source_id")}, ${field("job")}, ${field("job")},
           ${field("build_number")}, CASE ${field("phase_rank")} WHEN 4 THEN 'FINALIZED' ELSE 'STARTED' END,
           ${field("phase_rank")}, ${field("status")},
           CASE WHEN ${field("status")} IN ('FAILURE', 'UNSTABLE', 'ABORTED') THEN 'ALERT' ELSE 'RESOLVE' END,
           'HIGH', 'build', ${field("seen_at")}, ${field("seen_at")}
         FROM json_each(?1)`,
      )
      .bind(JSON.stringify(history.builds)),
    db
      .prepare(
        `INSERT INTO jobs (source_id, source_name, job, display_name, state, failing_since_build, failing_streak,
           updated_at)
         SELECT ${field("source_id")}, 'Source ' || ${field("source_id")}, ${field("job")}, ${field("display_name")},
           ${field("state")}, ${field("failing_since_build")}, ${field("failing_streak")}, '2027-01-01T00:00:00.000Z'
         FROM json_each(?1)`,
      )
      .bind(JSON.stringify(history.jobs)),
  ]);
}
