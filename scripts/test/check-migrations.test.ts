import { describe, expect, it } from "vitest";
import { checkMigrations, findUnmarked } from "../check-migrations.ts";

describe("the migration check", () => {
  it("passes the migrations in the repository", () => {
    expect(checkMigrations()).toEqual([]);
  });

  it.each([
    "DROP TABLE alerts;",
    "ALTER TABLE alerts DROP COLUMN summary;",
    "ALTER TABLE alerts RENAME TO old_alerts;",
    "ALTER TABLE alerts RENAME COLUMN summary TO text;",
    "drop index alerts_by_job;",
  ])("refuses %s without a marker", (statement) => {
    expect(findUnmarked("0009_x.sql", `-- a change\n${statement}\n`)).toEqual([
      { file: "0009_x.sql", line: 2, statement },
    ]);
  });

  it("accepts a destructive statement marked with the release that stopped using it", () => {
    const sql = "-- destructive: unused since 0.4.0\nALTER TABLE alerts DROP COLUMN summary;\n";
    expect(findUnmarked("0009_x.sql", sql)).toEqual([]);
  });

  it("ignores the words in comments and additive statements", () => {
    const sql =
      "-- we never DROP TABLE here\nCREATE INDEX a ON alerts (job);\nALTER TABLE alerts ADD COLUMN x TEXT;\n";
    expect(findUnmarked("0009_x.sql", sql)).toEqual([]);
  });
});
