-- Insights' daily rollup (GET /api/insights, the Insights page): failing builds (finished FAILURE or
-- UNSTABLE) per source, job and UTC day of their alerts' `last_seen_at`, so a window's noisiest jobs read a
-- row per job and day instead of an index entry per build. Kept by the cron (src/insights/rollup.ts), never
-- by the ingest batch: every day before the day in cron_cursors `insights_rollup_days` (days since the
-- epoch) is rolled up, and the insights read the days from there on from the alerts' own index; a day whose
-- alerts changed since (cron_cursors `insights_rollup_events`: the last event the cron looked at) is counted
-- again by the next run. Retention deletes a day's rows once none of its alerts is left.
-- Additive: the Worker before this one never reads or writes the table.
CREATE TABLE insight_rollups (
  day            TEXT    NOT NULL,  -- YYYY-MM-DD, UTC
  source_id      TEXT    NOT NULL,
  job            TEXT    NOT NULL,
  failing_builds INTEGER NOT NULL,
  PRIMARY KEY (day, source_id, job)
) WITHOUT ROWID;
