-- Where a cron job that works through a table a slice per run stopped, so the next run goes on from
-- there instead of starting over (src/db/cron-cursors.ts). One row per job; no row: from the start.
CREATE TABLE cron_cursors (
  name       TEXT    PRIMARY KEY,
  after_id   INTEGER NOT NULL,
  updated_at TEXT    NOT NULL
);
