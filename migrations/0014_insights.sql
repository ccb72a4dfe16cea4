-- Insights (GET /api/insights, the Insights page): indexes only, so every figure is an index range scan
-- over what is already stored (src/insights/sql.ts names which statement reads which). Additive: the
-- Worker before this one never reads them, and retention purges their entries with the rows themselves.

-- Incidents opened in a window (per day, MTTA and MTTR per week, the noisiest jobs): covering, so the
-- figures never read the table.
CREATE INDEX incidents_by_opened ON incidents (opened_at, source_id, job, acknowledged_at, resolved_at);
-- Incidents resolved in a window but opened before it (per day), covering.
CREATE INDEX incidents_by_resolved ON incidents (resolved_at, source_id, job, opened_at, acknowledged_at)
  WHERE resolved_at IS NOT NULL;
-- Failing builds (finished FAILURE or UNSTABLE, as job health counts a streak) by when they were last
-- seen: the noisiest jobs by failing builds, covering.
CREATE INDEX alerts_failing_by_seen ON alerts (last_seen_at, source_id, job, phase_rank, status)
  WHERE phase_rank >= 3 AND status IN ('FAILURE', 'UNSTABLE');
