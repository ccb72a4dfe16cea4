-- Incidents: the layer people act on (README "Incidents"), above the per-build alerts, which stay as
-- they are. Also each source's noise policy, silences (maintenance windows), heartbeats on jobs and
-- the displayed job path that job search reads.
--
-- Additive only: the Worker version before this one never reads these tables or columns, and its
-- writes to alerts, jobs and source_stats leave the new columns at their defaults (the next event of
-- the job fills them in).

-- One row per incident. A `failure` incident is one segment of a job's failure streak, keyed by its
-- lower fence `after_build`: the green build (kind RESOLVE) before it, the `fence_build` of an incident
-- resolved by hand in the same streak, or 0 (src/db/incident-sql.ts). `missed_build` and
-- `source_silent` are opened by the cron trigger (src/db/heartbeats.ts); source_silent has no job.
CREATE TABLE incidents (
  id                INTEGER PRIMARY KEY,            -- rowid: insertion order = newest-first cursor
  kind              TEXT    NOT NULL CHECK (kind IN ('failure', 'missed_build', 'source_silent')),
  source_id         TEXT    NOT NULL,
  source_name       TEXT    NOT NULL,
  job               TEXT,                           -- Jenkins full name; NULL for source_silent
  job_display_name  TEXT,
  branch            TEXT,                           -- the latest member build's branch (silences match it)
  after_build       INTEGER NOT NULL DEFAULT 0,     -- failure: the streak segment's lower fence
  state             TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),
  priority          TEXT    NOT NULL CHECK (priority IN ('HIGH', 'MEDIUM', 'LOW')),
  first_build       INTEGER,
  last_build        INTEGER,
  build_count       INTEGER NOT NULL DEFAULT 0,
  opened_at         TEXT    NOT NULL,
  acknowledged_at   TEXT,
  acknowledged_by   TEXT,
  resolved_at       TEXT,
  resolved_by       TEXT    CHECK (resolved_by IN ('build', 'manual', 'heartbeat')),
  resolved_by_build INTEGER,
  resolved_by_name  TEXT,                           -- who resolved it by hand (a label, not an identity)
  fence_build       INTEGER,                        -- failure, resolved by hand: its last build then; frozen from then on
  silenced          INTEGER NOT NULL DEFAULT 0,
  updated_at        TEXT    NOT NULL                -- the last write: ingest syncs the timeline of what it touched
);
-- A failure incident per streak segment; and at most one open incident per (source, job, kind).
CREATE UNIQUE INDEX incidents_by_segment ON incidents (source_id, job, kind, after_build);
CREATE UNIQUE INDEX incidents_one_open ON incidents (source_id, coalesce(job, ''), kind)
  WHERE state != 'resolved';
-- Listings (newest first by id within each filter) and the needs-attention view.
CREATE INDEX incidents_by_state ON incidents (state);
CREATE INDEX incidents_by_kind ON incidents (kind);
CREATE INDEX incidents_by_source ON incidents (source_id);
CREATE INDEX incidents_by_job ON incidents (job);
CREATE INDEX incidents_by_priority ON incidents (priority);
CREATE INDEX incidents_needing_attention ON incidents (priority, opened_at) WHERE state != 'resolved';
CREATE INDEX incidents_touched ON incidents (source_id, job, updated_at);
-- A job's incidents resolved by hand: each freezes its builds (first_build to fence_build).
CREATE INDEX incidents_hand_resolved ON incidents (source_id, job, fence_build) WHERE fence_build IS NOT NULL;

-- The incident's timeline; also what notifications are made from (an outbox: see README "Notifications").
CREATE TABLE incident_events (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL,
  type         TEXT    NOT NULL CHECK (type IN ('opened', 'joined', 'acknowledged', 'silenced',
                                                'unsilenced', 'resolved')),
  at           TEXT    NOT NULL,
  build_number INTEGER,
  by           TEXT,                                -- 'build' | 'heartbeat' | a display name
  note         TEXT
);
CREATE INDEX incident_events_by_incident ON incident_events (incident_id, type, build_number);

-- Alerts: the incident a paging build belongs to, and the priority it pages with (the source's policy
-- applied; NULL when the build does not page: unfinished, green, without status, or outside the policy).
ALTER TABLE alerts ADD COLUMN incident_id INTEGER;
ALTER TABLE alerts ADD COLUMN incident_priority TEXT;
ALTER TABLE alerts ADD COLUMN started_ts INTEGER;       -- build.timestamp: when the build started (Jenkins' clock, ms)
CREATE INDEX alerts_by_incident ON alerts (incident_id) WHERE incident_id IS NOT NULL;
-- Streak fences: a job's green builds (FINALIZED SUCCESS), found by index from any build number.
CREATE INDEX alerts_green_by_job ON alerts (source_id, job, build_number) WHERE kind = 'RESOLVE';

-- Jobs: the path as the dashboard displays it (acme/web-shop/feature/login for …/feature%2Flogin), and
-- heartbeats: learned (median interval of the last 20 build starts) or set by hand, and when a build is
-- next due (index range scan by the cron trigger).
ALTER TABLE jobs ADD COLUMN job_path TEXT;
ALTER TABLE jobs ADD COLUMN last_started_ts INTEGER;
ALTER TABLE jobs ADD COLUMN learned_every_ms INTEGER;
ALTER TABLE jobs ADD COLUMN heartbeat_every_ms INTEGER;
ALTER TABLE jobs ADD COLUMN heartbeat_grace_ms INTEGER;
ALTER TABLE jobs ADD COLUMN heartbeat_off INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN heartbeat_due_at TEXT;
CREATE INDEX jobs_heartbeat_due ON jobs (heartbeat_due_at) WHERE heartbeat_due_at IS NOT NULL;
-- Job search: a substring of the displayed path, index-backed (FTS5 trigram: at least 3 characters).
CREATE VIRTUAL TABLE job_search USING fts5(job_path, tokenize = 'trigram');

-- When the source's last new event arrived (source_silent incidents).
ALTER TABLE source_stats ADD COLUMN last_event_at TEXT;

-- Each source's noise policy (src/domain/policy.ts), kept in D1: KV is no place for a read-modify-write.
CREATE TABLE source_policies (
  source_id   TEXT PRIMARY KEY,
  policy      TEXT NOT NULL,                        -- JSON, as validated
  updated_at  TEXT NOT NULL
);

-- Silences (maintenance windows): matching incidents are flagged `silenced` and notify nothing.
CREATE TABLE silences (
  id          INTEGER PRIMARY KEY,
  source_id   TEXT,
  job_glob    TEXT,
  branch_glob TEXT,
  starts_at   TEXT NOT NULL,
  ends_at     TEXT NOT NULL,
  recurrence  TEXT,                                  -- JSON {days, from, to, time_zone}: weekly windows within starts..ends
  comment     TEXT NOT NULL,
  created_by  TEXT,
  created_at  TEXT NOT NULL,
  ended_at    TEXT                                   -- DELETE ended it early
);
CREATE INDEX silences_by_end ON silences (ends_at);
