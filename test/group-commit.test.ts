import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { GroupCommit, MAX_GROUP_STATEMENTS } from "../src/db/group-commit";

/** env.DB with its batches counted, and the values each batch inserted. */
function countedDb() {
  const sizes: number[] = [];
  const batches: unknown[][] = [];
  const db = {
    prepare: (query: string) => env.DB.prepare(query),
    batch: async (statements: D1PreparedStatement[]) => {
      sizes.push(statements.length);
      const results = await env.DB.batch<{ v: string }>(statements);
      batches.push(results.map((r) => r.results[0]?.v));
      return results;
    },
  } as unknown as D1Database;
  return { db, sizes, batches };
}

const insert = (db: D1Database, value: string) =>
  db.prepare("INSERT INTO probe (v) VALUES (?1) RETURNING v").bind(value);

beforeAll(async () => {
  await env.DB.exec("CREATE TABLE probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL CHECK (v != 'poison'))");
});

describe("group commit", () => {
  it("sends a lone caller's statements at once, in one batch of its own", async () => {
    const { db, sizes } = countedDb();
    const [result] = await new GroupCommit().batch<{ v: string }>(db, [insert(db, "alone")]);
    expect(result?.results).toEqual([{ v: "alone" }]);
    expect(sizes).toEqual([1]);
  });

  it("commits concurrent callers together and gives each its own results", async () => {
    const { db, sizes } = countedDb();
    const commits = new GroupCommit();
    const values = Array.from({ length: 12 }, (_, i) => `v${i}`);
    const results = await Promise.all(values.map((v) => commits.batch<{ v: string }>(db, [insert(db, v)])));
    expect(results.map(([r]) => r?.results[0]?.v)).toEqual(values);
    expect(sizes.length).toBeLessThan(values.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(values.length);
  });

  it(`never puts more than ${MAX_GROUP_STATEMENTS} statements in one batch`, async () => {
    const { db, sizes } = countedDb();
    const commits = new GroupCommit();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => commits.batch(db, [insert(db, `a${i}`), insert(db, `b${i}`)])),
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_GROUP_STATEMENTS);
  });

  it("fails only the caller whose statements fail; the others in its group commit", async () => {
    const { db } = countedDb();
    const commits = new GroupCommit();
    const outcomes = await Promise.allSettled(
      ["ok-1", "poison", "ok-2", "ok-3"].map((v) => commits.batch(db, [insert(db, v)])),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    const stored = await env.DB.prepare(
      "SELECT v FROM probe WHERE v LIKE 'ok-%' OR v = 'poison' ORDER BY v",
    ).all();
    expect(stored.results.map((r) => r.v)).toEqual(["ok-1", "ok-2", "ok-3"]);
  });

  it("never groups a caller that asks to go alone", async () => {
    const { db, batches } = countedDb();
    const commits = new GroupCommit();
    await Promise.all([
      commits.batch(db, [insert(db, "lone-1"), insert(db, "lone-2")], { alone: true }),
      ...Array.from({ length: 6 }, (_, i) => commits.batch(db, [insert(db, `crowd-${i}`)])),
      commits.batch(db, [insert(db, "lone-3"), insert(db, "lone-4")], { alone: true }),
    ]);
    expect(batches).toContainEqual(["lone-1", "lone-2"]);
    expect(batches).toContainEqual(["lone-3", "lone-4"]);
    expect(batches.some((batch) => batch.length > 1 && String(batch[0]).startsWith("crowd"))).toBe(true);
  });

  it("keeps batches for different databases apart", async () => {
    const a = countedDb();
    const b = countedDb();
    const commits = new GroupCommit();
    await Promise.all([
      commits.batch(a.db, [insert(a.db, "db-a")]),
      commits.batch(b.db, [insert(b.db, "db-b")]),
      commits.batch(a.db, [insert(a.db, "db-a2")]),
    ]);
    expect(a.sizes.reduce((x, y) => x + y, 0)).toBe(2);
    expect(b.sizes).toEqual([1]);
  });
});
