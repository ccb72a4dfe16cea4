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
