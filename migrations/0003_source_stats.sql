-- Per-source delivery counters, so a user can see why Jenkins' alerts are not arriving.
--
-- source_stats: accepted = new events stored (synchronously or through the queue); deferred = of those,
--   how many came through the queue; rejected = authenticated deliveries refused (any problem), with
--   the last one's time, status and problem slug. Written by src/db/ingest-sql.ts (accepted, deferred)
--   and src/db/source-stats.ts (rejections). Rejections nobody can be attributed to (unknown tokens) are
--   never written here: they are counted per isolate (GET /api/stats).
-- source_rejections: the rejected count per problem slug.
--
-- Additive only: the Worker version before this one never reads or writes these tables.

CREATE TABLE source_stats (
  source_id              TEXT    PRIMARY KEY,
  accepted               INTEGER NOT NULL DEFAULT 0,
  deferred               INTEGER NOT NULL DEFAULT 0,
  rejected               INTEGER NOT NULL DEFAULT 0,
  last_rejection_at      TEXT,
  last_rejection_status  INTEGER,
  last_rejection_problem TEXT,
  updated_at             TEXT    NOT NULL
);

CREATE TABLE source_rejections (
  source_id TEXT    NOT NULL,
  problem   TEXT    NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (source_id, problem)
) WITHOUT ROWID;

-- Events stored before the counters existed count as accepted.
INSERT INTO source_stats (source_id, accepted, updated_at)
SELECT source_id, count(*), max(received_at) FROM events GROUP BY source_id;
