-- Alerts: one row per (source, job, build number) holding the build's latest state.
-- Events: the append-only timeline of every accepted delivery.
--
-- Written by src/db/ingest.ts in one batch per delivery; read by src/db/alerts.ts.
-- Times are ISO-8601 UTC strings from Date#toISOString(), so they sort as text.

CREATE TABLE alerts (
  id               INTEGER PRIMARY KEY,            -- rowid: insertion order = newest-first cursor
  source_id        TEXT    NOT NULL,
  source_name      TEXT    NOT NULL,               -- denormalised: sources live in KV
  job              TEXT    NOT NULL,               -- Jenkins full name, e.g. acme/web-shop/feature%2Fx
  job_display_name TEXT    NOT NULL,
  build_number     INTEGER NOT NULL,
  build_url        TEXT,
  phase            TEXT    NOT NULL,
  phase_rank       INTEGER NOT NULL,               -- QUEUED 1 < STARTED 2 < COMPLETED 3 < FINALIZED 4; NONE 0
  status           TEXT,
  kind             TEXT    NOT NULL CHECK (kind IN ('ALERT', 'RESOLVE')),
  priority         TEXT    NOT NULL CHECK (priority IN ('HIGH', 'MEDIUM', 'LOW')),
  title            TEXT    NOT NULL,
  branch           TEXT,
  commit_sha       TEXT,
  event_count      INTEGER NOT NULL DEFAULT 1,
  first_seen_at    TEXT    NOT NULL,
  last_seen_at     TEXT    NOT NULL,
  UNIQUE (source_id, job, build_number)
);

-- Filtered listings walk one of these newest first (SQLite appends the rowid to every index).
CREATE INDEX alerts_by_source ON alerts (source_id);
CREATE INDEX alerts_by_job ON alerts (job);
CREATE INDEX alerts_by_kind ON alerts (kind);
CREATE INDEX alerts_by_priority ON alerts (priority);
CREATE INDEX alerts_by_phase ON alerts (phase);

CREATE TABLE events (
  id              INTEGER PRIMARY KEY,
  event_uid       TEXT    NOT NULL UNIQUE,         -- random id chosen by the writer, to tell "inserted" from "duplicate"
  source_id       TEXT    NOT NULL,
  job             TEXT    NOT NULL,
  build_number    INTEGER NOT NULL,
  phase           TEXT    NOT NULL,
  build_timestamp INTEGER NOT NULL,                -- build.timestamp: part of the delivery identity
  status          TEXT,
  kind            TEXT    NOT NULL,
  priority        TEXT    NOT NULL,
  received_at     TEXT    NOT NULL,
  body            TEXT    NOT NULL,                -- as received (build.log cut when over 64 KiB)
  body_truncated  INTEGER NOT NULL DEFAULT 0,
  -- The same delivery again (plugin retry after a timeout, 307 re-POST, two endpoints) is one event.
  UNIQUE (source_id, job, build_number, phase, build_timestamp)
);
