-- Alert states and recoveries, build context on alerts, job health, XML bodies.
--
-- alerts.state: open | resolved | stale | quiet
--   open      the build is alerting;
--   resolved  by its own FINALIZED SUCCESS, or by a later green build of the job (resolved_by_build);
--   stale     open with no event for STALE_AFTER_HOURS (the cron trigger); any new event reopens it;
--   quiet     a quiet-lifecycle source's build that has not failed: recorded, never alerting.

ALTER TABLE alerts ADD COLUMN state TEXT NOT NULL DEFAULT 'open'
  CHECK (state IN ('open', 'resolved', 'stale', 'quiet'));
ALTER TABLE alerts ADD COLUMN resolved_at TEXT;
ALTER TABLE alerts ADD COLUMN resolved_by_build INTEGER;
ALTER TABLE alerts ADD COLUMN flapping INTEGER NOT NULL DEFAULT 0;
-- When the build finished, by Jenkins' clock: the earliest timestamp of its COMPLETED/FINALIZED
-- events. Recoveries compare these, so the outcome does not depend on arrival order.
ALTER TABLE alerts ADD COLUMN finished_ts INTEGER;
ALTER TABLE alerts ADD COLUMN duration_ms INTEGER;
ALTER TABLE alerts ADD COLUMN culprits TEXT;          -- JSON array of Jenkins user ids
ALTER TABLE alerts ADD COLUMN changes_count INTEGER;
ALTER TABLE alerts ADD COLUMN test_summary TEXT;      -- JSON {total, failed, passed, skipped, failed_tests}
ALTER TABLE alerts ADD COLUMN summary TEXT;

UPDATE alerts SET state = 'resolved', resolved_by_build = build_number, resolved_at = last_seen_at
WHERE kind = 'RESOLVE';

CREATE INDEX alerts_by_state ON alerts (state);
-- Recoveries look only at a job's unresolved alerts; the cron only at open ones, by age.
CREATE INDEX alerts_unresolved_by_job ON alerts (source_id, job, build_number) WHERE state IN ('open', 'stale');
CREATE INDEX alerts_open_by_age ON alerts (last_seen_at) WHERE state = 'open';
-- Out-of-order greens re-attribute recoveries to the lowest later green build.
CREATE INDEX alerts_by_resolver ON alerts (source_id, job, resolved_by_build) WHERE state = 'resolved';

ALTER TABLE events ADD COLUMN body_format TEXT NOT NULL DEFAULT 'json' CHECK (body_format IN ('json', 'xml'));

-- Job health, recomputed from the job's alerts by every new event (src/db/ingest.ts).
CREATE TABLE jobs (
  id                  INTEGER PRIMARY KEY,
  source_id           TEXT    NOT NULL,
  source_name         TEXT    NOT NULL,
  job                 TEXT    NOT NULL,
  display_name        TEXT    NOT NULL,
  state               TEXT    NOT NULL CHECK (state IN ('failing', 'passing', 'running', 'unknown')),
  last_build          INTEGER,
  last_status         TEXT,
  last_success_build  INTEGER,
  failing_since_build INTEGER,
  failing_streak      INTEGER NOT NULL DEFAULT 0,
  flapping            INTEGER NOT NULL DEFAULT 0,
  last_duration_ms    INTEGER,
  median_duration_ms  INTEGER,
  updated_at          TEXT    NOT NULL,
  UNIQUE (source_id, job)
);
CREATE INDEX jobs_by_state ON jobs (state);
CREATE INDEX jobs_by_source ON jobs (source_id);

-- Jobs that already have alerts start as 'unknown'; the next event of each recomputes it fully.
INSERT INTO jobs (source_id, source_name, job, display_name, state, last_build, updated_at)
SELECT source_id, max(source_name), job, max(job_display_name), 'unknown', max(build_number), max(last_seen_at)
FROM alerts GROUP BY source_id, job;
