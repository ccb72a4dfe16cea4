/**
 * Job search by the displayed path (src/jobs/search.ts), on rows put into `jobs` and `job_search`
 * as ingest keeps them: any substring, multibranch names decoded, nothing in the text read as query
 * syntax or a wildcard, index-backed from three characters.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findJobs } from "../../src/jobs/search";
import { addJob } from "./job-index";

/** A source id of the test's own, so what other tests index never matches. */
const fresh = () => crypto.randomUUID();

describe("findJobs", () => {
  it("finds a multibranch job by the path the dashboard displays", async () => {
    const source = fresh();
    await addJob(source, `${source}/web-shop/feature%2Flogin`);
    await addJob(source, `${source}/web-shop/main`);
    expect(await findJobs(env.DB, `${source}/web-shop/feature/login`, 10)).toEqual([
      { source_id: source, job: `${source}/web-shop/feature%2Flogin` },
    ]);
  });

  it("matches any substring, ignoring ASCII case, newest job first", async () => {
    const source = fresh();
    await addJob(source, `${source}/payments-api`);
    await addJob(source, `${source}/PAYMENTS-ui`);
    const found = await findJobs(env.DB, `${source.slice(-12)}/payMENTS`, 10);
    expect(found.map((job) => job.job)).toEqual([`${source}/PAYMENTS-ui`, `${source}/payments-api`]);
    expect(await findJobs(env.DB, `${source.slice(-12)}/payments`, 1)).toHaveLength(1);
  });

  it("answers one or two characters from the jobs table", async () => {
    const source = fresh();
    const marker = "ζ"; // a character no other test's job has
    await addJob(source, `${source}/a${marker}b`);
    expect(await findJobs(env.DB, marker, 10)).toEqual([{ source_id: source, job: `${source}/a${marker}b` }]);
    expect(await findJobs(env.DB, `${marker}B`, 10)).toEqual([
      { source_id: source, job: `${source}/a${marker}b` },
    ]);
  });

  it("reads quotes, FTS5 operators and LIKE wildcards as the characters they are", async () => {
    const source = fresh();
    await addJob(source, `${source}/say "hi" OR NEAR(x*)`);
    await addJob(source, `${source}/100%_done`);
    await addJob(source, `${source}/100xxdone`);
    expect((await findJobs(env.DB, '"hi" OR NEAR(x*)', 10)).map((job) => job.source_id)).toEqual([source]);
    expect(await findJobs(env.DB, `${source}/100%_`, 10)).toEqual([
      { source_id: source, job: `${source}/100%_done` },
    ]);
    expect(await findJobs(env.DB, "%_", 10)).toEqual([{ source_id: source, job: `${source}/100%_done` }]);
    expect(await findJobs(env.DB, `"${source}`, 10)).toEqual([]);
  });

  it("takes a text past D1's 50-byte LIKE limit", async () => {
    const source = fresh();
    const deep = `${source}/${"folder/".repeat(20)}job`;
    await addJob(source, deep);
    expect(await findJobs(env.DB, deep.slice(10), 10)).toEqual([{ source_id: source, job: deep }]);
  });

  it("finds nothing for an empty text", async () => {
    expect(await findJobs(env.DB, "", 10)).toEqual([]);
  });

  it("looks a text of three characters or more up in the trigram index", async () => {
    const { results } = await env.DB.prepare(
      `EXPLAIN QUERY PLAN SELECT jobs.source_id, jobs.job FROM job_search JOIN jobs ON jobs.id = job_search.rowid
       WHERE job_search MATCH ?1 ORDER BY job_search.rowid DESC LIMIT ?2`,
    )
      .bind('"abc"', 10)
      .all<{ detail: string }>();
    const plan = results.map((row) => row.detail).join("\n");
    expect(plan).toMatch(/SCAN job_search VIRTUAL TABLE INDEX/);
    expect(plan).toMatch(/SEARCH jobs USING INTEGER PRIMARY KEY/);
  });
});
