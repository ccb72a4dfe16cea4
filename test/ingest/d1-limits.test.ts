/**
 * Which of D1's production limits (developers.cloudflare.com/d1/platform/limits) the local D1 these
 * tests run on enforces: the statements of ingest that pass here pass those in production too. The
 * 2 MB string limit is the one it does not enforce (src/platform/db/json-chunks.ts keeps under it
 * by arithmetic), with the 50 queries per invocation (test/ingest/consumer-outage.test.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const refused = async (run: () => Promise<unknown>) => {
  try {
    await run();
    return null;
  } catch (err) {
    return String(err);
  }
};

describe("the local D1's limits", () => {
  it("refuses a 101st parameter, a statement over 100 KB and a compound SELECT of 6 terms", async () => {
    const params = Array.from({ length: 101 }, (_, i) => `?${i + 1}`).join(", ");
    expect(
      await refused(() =>
        env.DB.prepare(`SELECT 1 WHERE 1 IN (${params})`)
          .bind(...Array.from({ length: 101 }, () => 1))
          .first(),
      ),
    ).toMatch(/variable number/);
    expect(await refused(() => env.DB.prepare(`SELECT 1 /* ${"x".repeat(100_001)} */`).first())).toMatch(
      /too long|TOOBIG/,
    );
    const six = Array.from({ length: 6 }, (_, i) => `SELECT ${i}`).join(" UNION ALL ");
    expect(await refused(() => env.DB.prepare(six).all())).toMatch(/compound/);
  });

  it("accepts window functions, MATERIALIZED, row values and json_each, and a string over 2 MB", async () => {
    for (const sql of [
      "SELECT row_number() OVER (ORDER BY 1) FROM (SELECT 1)",
      "WITH a AS MATERIALIZED (SELECT 1 AS x) SELECT x FROM a",
      "SELECT (1, 2) IN (SELECT 1, 2) AS x",
      "SELECT count(*) FROM json_each('[1,2,3]')",
    ]) {
      expect(await refused(() => env.DB.prepare(sql).all())).toBeNull();
    }
    // Production D1 refuses this one (2,000,000 bytes at most): nothing here catches an oversized chunk.
    expect(
      await refused(() => env.DB.prepare("SELECT length(?1)").bind("x".repeat(2_500_000)).first()),
    ).toBeNull();
  });
});
