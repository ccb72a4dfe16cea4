-- Flaky tests (issue 24, docs/incidents.md "Flaky tests"): which tests failed in which build, and which
-- of those failures proved flaky; per (source, job, test) the counts are read through the indexes below
-- (no rollup to keep in step). Kept by ingest in the deliveries' own batch
-- (src/flaky/sql.ts) and purged with their alerts (src/operations/retention.ts).
--
-- Additive only: the Worker version before this one neither reads nor writes this table or column.

-- One row per test a finished build named as failed (the first 10 names of a build: a build with more
-- failures broke for another reason than a flaky test, and a row is billed). `seen_at` is when the
-- latest delivery naming it was received; `commit_sha` is the build's (as its alert has it), so that a
-- rebuild finds the failures at its commit by index rather than by reading the job's history; `flipped` says that a later build of the job passed it at the
-- same commit, or the next finished build did with no changed files.
CREATE TABLE test_failures (
  source_id    TEXT    NOT NULL,
  job          TEXT    NOT NULL,
  build_number INTEGER NOT NULL,
  test         TEXT    NOT NULL,
  commit_sha   TEXT,
  seen_at      TEXT    NOT NULL,
  flipped      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (source_id, job, build_number, test)
) WITHOUT ROWID;
CREATE INDEX test_failures_by_test ON test_failures (source_id, job, test);
CREATE INDEX test_failures_by_commit ON test_failures (source_id, job, commit_sha) WHERE commit_sha IS NOT NULL;
-- The flips alone: flaky tests are few, so listing them and asking whether a test is flaky read only these.
CREATE INDEX test_failures_flipped ON test_failures (source_id, job, test) WHERE flipped = 1;

-- The noise policy's `flaky` mode for the delivery (src/sources/policy.ts), staged with the rest of
-- its values: 'ignore' keeps a build that failed only on known-flaky tests from paging.
ALTER TABLE ingest_batch ADD COLUMN flaky_mode TEXT;
