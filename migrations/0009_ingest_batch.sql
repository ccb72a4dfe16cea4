-- Where a queue batch's deliveries are staged while the batch's statements read them as one set
-- (src/ingest/store.ts): filled by a batch's first statement and emptied by its last, inside the one
-- transaction a D1 batch is, so it is empty between batches. The columns are a delivery's values
-- (src/core/delivery-params.ts DELIVERY_COLUMNS); `seq` is the delivery's place in the batch.
CREATE TABLE ingest_batch (
  seq              INTEGER PRIMARY KEY,
  uid              TEXT    NOT NULL,
  source_id        TEXT    NOT NULL,
  source_name      TEXT,
  job              TEXT    NOT NULL,
  job_display_name TEXT,
  build_number     INTEGER NOT NULL,
  build_url        TEXT,
  phase            TEXT    NOT NULL,
  phase_rank       INTEGER NOT NULL,
  status           TEXT,
  kind             TEXT    NOT NULL,
  priority         TEXT    NOT NULL,
  title            TEXT,
  branch           TEXT,
  "commit"         TEXT,
  received_at      TEXT    NOT NULL,
  state            TEXT,
  finished_ts      INTEGER,
  duration_ms      INTEGER,
  culprits         TEXT,
  changes_count    INTEGER,
  test_summary     TEXT,
  summary          TEXT,
  build_timestamp  INTEGER NOT NULL,
  body_truncated   INTEGER NOT NULL,
  body_format      TEXT,
  deferred         INTEGER NOT NULL,
  incident_priority TEXT,
  min_failures     INTEGER,
  silenced         INTEGER NOT NULL,
  job_path         TEXT,
  body             TEXT    NOT NULL
);
