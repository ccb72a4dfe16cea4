/** The benchmark's `--rows N`: filler alerts and their timelines, written straight through the D1 binding. */
import type { Miniflare } from "miniflare";

/** Fills D1 with `count` filler alerts (4 timeline events each), in chunks, straight through the binding. */
export async function fill(mf: Miniflare, count: number) {
  const db = await mf.getD1Database("DB");
  const chunk = 20_000;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    await db.batch([
      db
        .prepare(
          `WITH RECURSIVE seq(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1 + ?2 - 1)
           INSERT INTO alerts (source_id, source_name, job, job_display_name, build_number, build_url, phase,
             phase_rank, status, kind, priority, title, event_count, first_seen_at, last_seen_at)
           SELECT 'filler-' || (i % 7), 'filler', 'filler/job-' || (i % 2000), 'job', i, NULL, 'FINALIZED', 4,
             CASE i % 5 WHEN 0 THEN 'FAILURE' WHEN 1 THEN 'UNSTABLE' ELSE 'SUCCESS' END,
             CASE WHEN i % 5 >= 2 THEN 'RESOLVE' ELSE 'ALERT' END,
             CASE i % 5 WHEN 0 THEN 'HIGH' WHEN 1 THEN 'MEDIUM' ELSE 'LOW' END,
             'filler #' || i, 4, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
           FROM seq`,
        )
        .bind(start, n),
      db
        .prepare(
          `WITH RECURSIVE seq(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1 + ?2 - 1),
           phases(p, r) AS (VALUES ('QUEUED', 1), ('STARTED', 2), ('COMPLETED', 3), ('FINALIZED', 4))
           INSERT INTO events (event_uid, source_id, job, build_number, phase, build_timestamp, status, kind,
             priority, received_at, body)
           SELECT 'filler-' || i || '-' || r, 'filler-' || (i % 7), 'filler/job-' || (i % 2000), i, p, r, NULL,
             'ALERT', 'LOW', '2026-01-01T00:00:00.000Z', '{}'
           FROM seq, phases`,
        )
        .bind(start, n),
    ]);
  }
}

/**
 * Runs the Worker's 5-minute cron until the insights' daily rollup covers every day before today (as it
 * would after the filler had been live for a few runs: the first runs roll up the days before today); how
 * many runs that took and how long. The cron's other work (retention: the filler's events are past
 * RETENTION_DAYS) runs too, as it would.
 */
export async function rollUp(mf: Miniflare) {
  const worker = await mf.getWorker();
  const db = await mf.getD1Database("DB");
  const started = performance.now();
  let runs = 0;
  for (; runs < 20; runs++) {
    const row = await db
      .prepare("SELECT after_id FROM cron_cursors WHERE name = 'insights_rollup_days'")
      .first<{ after_id: number }>();
    if (row && row.after_id >= Math.floor(Date.now() / 86_400_000)) break;
    await worker.scheduled({ scheduledTime: new Date(), cron: "*/5 * * * *" });
  }
  const days = await db.prepare("SELECT count(*) AS rows FROM insight_rollups").first<{ rows: number }>();
  return { cron_runs: runs, ms: Math.round(performance.now() - started), rollup_rows: days?.rows ?? 0 };
}
