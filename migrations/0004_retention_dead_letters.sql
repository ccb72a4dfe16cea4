-- Retention (src/db/retention.ts, run by the cron trigger) and dead letters you can see and replay.
--
-- Additive only: the Worker version before this one never reads the new column, indexes or table, and
-- its writes to alerts leave purged_events at its default.

-- Events the retention purge removed from this alert's timeline (older than RETENTION_DAYS): the alert
-- stays readable, and its timeline says how many earlier events are gone. event_count still counts all.
ALTER TABLE alerts ADD COLUMN purged_events INTEGER NOT NULL DEFAULT 0;

-- The purge walks events oldest first, and alerts by last event, as index range scans; the oldest
-- event's date (GET /api/stats) is the first entry of the first.
CREATE INDEX events_by_received_at ON events (received_at);
CREATE INDEX alerts_by_last_seen ON alerts (last_seen_at);

-- Messages the queues gave up on, kept so they can be read, replayed or discarded (src/db/dead-letters.ts).
-- Bounded: only the newest DEAD_LETTERS_KEPT rows are kept, and none past RETENTION_DAYS (they hold bodies).
CREATE TABLE dead_letters (
  id         INTEGER PRIMARY KEY,            -- rowid: insertion order = newest-first cursor
  message_id TEXT    NOT NULL UNIQUE,        -- the dead-letter queue's message id: a redelivery is stored once
  queue      TEXT    NOT NULL,               -- the queue it died on, where a replay puts it back
  body       TEXT    NOT NULL,               -- the original message body, as JSON
  reason     TEXT    NOT NULL,               -- why it died: the last error, or what the queue says
  attempts   INTEGER,                        -- attempts before it died; NULL when the queue moved it itself
  dead_at    TEXT    NOT NULL                -- when it was stored here (ISO 8601 UTC)
);
CREATE INDEX dead_letters_by_queue ON dead_letters (queue);
CREATE INDEX dead_letters_by_age ON dead_letters (dead_at);
