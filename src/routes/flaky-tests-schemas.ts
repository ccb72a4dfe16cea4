/** What `GET /api/flaky-tests` answers (src/flaky/model.ts), as valibot schemas for the OpenAPI document. */
import * as v from "valibot";
import { Integer, NextCursor, Timestamp } from "./schemas";

export const FlakyTestSchema = v.object({
  source_id: v.string(),
  job: v.string(),
  job_path: v.string(),
  test: v.string(),
  failures: v.pipe(Integer, v.description("Kept builds of the job that named the test as failed.")),
  flips: v.pipe(
    Integer,
    v.description(
      "Of those failures, the ones a later build passed at the same commit (a rebuild), or the next build did with no changed files.",
    ),
  ),
  last_build: v.pipe(Integer, v.description("The latest build that named the test as failed.")),
  last_seen_at: v.pipe(Timestamp, v.description("When that build's failure was last received.")),
});

export const FlakyTestListSchema = v.object({
  flaky_tests: v.array(FlakyTestSchema),
  next_cursor: NextCursor,
});
