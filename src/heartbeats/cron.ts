/**
 * The cron trigger's heartbeat rules (docs/incidents.md "Heartbeats"), within a budget of D1 queries: a job past
 * its due time opens a `missed_build` incident, a source with no new event for its policy's
 * silent_after opens `source_silent` ("Jenkins stopped talking"). A revoked source opens neither: its
 * silence is expected. Ingest resolves both (./sql.ts). Statements: ./cron-sql.ts.
 */
import { findSourceById, KEYS } from "../sources/store";
import {
  CLEAR_DUE,
  DUE_JOBS,
  MISSED_BUILDS_OPENED,
  OPEN_MISSED_BUILDS,
  OPEN_SOURCE_SILENT,
  QUIET_SOURCES,
  SOURCE_SILENT_OPENED,
} from "./cron-sql";
import { missedBuildPriority, POLICY_QUERIES, silentAfterMs } from "./policy";

/** Due jobs one round handles (one read, then one batch of three statements). */
export const MISSED_BUILD_ROUND = 100;

/** The cron's period: a silence shorter than this cannot be told from a pause between runs. */
const CRON_PERIOD_MS = 5 * 60_000;

export interface HeartbeatRun {
  /** D1 queries spent. */
  queries: number;
  missed_builds: number;
  silent_sources: number;
}

type Bindings = Pick<Env, "DB" | "SOURCES">;

/** The source's name, or null when it is revoked or unknown (KV reads, no D1 query). */
async function liveSourceName(kv: KVNamespace, id: string): Promise<string | null> {
  const [record, revokedAt] = await Promise.all([findSourceById(kv, id), kv.get(KEYS.revokedId + id)]);
  return record && revokedAt === null ? record.name : null;
}

/** Runs both rules, spending at most `budget` D1 queries; what is left waits for the next run. */
export async function checkHeartbeats(env: Bindings, now: Date, budget: number): Promise<HeartbeatRun> {
  const run: HeartbeatRun = { queries: 0, missed_builds: 0, silent_sources: 0 };
  await openMissedBuilds(env, now, budget, run);
  await openSilentSources(env, now, budget, run);
  console.log(
    JSON.stringify({
      event: "heartbeats_checked",
      missed_builds: run.missed_builds,
      silent_sources: run.silent_sources,
    }),
  );
  return run;
}

async function openMissedBuilds(env: Bindings, now: Date, budget: number, run: HeartbeatRun) {
  const at = now.toISOString();
  // A round: the read, one source's policy at least, and the batch.
  while (budget - run.queries >= 1 + POLICY_QUERIES + 3) {
    run.queries += 1;
    const { results: due } = await env.DB.prepare(DUE_JOBS)
      .bind(at, MISSED_BUILD_ROUND)
      .all<{ id: number; source_id: string }>();
    if (due.length === 0) return;
    // As many of the due jobs' sources as the budget allows, the most overdue job's first.
    const affordable =
      POLICY_QUERIES === 0 ? due.length : Math.floor((budget - run.queries - 3) / POLICY_QUERIES);
    const sources = [...new Set(due.map((job) => job.source_id))].slice(0, affordable);
    const priorities = new Map<string, string | null>();
    for (const sourceId of sources) {
      const live = (await liveSourceName(env.SOURCES, sourceId)) !== null;
      priorities.set(sourceId, live ? await missedBuildPriority(env.DB, sourceId) : null);
    }
    run.queries += sources.length * POLICY_QUERIES + 3;
    const round = due.filter((job) => priorities.has(job.source_id));
    const jobs = JSON.stringify(
      round.map((job) => ({ id: job.id, priority: priorities.get(job.source_id) })),
    );
    const [opened] = await env.DB.batch([
      env.DB.prepare(OPEN_MISSED_BUILDS).bind(jobs, at),
      env.DB.prepare(MISSED_BUILDS_OPENED).bind(jobs, at),
      env.DB.prepare(CLEAR_DUE).bind(jobs, at),
    ]);
    run.missed_builds += opened?.meta.changes ?? 0;
    if (due.length < MISSED_BUILD_ROUND || round.length < due.length) return;
  }
}

async function openSilentSources(env: Bindings, now: Date, budget: number, run: HeartbeatRun) {
  // The read, then per source its policy and, when silent, two statements.
  const limit = Math.floor((budget - run.queries - 1) / (POLICY_QUERIES + 2));
  if (limit < 1) return;
  run.queries += 1;
  const at = now.toISOString();
  const { results: quiet } = await env.DB.prepare(QUIET_SOURCES)
    .bind(new Date(now.getTime() - CRON_PERIOD_MS).toISOString(), limit)
    .all<{ source_id: string; last_event_at: string }>();
  const statements: D1PreparedStatement[] = [];
  for (const { source_id, last_event_at } of quiet) {
    const name = await liveSourceName(env.SOURCES, source_id);
    if (name === null) continue;
    run.queries += POLICY_QUERIES;
    const silentAfter = await silentAfterMs(env.DB, source_id);
    if (silentAfter === null) continue;
    const cutoff = new Date(now.getTime() - silentAfter).toISOString();
    if (last_event_at >= cutoff) continue;
    statements.push(
      env.DB.prepare(OPEN_SOURCE_SILENT).bind(source_id, name, at, cutoff),
      env.DB.prepare(SOURCE_SILENT_OPENED).bind(source_id, name, at),
    );
  }
  if (statements.length === 0) return;
  run.queries += statements.length;
  const results = await env.DB.batch(statements);
  run.silent_sources += results.filter((result, i) => i % 2 === 0 && (result.meta.changes ?? 0) > 0).length;
}
